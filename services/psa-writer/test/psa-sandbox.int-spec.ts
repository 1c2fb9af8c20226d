import { randomUUID } from 'node:crypto';
import { Subjects, type PayloadInput } from '@desk/contracts';
import type { DeskApp } from '@desk/platform';
import { cleanup, isolatedEnv, query, startApp, waitFor } from '../../../libs/platform/test/helpers';
import { startTestSandbox } from '../../../sandbox/test/sandbox-harness';
import { PsaSandbox } from '../../../test/e2e/psa-sandbox';
import { PsaWriterModule } from '../src/psa-writer.module';
import { SUMMARY_SECTIONS } from '../src/domain/composers';

/**
 * psa-writer through the real ConnectWise adapter against the sandbox PSA: what lands on the ticket,
 * and a 503 period (the sandbox's fault injection) while tickets flow — every note exactly once, in order.
 */
const iso = isolatedEnv({ PSA_WRITER_POLL_MS: '50', PSA_WRITER_RETRY_BASE_MS: '100', PSA_WRITER_MAX_BACKOFF_MS: '1000' });
const schema = `${iso.schemaPrefix}psa_writer`;
let sb: Awaited<ReturnType<typeof startTestSandbox>>;
let desk: DeskApp;
let cw: string;
const CW_AUTH = { authorization: `Basic ${Buffer.from('harborline+sandboxpub:sandboxpriv').toString('base64')}`, clientId: '00000000-0000-4000-8000-00000000c0de' };

beforeAll(async () => {
  sb = await startTestSandbox();
  process.env.SANDBOX_URL = sb.url;
  cw = `${sb.url}/cw/v4_6_release/apis/3.0`;
  desk = await startApp('psa-writer', PsaWriterModule);
}, 90_000);

afterAll(async () => {
  await desk?.close();
  await sb?.stop();
  await cleanup(iso);
}, 60_000);

const get = async <T>(path: string): Promise<T> => (await (await fetch(`${cw}${path}`, { headers: CW_AUTH })).json()) as T;
interface CwNote { text: string; internalAnalysisFlag?: boolean; resolutionFlag?: boolean; detailDescriptionFlag?: boolean }

function ticket(summary: string) {
  return { channel: 'email' as const, psa: null, clientIdentifier: 'ContosoDental', summary, description: `Details of ${summary}`, fromEmail: 'kevin.oneil@contoso-dental.example', fromName: 'Kevin ONeil', receivedAt: new Date().toISOString() };
}
const triage = {
  category: 'printer' as const, confidence: 0.9, classifier: 'embedded' as const, clientIdentifier: 'ContosoDental',
  requester: { contactId: null, email: 'kevin.oneil@contoso-dental.example', name: 'Kevin ONeil', upn: null }, affectedUpn: null,
  priority: { level: 3, name: 'Priority 3 - Medium', reasons: [] }, security: { flagged: false, signals: [] },
  route: { decision: 'autonomous' as const, reasons: [], policyMode: 'autonomous' as const, threshold: 0.7 },
};
async function publish<S extends (typeof Subjects)[keyof typeof Subjects]>(subject: S, ticketId: string, payload: PayloadInput<S>): Promise<void> {
  await desk.core.uow.run((ctx) => ctx.publish(subject, { ticketId, mspClientId: 'ContosoDental', correlationId: ticketId }, payload));
}
async function flow(ticketId: string, summary: string) {
  const t = ticket(summary);
  await publish(Subjects.ticketTriaged, ticketId, { ticket: t, triage });
  await publish(Subjects.ticketPlanned, ticketId, { ticket: t, category: 'printer', stage: 'executing', plan: [], customerMessage: 'We are clearing the print queue now.', internalNote: `Plan for ${summary}: clear_print_queue` });
  await publish(Subjects.ticketResolved, ticketId, { ticket: t, category: 'printer', actions: ['clear_print_queue'], evidence: [], customerMessage: 'The print queue was cleared.', internalNote: 'Spooler running, queue empty', handlingSeconds: 95 });
}
const pending = async () => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".psa_write WHERE status = 'pending'`))[0]!.n);
const psaId = async (ticketId: string) => (await query<{ psa_ticket_id: string }>(`SELECT psa_ticket_id FROM "${schema}".ticket_map WHERE ticket_id = $1`, [ticketId]))[0]?.psa_ticket_id;
// The ticket's own description is its first Discussion note on ConnectWise; the rest is the desk's.
const deskNotes = (notes: CwNote[]) => notes.filter((n) => !n.text.startsWith('Details of '));

