import { z } from 'zod';
import { describeIssues, IntakeRejection } from './rejection';

/** The fields of a Twilio inbound message webhook the desk uses (form-encoded). */
export const TwilioInbound = z.object({
  MessageSid: z.string().min(1),
  AccountSid: z.string().min(1),
  From: z.string().min(1),
  To: z.string().min(1),
  Body: z.string().default(''),
}).passthrough();
export type TwilioInbound = z.infer<typeof TwilioInbound>;

/** Parses an application/x-www-form-urlencoded body into a flat record (repeated keys keep the last). */
export function parseForm(raw: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) out[k] = v;
  return out;
}

export function parseTwilioInbound(params: Record<string, string>): TwilioInbound {
  const r = TwilioInbound.safeParse(params);
  if (!r.success) throw new IntakeRejection(422, `Twilio inbound SMS: ${describeIssues(r.error.issues)}`);
  return r.data;
}

/** Digits with a leading + (E.164-ish), so "+1 (555) 0142" and "+15550142" compare equal downstream. */
export function normalisePhone(p: string): string {
  const digits = p.replace(/[^\d]/g, '');
  return p.trim().startsWith('+') ? `+${digits}` : digits;
}
