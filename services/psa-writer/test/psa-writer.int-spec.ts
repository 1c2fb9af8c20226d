import { randomUUID } from 'node:crypto';
import { AdapterRegistry, type Notifier } from '@desk/adapters';
import { Subjects, type PayloadInput } from '@desk/contracts';
import type { DeskApp } from '@desk/platform';
import { cleanup, isolatedEnv, NATS_URL, query, startApp, waitFor } from '../../../libs/platform/test/helpers';
import { streamEvents } from '../../intake/test/helpers';
import { PsaWriterModule } from '../src/psa-writer.module';
import { SUMMARY_SECTIONS } from '../src/domain/composers';
import { adapterCache, FakePsa, serveFakePsa } from './fake-psa';

const iso = isolatedEnv({ PSA_WRITER_POLL_MS: '50', PSA_WRITER_RETRY_BASE_MS: '50', PSA_WRITER_MAX_BACKOFF_MS: '400', PSA_RATE_LIMITS: 'connectwise=200/50' });
const schema = `${iso.schemaPrefix}psa_writer`;
const psa = new FakePsa();
const pages: Array<{ channel: string; subject?: string; body: string }> = [];
let desk: DeskApp;

beforeAll(async () => {
  desk = await startApp('psa-writer', PsaWriterModule);
  // Test seam: the registry hands out the in-memory PSA and a recording notifier for every client.
  serveFakePsa(desk, psa);
  const registry = desk.app.get(AdapterRegistry);
  const msp = registry.config.msp.notify;
  const notifier: Notifier = {
    send: async (target, msg) => { pages.push({ channel: target.channel, subject: msg.subject, body: msg.body }); return { providerMessageId: null, status: 'sent', detail: null }; },
    channels: () => ['webhook', 'teams'],
    defaultTarget: (channel) => (channel === 'teams' && msp.teamsWebhookUrl ? { channel, webhookUrl: msp.teamsWebhookUrl } : channel === 'webhook' && msp.pagingWebhook ? { channel, url: msp.pagingWebhook.url } : null),
  };
  adapterCache(desk).set('notify:*msp*', notifier);
}, 60_000);

afterAll(async () => {
  await desk?.close();
  await cleanup(iso);
}, 60_000);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function ticket(summary: string) {
  return { channel: 'email' as const, psa: null, clientIdentifier: 'ContosoDental', summary, description: `Details of ${summary}`, fromEmail: 'amy.lee@contoso-dental.example', fromName: 'Amy Lee', receivedAt: new Date().toISOString() };
}
const triage = {
  category: 'password_reset' as const, confidence: 0.91, classifier: 'embedded' as const, clientIdentifier: 'ContosoDental',
  requester: { contactId: '7', email: 'amy.lee@contoso-dental.example', name: 'Amy Lee', upn: 'amy.lee@contoso-dental.example' }, affectedUpn: 'amy.lee@contoso-dental.example',
  priority: { level: 3, name: 'Priority 3 - Medium', reasons: [] }, security: { flagged: false, signals: [] },
  route: { decision: 'autonomous' as const, reasons: ['runbook allows it'], policyMode: 'autonomous' as const, threshold: 0.7 },
};

async function publish<S extends (typeof Subjects)[keyof typeof Subjects]>(subject: S, ticketId: string, payload: PayloadInput<S>): Promise<void> {
  await desk.core.uow.run((ctx) => ctx.publish(subject, { ticketId, mspClientId: 'ContosoDental', correlationId: ticketId }, payload));
}

async function runTicket(ticketId: string, summary: string): Promise<void> {
  const t = ticket(summary);
  await publish(Subjects.ticketTriaged, ticketId, { ticket: t, triage });
  await publish(Subjects.ticketPlanned, ticketId, { ticket: t, category: 'password_reset', stage: 'awaiting_verification', plan: [], customerMessage: `We sent a one-time code to your mobile on file. Reference ${ticketId}.`, internalNote: 'Plan: reset_password after code verification' });
  await publish(Subjects.ticketResolved, ticketId, { ticket: t, category: 'password_reset', actions: ['reset_password'], evidence: [{ source: 'graph', detail: 'passwordProfile updated', at: new Date().toISOString() }], customerMessage: 'Your password was reset; the temporary password is Tmp!92kd and went to your mobile.', internalNote: 'Verified by sign-in log', handlingSeconds: 73 });
}

