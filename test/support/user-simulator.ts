/**
 * Plays the people on the client's side of the desk, through the sandbox only: reads what reached a
 * person's phone or mailbox (the sandbox outbox) and answers the way that person would — an SMS from
 * the mobile on file, or an e-mail reply threaded on the ticket. It can also answer wrongly, from
 * another phone, or late, so tests can prove the desk does nothing on a bad answer.
 *
 * The simulator knows the demo world (a person knows their own phone and manager), never the desk's
 * internals: everything it learns about a code comes from the outbox.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorldContact {
  id: number;
  clientIdentifier: string;
  firstName: string;
  lastName: string;
  email: string;
  mobile: string | null;
  upn: string | null;
  managerContactId: number | null;
  authorizedApprover: boolean;
  active: boolean;
}

export interface WorldClient {
  id: number;
  identifier: string;
  domain: string;
  systems: { psa: 'connectwise' | 'halopsa' | 'autotask'; rmm: 'ninjaone' | 'datto'; docs: string };
  contacts: WorldContact[];
  devices: Array<{ hostname: string }>;
}

export interface OutboxMessage {
  channel: string;
  provider?: string;
  to: string;
  from?: string | null;
  subject?: string | null;
  body: string;
  status?: string;
  at: string;
}

export interface InboundResult {
  delivered?: boolean;
  status?: number;
  messageSid?: string;
  messageId?: string;
  responseBody?: string;
}

export type CodeAnswer = 'correct' | 'wrong' | 'other_number';

const SEED = join(__dirname, '..', '..', 'sandbox', 'seed', 'demo-msp');

/** The demo world's clients and contacts, as the people in it know them. */
export function loadWorld(seedDir: string = SEED): { clients: WorldClient[]; alertSender: string } {
  const msp = JSON.parse(readFileSync(join(seedDir, 'msp.json'), 'utf8')) as { clientFiles: string[]; alertSender: string };
  const clients = msp.clientFiles.map((f) => {
    const raw = JSON.parse(readFileSync(join(seedDir, f), 'utf8')) as Omit<WorldClient, 'contacts'> & { contacts: Array<Omit<WorldContact, 'clientIdentifier'>> };
    return { ...raw, contacts: raw.contacts.map((c) => ({ ...c, clientIdentifier: raw.identifier })) };
  });
  return { clients, alertSender: msp.alertSender };
}

/** `+1-555-0110` → `+15550110` (the form Twilio and the outbox use). */
export function e164(phone: string): string {
  return `+${phone.replace(/\D/g, '')}`;
}

