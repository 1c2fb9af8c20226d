import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ROOT, SERVICE_NAMES, startDesk, type DeskProcesses } from '../support/desk-processes';
import { e164, UserSimulator, wrongCodeFor, type WorldContact } from '../support/user-simulator';
import { PsaSandbox, type PsaView } from './psa-sandbox';
import { until as waitUntil } from '../support/until';

/**
 * Identity verification end to end (issue 10, must-show 1 and 2), with the user played through the
 * sandbox only: a password-reset ticket in the client's PSA → a one-time code reaches the mobile on file
 * and nothing else → the user answers by SMS → Graph resets the password → the temporary password reaches
 * that phone only and appears in no process output, PSA note or JetStream message of the run. Then the
 * bad answers: three wrong codes, a code from another phone, a code that expired (a client's own short
 * lifetime from the desk configuration) → no identity write at all, escalated with the reason.
 */
jest.setTimeout(900_000);

let desk: DeskProcesses;
let sim: UserSimulator;
let psa: PsaSandbox;
let configDir: string;

/** The sandbox desk configuration with one client's verification policy changed, as an MSP would set it. */
function configWith(client: string, verification: string): string {
  const text = readFileSync(join(ROOT, 'config/desk.sandbox.yaml'), 'utf8');
  const marker = `  - identifier: ${client}\n`;
  if (!text.includes(marker)) throw new Error(`${client} not in config/desk.sandbox.yaml`);
  configDir = mkdtempSync(join(tmpdir(), 'desk-verification-'));
  const file = join(configDir, 'desk.yaml');
  writeFileSync(file, text.replace(marker, `${marker}    verification: ${verification}\n`));
  return file;
}

// Tailspin's codes live 15 seconds (its own policy); every other client keeps the default 15 minutes.
const TAILSPIN_CODE_TTL_S = 15;

beforeAll(async () => {
  // Full logs for this run, so "never logged" is checked against everything the services write. The
  // executor's clock ticks every second, so an expired code is noticed without anyone answering.
  desk = await startDesk({
    env: { LOG_LEVEL: 'debug', DESK_CONFIG: configWith('TailspinMfg', `{ codeTtlSeconds: ${TAILSPIN_CODE_TTL_S} }`) },
    envFor: { executor: { EXECUTOR_TICK_MS: '1000' } },
    readyTimeoutMs: 400_000,
  });
  sim = new UserSimulator(desk.sandboxUrl);
  psa = new PsaSandbox(desk.sandboxUrl);
  execFileSync(process.execPath, [join(ROOT, 'scripts/register-psa-webhooks.mjs'), '--intake', desk.urls.intake], { env: { ...process.env, ...desk.env }, stdio: 'pipe' });
  await sim.pointInboundAt(desk.urls.intake);
});

afterAll(async () => {
  await desk?.stop();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

const until = <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 180_000): Promise<T> =>
  waitUntil(what, probe, { timeoutMs, intervalMs: 500, logsOnTimeout: () => `--- intake\n${desk.logs('intake', 20)}\n--- executor\n${desk.logs('executor', 30)}` });

interface Opened { psaId: string; deskTicketId: string; number: string | null; since: string; person: WorldContact }

/** A password-reset ticket entered by the person on the client's portal (ConnectWise), once the desk waits for the code. */
async function openResetTicket(email: string, client: string, summary: string): Promise<Opened> {
  const person = sim.contactByEmail(email)!;
  const since = new Date(Date.now() - 1000).toISOString();
  const res = await fetch(`${desk.sandboxUrl}/admin/psa/connectwise/tickets`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientIdentifier: client, contactEmail: email, summary, description: `${summary}. I cannot sign in this morning, please reset my password. Thanks, ${person.firstName}` }),
  });
  expect(res.status).toBe(201);
  const psaId = String(((await res.json()) as { id: number }).id);
  const link = await until('intake to link the ticket', async () => (await desk.query<{ ticket_id: string; psa_number: string | null }>(
    `SELECT ticket_id, psa_number FROM ${desk.schema('intake')}.ticket_link WHERE psa_system = 'connectwise' AND psa_ticket_id = $1`, [psaId]))[0]);
  await until('the desk to wait for the code', async () => (await stateOf(link.ticket_id))?.state === 'awaiting_verification'
    || (await stateOf(link.ticket_id))?.state === 'escalated');
  return { psaId, deskTicketId: link.ticket_id, number: link.psa_number, since, person };
}