test('opens the CW ticket, writes the first response, plan, resolution, time entry and status', async () => {
  const ticketId = randomUUID();
  await flow(ticketId, 'Front desk printer queue stuck');
  const id = await waitFor(() => psaId(ticketId), 30_000, 'PSA ticket');
  await waitFor(async () => (await pending()) === 0, 30_000, 'writes');
  const t = await get<{ status: { name: string }; board: { name: string }; company: { identifier: string } }>(`/service/tickets/${id}`);
  expect(t).toMatchObject({ status: { name: 'Resolved' }, board: { name: 'Service Desk' }, company: { identifier: 'ContosoDental' } });
  const notes = deskNotes(await get<CwNote[]>(`/service/tickets/${id}/notes?pageSize=100`));
  expect(notes.map((n) => n.text.split('\n')[0])).toEqual(['Hi Kevin,', 'Desk triage', 'Plan for Front desk printer queue stuck: clear_print_queue', 'We are clearing the print queue now.', 'Desk resolution', 'Hi Kevin,']);
  expect(notes[5]!.resolutionFlag).toBe(true);
  const times = await get<Array<{ member: { identifier: string }; workType?: { name: string }; billableOption?: string }>>(`/time/entries?conditions=${encodeURIComponent(`chargeToId = ${id}`)}`);
  expect(times).toHaveLength(1);
  expect(times[0]!.member.identifier).toBe('L1Agent');
}, 90_000);

// Short by default; issue 7's full run (100 tickets, 60 s of 503): npm run outage:sandbox -w services/psa-writer.
const OUTAGE_TICKETS = Number(process.env.SANDBOX_OUTAGE_TICKETS ?? 5);
const OUTAGE_MS = Number(process.env.SANDBOX_OUTAGE_SECONDS ?? 8) * 1000;

test(`a ${OUTAGE_MS / 1000} s 503 period at the sandbox PSA while ${OUTAGE_TICKETS} tickets flow: writes queue, then every note lands exactly once, in order per ticket`, async () => {
  const ids = Array.from({ length: OUTAGE_TICKETS }, () => randomUUID());
  const started = Date.now();
  sb.ctx.faults.add({ vendor: 'connectwise', kind: 'server_error', value: 503, until: started + OUTAGE_MS });
  for (const [i, id] of ids.entries()) await flow(id, `Outage printer ${i}`);
  // Just before the PSA comes back nothing has reached it: every ticket is still to be created.
  await new Promise((r) => setTimeout(r, Math.max(0, started + OUTAGE_MS - 1000 - Date.now())));
  expect(await query(`SELECT count(*)::int AS n FROM "${schema}".psa_write WHERE ticket_id = ANY($1::uuid[]) AND status = 'done' AND kind = 'create_ticket'`, [ids])).toEqual([{ n: 0 }]);
  await new Promise((r) => setTimeout(r, Math.max(0, started + OUTAGE_MS + 500 - Date.now())));
  const drainStart = Date.now();
  await waitFor(async () => (await pending()) === 0, 90_000 + OUTAGE_TICKETS * 3000, 'drained after the outage');
  process.stdout.write(`outage: ${OUTAGE_TICKETS} tickets, ${OUTAGE_MS / 1000} s of 503; drained ${((Date.now() - drainStart) / 1000).toFixed(1)} s after the PSA came back\n`);
  expect(await query(`SELECT kind, last_error FROM "${schema}".psa_write WHERE ticket_id = ANY($1::uuid[]) AND status = 'failed'`, [ids])).toEqual([]);
  for (const [i, id] of ids.entries()) {
    const psa = await psaId(id);
    const notes = deskNotes(await get<CwNote[]>(`/service/tickets/${psa}/notes?pageSize=100`));
    expect(notes.map((n) => n.text.split('\n')[0])).toEqual(['Hi Kevin,', 'Desk triage', `Plan for Outage printer ${i}: clear_print_queue`, 'We are clearing the print queue now.', 'Desk resolution', 'Hi Kevin,']);
  }
  const tickets = await get<unknown[]>(`/service/tickets?conditions=${encodeURIComponent('summary like "Outage printer%"')}&pageSize=1000`);
  expect(tickets).toHaveLength(ids.length);
}, 240_000 + OUTAGE_MS + OUTAGE_TICKETS * 4000);