const pending = async () => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".psa_write WHERE status = 'pending'`))[0]!.n);
const psaIdOf = async (ticketId: string) => (await query<{ psa_ticket_id: string }>(`SELECT psa_ticket_id FROM "${schema}".ticket_map WHERE ticket_id = $1`, [ticketId]))[0]?.psa_ticket_id ?? null;
const EXPECTED = ['create Service Desk', 'note customer', 'note internal', 'note internal', 'note customer', 'status Waiting on Verification', 'note internal', 'note resolution', 'time 0.0203', 'status Resolved'];

test('a ticket without a PSA ticket gets one, the first response, plan and resolution, in order, and psaLinked is published', async () => {
  const ticketId = randomUUID();
  await runTicket(ticketId, 'Locked out of email');
  const psaId = await waitFor(() => psaIdOf(ticketId), 20_000, 'PSA ticket');
  await waitFor(async () => (await pending()) === 0 && psa.tickets.get(psaId)!.status === 'Resolved', 20_000, 'writes drained');
  expect(psa.log.filter((l) => l.startsWith(`${psaId} `)).map((l) => l.slice(psaId.length + 1))).toEqual(EXPECTED);
  const t = psa.tickets.get(psaId)!;
  expect(t.notes[0]!.text).toMatch(/^Hi Amy,\n\nThank you, we have received your request/);
  for (const n of t.notes.filter((x) => !x.internal)) {
    expect(n.text).not.toMatch(UUID);
    expect(n.text).not.toContain('Tmp!92kd');
  }
  expect(t.times).toEqual([expect.objectContaining({ memberIdentifier: 'L1Agent', workType: 'Automation', billable: false, agreementId: '1' })]);
  const linked = await waitFor(async () => (await streamEvents(NATS_URL, iso.stream, `${iso.prefix}${Subjects.ticketPsaLinked}`)).find((e) => e.ticketId === ticketId), 10_000, 'psaLinked');
  expect(linked.payload).toMatchObject({ psa: { system: 'connectwise', id: psaId }, clientIdentifier: 'ContosoDental' });
}, 60_000);

// The short version by default; the full one: OUTAGE_TICKETS=100 OUTAGE_SECONDS=60 (npm run outage:full -w services/psa-writer).
const OUTAGE_TICKETS = Number(process.env.OUTAGE_TICKETS ?? 12);
const OUTAGE_MS = Number(process.env.OUTAGE_SECONDS ?? 1.5) * 1000;

test(`PSA outage: ${OUTAGE_TICKETS} tickets flow while the PSA answers 503 for ${OUTAGE_MS / 1000}s; afterwards each note is there exactly once, in order per ticket`, async () => {
  psa.down = true;
  const downSince = Date.now();
  const ids = Array.from({ length: OUTAGE_TICKETS }, () => randomUUID());
  for (const [i, id] of ids.entries()) await runTicket(id, `Outage ticket ${i}`);
  await waitFor(async () => (await pending()) >= ids.length * EXPECTED.length, 60_000 + OUTAGE_TICKETS * 500, 'writes queued');
  await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - downSince))));
  expect(psa.tickets.size).toBe(1); // only the first test's ticket: nothing got through the outage
  psa.rateLimitNext = 3; // the PSA comes back throttling first
  psa.down = false;
  await waitFor(async () => (await pending()) === 0, 40_000 + OUTAGE_TICKETS * 1000, 'queue drained');
  for (const id of ids) {
    const psaId = (await psaIdOf(id))!;
    expect(psa.log.filter((l) => l.startsWith(`${psaId} `)).map((l) => l.slice(psaId.length + 1))).toEqual(EXPECTED);
  }
  const failed = await query(`SELECT * FROM "${schema}".psa_write WHERE status = 'failed'`);
  expect(failed).toEqual([]);
}, 120_000 + OUTAGE_MS + OUTAGE_TICKETS * 2000);