/** The one-time code in an SMS body: the single run of 6–8 digits. */
export function codeIn(body: string): string | null {
  const runs = [...body.matchAll(/(?<!\d)(\d{6,8})(?!\d)/g)].map((m) => m[1]!);
  return runs.length === 1 ? runs[0]! : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class UserSimulator {
  readonly world: { clients: WorldClient[]; alertSender: string };

  constructor(private readonly sandboxUrl: string, world?: { clients: WorldClient[]; alertSender: string }) {
    this.world = world ?? loadWorld();
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.sandboxUrl}${path}`, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Where the sandbox delivers replies: intake's Twilio and inbound-mail endpoints. */
  async pointInboundAt(intakeUrl: string, emailToken?: string): Promise<void> {
    const base = intakeUrl.replace(/\/+$/, '');
    await this.call('POST', '/admin/inbound/targets', { sms: `${base}/inbound/sms`, email: `${base}/inbound/email`, ...(emailToken ? { emailToken } : {}) });
  }

  contactByEmail(email: string): WorldContact | null {
    const e = email.toLowerCase();
    for (const c of this.world.clients) for (const p of c.contacts) if (p.email.toLowerCase() === e) return p;
    return null;
  }

  contactByUpn(upn: string): WorldContact | null {
    const u = upn.toLowerCase();
    for (const c of this.world.clients) for (const p of c.contacts) if (p.upn?.toLowerCase() === u) return p;
    return null;
  }

  contactById(id: number | string): WorldContact | null {
    for (const c of this.world.clients) for (const p of c.contacts) if (String(p.id) === String(id)) return p;
    return null;
  }

  contactByPhoneDigits(digits: string): WorldContact | null {
    const d = digits.replace(/\D/g, '');
    for (const c of this.world.clients) for (const p of c.contacts) if (p.mobile && p.mobile.replace(/\D/g, '') === d) return p;
    return null;
  }

  client(identifier: string): WorldClient | null {
    return this.world.clients.find((c) => c.identifier.toLowerCase() === identifier.toLowerCase()) ?? null;
  }

  /** A mobile on file that is not this person's (someone answering from another phone). */
  someoneElsesMobile(than: WorldContact): string {
    const other = this.client(than.clientIdentifier)?.contacts.find((c) => c.id !== than.id && c.mobile) ?? null;
    if (!other?.mobile) throw new Error(`no other mobile at ${than.clientIdentifier}`);
    return e164(other.mobile);
  }

  async outbox(q: { channel?: string; to?: string; since?: string } = {}): Promise<OutboxMessage[]> {
    const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string'));
    return this.call<OutboxMessage[]>('GET', `/admin/outbox?${params.toString()}`);
  }

  /** Every message that reached anyone since a moment (to check where a secret went). */
  async everythingSince(since: string): Promise<OutboxMessage[]> {
    return this.outbox({ since });
  }

  /** Waits for a verification code to reach this phone (E.164) after `since`; the newest one wins. */
  async waitForCode(to: string, since: string, timeoutMs = 60_000): Promise<{ code: string; message: OutboxMessage } | null> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const msgs = (await this.outbox({ channel: 'sms', to, since })).filter((m) => /code/i.test(m.body));
      const last = msgs.at(-1);
      const code = last ? codeIn(last.body) : null;
      if (last && code) return { code, message: last };
      await sleep(300);
    }
    return null;
  }

  /** An SMS the person sends to the desk's number (Twilio's inbound webhook to intake). */
  async sendSms(from: string, body: string): Promise<InboundResult> {
    return this.call<InboundResult>('POST', '/admin/inbound/sms', { from: e164(from), body });
  }

  /**
   * Answers the code that reached `contact`'s mobile: correctly, with a wrong code, or correctly but from
   * someone else's phone. `delayMs` answers late. Returns what was sent, or null when no code arrived.
   */
  async answerCode(contact: WorldContact, how: CodeAnswer, opts: { since: string; timeoutMs?: number; delayMs?: number; wrongCode?: string }): Promise<{ sent: string; from: string; result: InboundResult } | null> {
    if (!contact.mobile) return null;
    const got = await this.waitForCode(e164(contact.mobile), opts.since, opts.timeoutMs);
    if (!got) return null;
    if (opts.delayMs) await sleep(opts.delayMs);
    const from = how === 'other_number' ? this.someoneElsesMobile(contact) : e164(contact.mobile);
    const sent = how === 'wrong' ? (opts.wrongCode ?? wrongCodeFor(got.code)) : got.code;
    return { sent, from, result: await this.sendSms(from, sent) };
  }

  /** An e-mail from a person, threaded on a ticket by its number in the subject (as a mail client replies). */
  async replyByEmail(from: string, subject: string, text: string, inReplyTo?: string): Promise<InboundResult> {
    return this.call<InboundResult>('POST', '/admin/inbound/email', { from, subject, text, ...(inReplyTo ? { inReplyTo } : {}) });
  }

  /** A new e-mail to the service desk (a ticket by mail). */
  async sendEmail(from: string, subject: string, text: string): Promise<InboundResult> {
    return this.call<InboundResult>('POST', '/admin/inbound/email', { from, subject, text });
  }
}

/** A 6-digit code that is certainly not the right one. */
export function wrongCodeFor(code: string): string {
  return code.split('').map((d) => String((Number(d) + 5) % 10)).join('');
}