async function stateOf(ticketId: string): Promise<{ state: string; reason: string | null } | null> {
  return (await desk.query<{ state: string; reason: string | null }>(`SELECT state, reason FROM ${desk.schema('desk_ledger')}.ticket_state WHERE ticket_id = $1`, [ticketId]))[0] ?? null;
}

async function finalState(ticketId: string): Promise<{ state: string; reason: string | null }> {
  return until(`ticket ${ticketId} to end`, async () => {
    const s = await stateOf(ticketId);
    return s && ['resolved', 'escalated', 'closed'].includes(s.state) ? s : null;
  });
}

interface Call { seq: number; vendor: string; method: string; path: string; status: number; body?: unknown }
async function graphWrites(upn: string, sinceSeq = 0): Promise<Call[]> {
  const calls = (await (await fetch(`${desk.sandboxUrl}/admin/calls?vendor=graph&sinceSeq=${sinceSeq}`)).json()) as Call[];
  const id = await graphUserId(upn);
  return calls.filter((c) => c.method !== 'GET' && !/\/sendMail/i.test(c.path) && !/oauth2|\/login\//.test(c.path)
    && (decodeURIComponent(c.path).toLowerCase().includes(upn.toLowerCase()) || c.path.includes(id)));
}

async function graphUser(upn: string): Promise<{ id: string; lastPasswordChangeDateTime: string | null }> {
  const tenant = upn.split('@')[1]!;
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-graph-client', client_secret: 'sandbox-graph-secret', scope: 'https://graph.microsoft.com/.default' });
  const tok = (await (await fetch(`${desk.sandboxUrl}/login/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: form })).json()) as { access_token: string };
  const res = await fetch(`${desk.sandboxUrl}/graph/v1.0/users/${encodeURIComponent(upn)}?$select=id,lastPasswordChangeDateTime`, { headers: { authorization: `Bearer ${tok.access_token}` } });
  return (await res.json()) as { id: string; lastPasswordChangeDateTime: string | null };
}
const graphUserId = async (upn: string) => (await graphUser(upn)).id;

/** Every message payload on the run's JetStream stream, as text. */
async function streamPayloads(): Promise<string[]> {
  const nc = await connect({ servers: desk.env.NATS_URL! });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(desk.env.NATS_STREAM!);
    const out: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(desk.env.NATS_STREAM!, { seq }).catch(() => null);
      if (m) out.push(new TextDecoder().decode(m.data));
    }
    return out;
  } finally {
    await nc.close();
  }
}

const allLogs = () => (['sandbox', ...SERVICE_NAMES] as const).map((n) => desk.logs(n, 100_000)).join('\n');
const notesText = (v: PsaView) => v.notes.map((n) => n.text).join('\n');

describe('identity verification by a one-time code to the mobile on file', () => {
  it('resets the password after the right code by SMS; the temporary password reaches only that phone', async () => {
    const upn = 'marcus.bell@alderbrooks-cpa.example';
    const before = await graphUser(upn);
    const t = await openResetTicket(upn, 'AlderBrooksCPA', 'Password expired - need reset');
    expect((await stateOf(t.deskTicketId))?.state).toBe('awaiting_verification');
    const mobile = e164(t.person.mobile!);

    // The code went to the mobile on file, and nowhere else (no other phone, no mailbox, no chat).
    const got = await sim.waitForCode(mobile, t.since, 30_000);
    expect(got).not.toBeNull();
    const everything = await sim.everythingSince(t.since);
    expect(everything.filter((m) => m.body.includes(got!.code)).map((m) => `${m.channel}:${m.to}`)).toEqual([`sms:${mobile}`]);

    const writesBefore = await graphWrites(upn);
    expect(writesBefore).toEqual([]);
    await sim.sendSms(mobile, got!.code);
    const end = await finalState(t.deskTicketId);
    expect(end.state).toBe('resolved');

    // The reset happened in Graph: a PATCH with a password profile, and the timestamp moved.
    const writes = await graphWrites(upn);
    expect(writes.some((c) => c.method === 'PATCH' && c.status < 300)).toBe(true);
    const after = await graphUser(upn);
    expect(Date.parse(after.lastPasswordChangeDateTime ?? '0')).toBeGreaterThan(Date.parse(before.lastPasswordChangeDateTime ?? '0'));

    // The temporary password: by SMS to the same phone, and in no other message, log, note or NATS payload.
    const pwMsg = await until('the temporary password SMS', async () => (await sim.outbox({ channel: 'sms', to: mobile, since: t.since })).find((m) => /temporary password/i.test(m.body)));
    const password = /temporary password is (\S+)/i.exec(pwMsg.body)?.[1];
    expect(password).toBeDefined();
    expect(password!.length).toBeGreaterThanOrEqual(12);
    const carrying = (await sim.everythingSince(t.since)).filter((m) => m.body.includes(password!)).map((m) => `${m.channel}:${m.to}`);
    expect(carrying).toEqual([`sms:${mobile}`]);
    const view = await until('the desk notes on the PSA ticket', async () => {
      const v = await psa.view({ system: 'connectwise', id: t.psaId });
      return v.notes.length >= 2 ? v : null;
    });
    expect(notesText(view)).not.toContain(password!);
    expect(notesText(view)).not.toContain(got!.code);
    expect(allLogs()).not.toContain(password!);
    expect(allLogs()).not.toContain(got!.code);
    const payloads = await streamPayloads();
    expect(payloads.length).toBeGreaterThan(0);
    expect(payloads.filter((p) => p.includes(password!))).toEqual([]);
    const calls = JSON.stringify(await (await fetch(`${desk.sandboxUrl}/admin/calls`)).json());
    expect(calls).not.toContain(password!);
  });

  it('three wrong codes: no identity write, escalated with the reason; the right code afterwards changes nothing', async () => {
    const upn = 'aisha.rahman@contoso-dental.example';
    const t = await openResetTicket(upn, 'ContosoDental', 'Password reset please');
    const mobile = e164(t.person.mobile!);
    const got = await sim.waitForCode(mobile, t.since, 30_000);
    expect(got).not.toBeNull();
    const wrong = wrongCodeFor(got!.code);
    for (let i = 0; i < 3; i++) {
      await sim.sendSms(mobile, wrong.slice(0, 5) + String((Number(wrong[5]) + i) % 10));
      // Each answer is its own reply event; spacing them keeps the attempts in order.
      await new Promise((r) => setTimeout(r, 2500));
    }
    const end = await finalState(t.deskTicketId);
    expect(end.state).toBe('escalated');
    const reasons = await escalationReasons(t.deskTicketId);
    expect(reasons).toMatch(/wrong code 3 times|verification/i);
    await sim.sendSms(mobile, got!.code);
    await new Promise((r) => setTimeout(r, 5000));
    expect(await graphWrites(upn)).toEqual([]);
    expect((await stateOf(t.deskTicketId))?.state).toBe('escalated');
  });

  it('the right code from another phone: no identity write, escalated with the reason', async () => {
    const upn = 'carlos.mendes@whitfieldcrane-law.example';
    const t = await openResetTicket(upn, 'WhitfieldCrane', 'Password reset please');
    const mobile = e164(t.person.mobile!);
    const got = await sim.waitForCode(mobile, t.since, 30_000);
    expect(got).not.toBeNull();
    const other = sim.someoneElsesMobile(t.person);
    // The code alone from a phone with no waiting ticket does not reach this ticket at all...
    await sim.sendSms(other, got!.code);
    await new Promise((r) => setTimeout(r, 5000));
    expect(await graphWrites(upn)).toEqual([]);
    // ...and naming the ticket from that phone ends verification: a code from a number not on file.
    expect((await stateOf(t.deskTicketId))?.state).toBe('awaiting_verification');
    const number = t.number ?? t.psaId;
    await sim.sendSms(other, `${got!.code} ticket #${number}`);
    const end = await until(`escalation once another phone names ticket #${number}`, async () => {
      const s = await stateOf(t.deskTicketId);
      return s && ['resolved', 'escalated', 'closed'].includes(s.state) ? s : null;
    });
    expect(end.state).toBe('escalated');
    expect(await escalationReasons(t.deskTicketId)).toMatch(/not the mobile on file|verification/i);
    expect(await graphWrites(upn)).toEqual([]);
    const view = await psa.view({ system: 'connectwise', id: t.psaId });
    expect(view.status ?? '').not.toMatch(/resolved|closed/i);
  });

  it('an expired code (the client\'s 15-second policy): escalated by the clock, the right code afterwards changes nothing', async () => {
    const upn = 'kyle.brandt@tailspin-mfg.example';
    const person = sim.contactByEmail(upn)!;
    const mobile = e164(person.mobile!);
    const since = new Date(Date.now() - 1000).toISOString();
    const created = await psa.createTicket('halopsa', {
      company: 'Tailspin Precision Manufacturing', contactEmail: upn, summary: 'Password reset please',
      description: `I forgot my password and cannot sign in. Please reset it. Thanks, ${person.firstName}`,
    });
    const ticketId = await until('intake to link the Halo ticket', async () => (await desk.query<{ ticket_id: string }>(
      `SELECT ticket_id FROM ${desk.schema('intake')}.ticket_link WHERE psa_system = 'halopsa' AND psa_ticket_id = $1`, [created.id]))[0]?.ticket_id);
    const got = await sim.waitForCode(mobile, since, 120_000);
    expect(got).not.toBeNull();
    // The SMS states the client's lifetime, not the default one.
    expect(got!.message.body).toMatch(/expires in 1 minute\b/);
    // Nobody answers: the clock ends it (15 s lifetime, 1 s ticks), with the reason.
    const end = await finalState(ticketId);
    expect(end.state).toBe('escalated');
    expect(await escalationReasons(ticketId)).toMatch(/expired/);
    const sentAt = Date.parse(got!.message.at);
    const escalatedAt = Date.parse((await desk.query<{ at: string }>(`SELECT at FROM ${desk.schema('desk_ledger')}.ticket_transition WHERE ticket_id = $1 AND state = 'escalated'`, [ticketId]))[0]!.at);
    expect(escalatedAt - sentAt).toBeGreaterThanOrEqual(TAILSPIN_CODE_TTL_S * 1000 - 1000);
    // The right code, late: nothing happens.
    await sim.sendSms(mobile, got!.code);
    await new Promise((r) => setTimeout(r, 5000));
    expect(await graphWrites(upn)).toEqual([]);
    expect((await stateOf(ticketId))?.state).toBe('escalated');
  });
});

async function escalationReasons(ticketId: string): Promise<string> {
  const rows = await desk.query<{ reason: string | null; why: unknown }>(
    `SELECT t.reason, NULL AS why FROM ${desk.schema('desk_ledger')}.ticket_transition t WHERE t.ticket_id = $1 AND t.state = 'escalated'
     UNION ALL SELECT a.decision, a.why FROM ${desk.schema('desk_ledger')}.audit_entry a WHERE a.ticket_id = $1 AND a.service = 'executor'`, [ticketId]);
  return rows.map((r) => `${r.reason ?? ''} ${r.why ? JSON.stringify(r.why) : ''}`).join('\n');
}