test('a write whose response was lost is not written twice (the PSA is checked for it first)', async () => {
  const ticketId = randomUUID();
  const t = ticket('Lost response');
  await publish(Subjects.ticketTriaged, ticketId, { ticket: t, triage });
  const psaId = await waitFor(() => psaIdOf(ticketId), 20_000, 'PSA ticket');
  await waitFor(async () => (await pending()) === 0, 20_000, 'triage writes');
  psa.loseResponseOfNextNote = true;
  await publish(Subjects.ticketPlanned, ticketId, { ticket: t, category: 'password_reset', stage: 'executing', plan: [], customerMessage: null, internalNote: 'Plan: unlock' });
  await waitFor(async () => (await pending()) === 0 && psa.tickets.get(psaId)!.status === 'In Progress', 20_000, 'plan writes');
  const plans = psa.tickets.get(psaId)!.notes.filter((n) => n.text.startsWith('Plan: unlock'));
  expect(plans).toHaveLength(1);
  const row = await query<{ result: { alreadyThere: boolean }; attempts: number }>(`SELECT result, attempts FROM "${schema}".psa_write WHERE ticket_id = $1 AND kind = 'note' ORDER BY id DESC LIMIT 1`, [ticketId]);
  expect(row[0]).toMatchObject({ attempts: 2, result: { alreadyThere: true } });
}, 60_000);

test('a security escalation goes to the Security board at priority 1 with a full summary, a safe customer note, and a page', async () => {
  const ticketId = randomUUID();
  const t = ticket('Clicked a phishing link');
  const secretRef = randomUUID();
  await publish(Subjects.ticketEscalated, ticketId, {
    ticket: t, category: 'security_incident', stage: 'triage', reason: 'security_incident', reasons: ['credential phishing reported', `trace ${secretRef}`],
    summary: { asked: 'User clicked a link in a fake invoice', tried: [], learned: ['Link pointed to a look-alike login page'], context: { client: 'Contoso Dental Group', requester: 'Amy Lee', affectedUser: 'amy.lee@contoso-dental.example', assets: [], relatedTickets: [], documents: ['Phishing report handling'] }, suggestedNextStep: 'Revoke sessions, reset password by phone', confidence: 0.88 },
    priorityLevel: 2, security: true,
  });
  const psaId = await waitFor(() => psaIdOf(ticketId), 20_000, 'PSA ticket');
  await waitFor(async () => (await pending()) === 0 && pages.length > 0 && psa.tickets.get(psaId)!.board === 'Security', 20_000, 'escalation writes');
  const tk = psa.tickets.get(psaId)!;
  expect(tk.priority).toBe('Priority 1 - Critical');
  const summary = tk.notes.find((n) => n.internal && n.text.startsWith('ESCALATION SUMMARY'))!;
  for (const s of SUMMARY_SECTIONS) expect(summary.text).toContain(`${s}:`);
  const customer = tk.notes.filter((n) => !n.internal);
  expect(customer).toHaveLength(1);
  expect(customer[0]!.text).toMatch(/security team/);
  expect(customer[0]!.text).not.toMatch(UUID);
  expect(pages.map((p) => p.channel).sort()).toEqual(['teams', 'webhook']);
  expect(pages[0]!.body).not.toContain(secretRef);
}, 60_000);

test('agreements the PSA refuses to list: the time entry is still logged, as the desk\'s own unbilled work, and nothing fails', async () => {
  psa.agreementsRefused = true;
  try {
    const ticketId = randomUUID();
    const t = { ...ticket('Printer jam at reception'), clientIdentifier: 'AlderBrooksCPA' };
    const origin = { ticketId, mspClientId: 'AlderBrooksCPA', correlationId: ticketId };
    await desk.core.uow.run((ctx) => ctx.publish(Subjects.ticketTriaged, origin, { ticket: t, triage: { ...triage, clientIdentifier: 'AlderBrooksCPA' } }));
    await desk.core.uow.run((ctx) => ctx.publish(Subjects.ticketResolved, origin, { ticket: t, category: 'printer', actions: ['clear_print_queue'], evidence: [], customerMessage: 'Cleared.', internalNote: 'ok', handlingSeconds: 30 }));
    const psaId = await waitFor(() => psaIdOf(ticketId), 20_000, 'PSA ticket');
    await waitFor(async () => (await pending()) === 0 && psa.tickets.get(psaId)!.status === 'Resolved', 20_000, 'writes drained');
    expect(psa.tickets.get(psaId)!.times).toEqual([expect.objectContaining({ billable: false, agreementId: null, workType: 'Automation', notes: expect.stringContaining('agreements unreadable') })]);
    expect(await query(`SELECT kind FROM "${schema}".psa_write WHERE ticket_id = $1 AND status = 'failed'`, [ticketId])).toEqual([]);
  } finally {
    psa.agreementsRefused = false;
  }
}, 60_000);