test('a security escalation moves the ticket to the Security board at priority 1 and pages the on-call', async () => {
  const ticketId = randomUUID();
  const t = ticket('Suspicious invoice link clicked');
  const eventRef = randomUUID();
  await publish(Subjects.ticketEscalated, ticketId, {
    ticket: t, category: 'security_incident', stage: 'triage', reason: 'security_incident', reasons: ['credential phishing reported', `trace ${eventRef}`],
    summary: { asked: 'User clicked a link in an invoice mail and typed a password', tried: ['reset_password: temporary password is Xy7!pQ2zk'], learned: ['The link went to a look-alike sign-in page'],
      context: { client: 'Contoso Dental Group', requester: 'Kevin ONeil', affectedUser: 'kevin.oneil@contoso-dental.example', assets: [], relatedTickets: [], documents: ['Phishing report handling'] },
      suggestedNextStep: 'Revoke sessions and reset the password after a call-back', confidence: 0.9 },
    priorityLevel: 2, security: true,
  });
  const id = await waitFor(() => psaId(ticketId), 30_000, 'PSA ticket');
  await waitFor(async () => (await pending()) === 0, 30_000, 'writes');
  const tk = await get<{ board: { name: string }; priority: { name: string } }>(`/service/tickets/${id}`);
  expect(tk).toMatchObject({ board: { name: 'Security' }, priority: { name: 'Priority 1 - Critical' } });
  const notes = deskNotes(await get<CwNote[]>(`/service/tickets/${id}/notes?pageSize=100`));
  const summary = notes.find((n) => n.text.startsWith('ESCALATION SUMMARY'))!;
  expect(summary.internalAnalysisFlag).toBe(true);
  // Issue 7, must-show 4: every section of the hand-over, read back from the PSA.
  for (const section of SUMMARY_SECTIONS) expect(summary.text).toContain(`${section}:`);
  expect(summary.text).toMatch(/Client: Contoso Dental Group[\s\S]*Documents used: Phishing report handling/);
  // …and nothing secret or internal in what the customer sees on the ticket.
  const customer = notes.filter((n) => !n.internalAnalysisFlag);
  expect(customer.length).toBeGreaterThanOrEqual(1); // the escalation note
  for (const n of customer) {
    expect(n.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    expect(n.text).not.toContain('Xy7!pQ2zk');
    expect(n.text).not.toMatch(/ESCALATION SUMMARY|trace|security_incident/);
  }
  const outbox = await (await fetch(`${sb.url}/admin/outbox`)).json() as Array<{ channel: string; body: string }>;
  expect(outbox.filter((m) => /Security incident: ContosoDental/.test(JSON.stringify(m))).length).toBeGreaterThanOrEqual(1);
}, 90_000);

test.each([
  { client: 'TailspinMfg', system: 'halopsa' as const, from: 'michael.torres@tailspin-mfg.example', name: 'Michael Torres' },
  { client: 'RiverbendFdn', system: 'autotask' as const, from: 'thomas.reed@riverbend-foundation.example', name: 'Thomas Reed' },
])('through $system: ticket, first response, plan and resolution note, each once, no write failed', async (c) => {
  const ticketId = randomUUID();
  const t = { ...ticket(`Print queue stuck (${c.system})`), clientIdentifier: c.client, fromEmail: c.from, fromName: c.name };
  const tr = { ...triage, clientIdentifier: c.client, requester: { ...triage.requester, email: c.from, name: c.name } };
  const origin = { ticketId, mspClientId: c.client, correlationId: ticketId };
  await desk.core.uow.run((ctx) => ctx.publish(Subjects.ticketTriaged, origin, { ticket: t, triage: tr }));
  await desk.core.uow.run((ctx) => ctx.publish(Subjects.ticketPlanned, origin, { ticket: t, category: 'printer', stage: 'executing', plan: [], customerMessage: 'We are clearing the print queue now.', internalNote: 'Plan: clear_print_queue' }));
  await desk.core.uow.run((ctx) => ctx.publish(Subjects.ticketResolved, origin, { ticket: t, category: 'printer', actions: ['clear_print_queue'], evidence: [], customerMessage: 'The print queue was cleared.', internalNote: 'Queue empty', handlingSeconds: 61 }));
  const id = await waitFor(() => psaId(ticketId), 30_000, 'PSA ticket');
  await waitFor(async () => (await pending()) === 0, 60_000, 'writes');
  expect(await query(`SELECT kind, last_error FROM "${schema}".psa_write WHERE ticket_id = $1 AND status = 'failed'`, [ticketId])).toEqual([]);
  const view = await new PsaSandbox(sb.url).view({ system: c.system, id: id! });
  const texts = view.notes.map((n) => n.text);
  expect(texts.filter((x) => /we have received your request/i.test(x))).toHaveLength(1);
  expect(texts.filter((x) => x.startsWith('Plan: clear_print_queue'))).toHaveLength(1);
  expect(texts.filter((x) => /The print queue was cleared/.test(x))).toHaveLength(1);
}, 90_000);
