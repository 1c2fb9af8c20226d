import type { SandboxStore } from '../core/context';

/** Where the sandbox delivers inbound SMS (Twilio webhook) and inbound email (raw RFC 822): the desk's intake. */
export interface InboundTargets {
  sms: string | null;
  email: string | null;
  /** Sent as `X-Desk-Mail-Token` with inbound email, when the desk requires one. */
  emailToken: string | null;
}

const KIND = 'notify.inbound-target';
const ID = 'targets';

/** Desk services register once at start-up, so registrations survive a reset (like PSA callbacks). */
export function keepTargetsOnReset(store: SandboxStore): void {
  store.keepOnReset(KIND);
}

export async function loadTargets(store: SandboxStore): Promise<InboundTargets> {
  const saved = await store.get<InboundTargets>(KIND, ID);
  return {
    sms: saved?.sms ?? (process.env.SANDBOX_INBOUND_SMS_URL || null),
    email: saved?.email ?? (process.env.SANDBOX_INBOUND_EMAIL_URL || null),
    emailToken: saved?.emailToken ?? (process.env.SANDBOX_INBOUND_EMAIL_TOKEN || null),
  };
}

export async function saveTargets(store: SandboxStore, patch: Partial<InboundTargets>): Promise<InboundTargets> {
  const saved = (await store.get<InboundTargets>(KIND, ID)) ?? { sms: null, email: null, emailToken: null };
  const next: InboundTargets = {
    sms: patch.sms !== undefined ? patch.sms : saved.sms,
    email: patch.email !== undefined ? patch.email : saved.email,
    emailToken: patch.emailToken !== undefined ? patch.emailToken : (saved.emailToken ?? null),
  };
  await store.put(KIND, ID, next);
  return loadTargets(store);
}
