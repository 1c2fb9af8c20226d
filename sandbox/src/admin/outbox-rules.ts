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
  /** Addresses or `@domain`s the SMTP server rejects at RCPT TO with 550 (Graph sendMail: accepted, then NDR). */
  emailBounce: string[];
  /** Addresses or `@domain`s the SMTP server answers 450 (mailbox temporarily unavailable). */
  emailDefer: string[];
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
    emailBounce: envList('SANDBOX_EMAIL_BOUNCE').map((s) => s.toLowerCase()),
    emailDefer: envList('SANDBOX_EMAIL_DEFER').map((s) => s.toLowerCase()),
  };
}

export async function loadRules(store: SandboxStore): Promise<DeliveryRules> {
  return (await store.get<DeliveryRules>(RULES_KIND, RULES_ID)) ?? defaultRules();
}

/** Replaces the lists given in `patch` (others keep their value); phone numbers and addresses are normalised. */
export async function saveRules(store: SandboxStore, patch: Partial<DeliveryRules>): Promise<DeliveryRules> {
  const cur = await loadRules(store);
  const phones = (xs: string[] | undefined, old: string[]) => (xs ? xs.map((n) => normalizePhone(n) ?? n) : old);
  const mails = (xs: string[] | undefined, old: string[]) => (xs ? xs.map((a) => a.trim().toLowerCase()) : old);
  const next: DeliveryRules = {
    smsInvalid: phones(patch.smsInvalid, cur.smsInvalid),
    smsUndeliverable: phones(patch.smsUndeliverable, cur.smsUndeliverable),
    emailBounce: mails(patch.emailBounce, cur.emailBounce),
    emailDefer: mails(patch.emailDefer, cur.emailDefer),
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
