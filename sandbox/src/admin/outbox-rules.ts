import type { SandboxStore } from '../core/context';

/**
 * Delivery outcomes the sandbox's notify providers simulate per recipient, set through
 * `POST /admin/outbox/rules` (or the environment). Kept in the store, so a reset restores the defaults.
 */
export interface DeliveryRules {
  /** Twilio answers 400 / 21211 "invalid 'To' number" (E.164 after normalisation). */
  smsInvalid: string[];
  /** Accepted (201 queued) but the status callback reports `undelivered`, error 30003. */
  smsUndeliverable: string[];
  /** Accepted (201 queued) but Twilio could not send it: status `failed`, error 30001 (queue overflow). */
  smsFailed: string[];
  /** Addresses or `@domain`s the SMTP server rejects at RCPT TO with 550 (Graph sendMail: accepted, then NDR). */
  emailBounce: string[];
  /** Addresses or `@domain`s the SMTP server answers 450 (mailbox temporarily unavailable). */
  emailDefer: string[];
  /** The SMTP server refuses whole transactions at MAIL FROM with `code` (421/451 temporary, 554 permanent)
   * for the next `count` of them (null = until cleared): a mail provider outage. */
  smtpReject: { code: number; count: number | null } | null;
}

const RULES_KIND = 'notify.rules';
const RULES_ID = 'rules';

/** Twilio's documented magic test numbers keep their meaning here: +15005550001 is invalid. */
const BUILT_IN_INVALID = ['+15005550001'];
const BUILT_IN_UNDELIVERABLE = ['+15005550009'];

const envList = (name: string): string[] => (process.env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export function defaultRules(): DeliveryRules {
  return {
    smsInvalid: [...BUILT_IN_INVALID, ...envList('SANDBOX_SMS_INVALID_NUMBERS')].map((n) => normalizePhone(n) ?? n),
    smsUndeliverable: [...BUILT_IN_UNDELIVERABLE, ...envList('SANDBOX_SMS_UNDELIVERABLE_NUMBERS')].map((n) => normalizePhone(n) ?? n),
    smsFailed: envList('SANDBOX_SMS_FAILED_NUMBERS').map((n) => normalizePhone(n) ?? n),
    emailBounce: envList('SANDBOX_EMAIL_BOUNCE').map((s) => s.toLowerCase()),
    emailDefer: envList('SANDBOX_EMAIL_DEFER').map((s) => s.toLowerCase()),
    smtpReject: null,
  };
}

export async function loadRules(store: SandboxStore): Promise<DeliveryRules> {
  return { ...defaultRules(), ...((await store.get<DeliveryRules>(RULES_KIND, RULES_ID)) ?? {}) };
}

/** The SMTP reject code for this transaction, if an outage rule is active (consumes one of its count). */
export async function takeSmtpReject(store: SandboxStore): Promise<number | null> {
  const rules = await loadRules(store);
  const rule = rules.smtpReject;
  if (!rule) return null;
  if (rule.count !== null) await saveRules(store, { smtpReject: rule.count > 1 ? { code: rule.code, count: rule.count - 1 } : null });
  return rule.code;
}

/** Replaces the lists given in `patch` (others keep their value); phone numbers and addresses are normalised. */
export async function saveRules(store: SandboxStore, patch: Partial<DeliveryRules>): Promise<DeliveryRules> {
  const cur = await loadRules(store);
  const phones = (xs: string[] | undefined, old: string[]) => (xs ? xs.map((n) => normalizePhone(n) ?? n) : old);
  const mails = (xs: string[] | undefined, old: string[]) => (xs ? xs.map((a) => a.trim().toLowerCase()) : old);
  const next: DeliveryRules = {
    smsInvalid: phones(patch.smsInvalid, cur.smsInvalid),
    smsUndeliverable: phones(patch.smsUndeliverable, cur.smsUndeliverable),
    smsFailed: phones(patch.smsFailed, cur.smsFailed ?? []),
    emailBounce: mails(patch.emailBounce, cur.emailBounce),
    emailDefer: mails(patch.emailDefer, cur.emailDefer),
    smtpReject: patch.smtpReject !== undefined ? patch.smtpReject : (cur.smtpReject ?? null),
  };
  return store.put(RULES_KIND, RULES_ID, next);
}

/**
 * E.164 after removing the usual separators (`+1-555-0110` → `+15550110`); null when it cannot be one.
 * The demo world's numbers are short fictional ones, so any 7-15 digit `+` number passes.
 */
export function normalizePhone(raw: string): string | null {
  const compact = raw.trim().replace(/[\s().-]/g, '');
  return /^\+[1-9]\d{6,14}$/.test(compact) ? compact : null;
}

/** `list` holds full addresses or `@domain` entries; `.invalid` domains never resolve (RFC 2606). */
export function addressListed(list: string[], address: string): boolean {
  const a = address.trim().toLowerCase();
  const domain = a.slice(a.lastIndexOf('@'));
  return list.includes(a) || list.includes(domain);
}

export function bounces(rules: DeliveryRules, address: string): boolean {
  return addressListed(rules.emailBounce, address) || /\.invalid$/i.test(address.trim());
}
