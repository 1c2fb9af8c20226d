import type { NotifyTarget } from './notify-client';
import { toE164 } from './phone';

/** The contact methods on file for a person (PSA contact / directory user), never taken from a ticket. */
export interface ContactOnFile {
  mobile?: string | null;
  email?: string | null;
}

/**
 * Where to send a one-time code or a temporary password for this person: the mobile on file (SMS) first,
 * or email when `allowEmail` (only when the person can read that mailbox, e.g. not for a password reset
 * of that same mailbox). Null = no usable method on file: escalate.
 */
export function verifiedTargets(contact: ContactOnFile, opts: { allowEmail: boolean }): NotifyTarget[] {
  const out: NotifyTarget[] = [];
  const phone = contact.mobile ? toE164(contact.mobile) : null;
  if (phone) out.push({ channel: 'sms', phone });
  if (opts.allowEmail && contact.email && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(contact.email)) out.push({ channel: 'email', address: contact.email.trim() });
  return out;
}
