import type { Request } from 'express';
import type { Client, World } from '../../core/world';

/**
 * One Twilio account per client (`AC` + the client id zero-padded to 32 digits, e.g.
 * AC00000000000000000000000000000101 for client 101) and one for the MSP itself (…000100). All use the
 * demo auth token and own the desk's sender number.
 */
export interface TwilioAccount {
  sid: string;
  authToken: string;
  /** Client identifier, or null for the MSP's own account. */
  client: string | null;
  numbers: string[];
}

export const SANDBOX_TWILIO_TOKEN = 'sandbox-twilio-token';
export const accountSidFor = (id: number): string => `AC${String(id).padStart(32, '0')}`;

const ownedNumbers = (): string[] => ['+15550199', ...(process.env.SANDBOX_TWILIO_NUMBERS ?? '').split(',').map((s) => s.trim()).filter(Boolean)];
const token = (): string => process.env.SANDBOX_TWILIO_AUTH_TOKEN ?? SANDBOX_TWILIO_TOKEN;

export function accounts(world: World): TwilioAccount[] {
  return [
    { sid: accountSidFor(100), authToken: token(), client: null, numbers: ownedNumbers() },
    ...world.clients.map((c: Client) => ({ sid: accountSidFor(c.id), authToken: token(), client: c.identifier, numbers: ownedNumbers() })),
  ];
}

export function findAccount(world: World, sid: string): TwilioAccount | null {
  return accounts(world).find((a) => a.sid === sid) ?? null;
}

/** The account of HTTP Basic `AccountSid:AuthToken`, or null. */
export function authenticate(world: World, req: Request): TwilioAccount | null {
  const m = /^Basic\s+(.+)$/i.exec(req.get('authorization') ?? '');
  if (!m) return null;
  const raw = Buffer.from(m[1], 'base64').toString('utf8');
  const i = raw.indexOf(':');
  if (i < 0) return null;
  const acct = findAccount(world, raw.slice(0, i));
  return acct && acct.authToken === raw.slice(i + 1) ? acct : null;
}
