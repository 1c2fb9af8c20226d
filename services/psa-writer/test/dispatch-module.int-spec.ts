import { randomUUID } from 'node:crypto';
import { AdapterRegistry } from '@desk/adapters';
import type { DeskApp } from '@desk/platform';
import { cleanup, isolatedEnv, query, startApp, waitFor } from '../../../libs/platform/test/helpers';
import { startTestSandbox } from '../../../sandbox/test/sandbox-harness';
import { PsaWriterModule } from '../src/psa-writer.module';
import { FollowUpWorker } from '../src/followups/follow-up.worker';
import { SlaMonitor } from '../src/dispatch/sla-monitor';
import { PsaRateLimiter } from '../src/adapters/rate-limiter';
import { OwnerAssigner } from '../src/dispatch/owner-assigner';
import { Subjects } from '@desk/contracts';

/**
 * psa-writer with the dispatch module: its migration runs, the SLA watch reads escalations the drainer
 * routed and sets desk_sla_at_risk_tickets{client}, pages once through the write queue, and reads the PSA
 * only when that can change an answer (counted in the sandbox's call log); the follow-up worker fires
 * through the same queue. The SLA poll interval is an hour: its timer never fires here, the tests drive
 * `check()` and move the next look into the past.
 */
const iso = isolatedEnv({
  PSA_WRITER_POLL_MS: '200', DESK_SLA_POLL_MS: '3600000', DESK_FOLLOWUP_POLL_MS: '0', DESK_DISPATCH_POLL_MS: '0', DESK_DISPATCH_ON_CALL: 'pnguyen,aokafor,kwatanabe',
});
const schema = `${iso.schemaPrefix}psa_writer`;
let sb: Awaited<ReturnType<typeof startTestSandbox>>;
let desk: DeskApp;

beforeAll(async () => {
  sb = await startTestSandbox();
  process.env.SANDBOX_URL = sb.url;
  desk = await startApp('psa-writer', PsaWriterModule);
}, 90_000);
afterAll(async () => {
  await desk?.close();
  await sb?.stop();
  await cleanup(iso);
}, 60_000);

/** A ticket whose escalation route psa-writer wrote (so the SLA watch owes it a look), received at `received`. */
async function escalated(summary: string, received: Date): Promise<{ ticketId: string; psaId: string }> {
  const ticketId = randomUUID();
  const created = await desk.app.get(AdapterRegistry).psa('ContosoDental').createTicket({ companyIdentifier: 'ContosoDental', summary, description: 'waiting' });
  await query(`INSERT INTO "${schema}".ticket_map (ticket_id, client_identifier, system, psa_ticket_id, psa_number) VALUES ($1, 'ContosoDental', 'connectwise', $2, $2)`, [ticketId, created.id]);
  await query(`INSERT INTO "${schema}".psa_write (idempotency_key, lane, ticket_id, event_id, client_identifier, psa_system, kind, payload, sort_at, op_index, received_at, status, done_at)
    VALUES ($1, $2, $3, $4, 'ContosoDental', 'connectwise', 'route', '{"kind":"route","board":"Escalations","priority":null}', now(), 0, $5, 'done', now())`,
  [`${ticketId}:route`, ticketId, ticketId, randomUUID(), received]);
  return { ticketId, psaId: created.id };
}

/** Reads of one ticket in the sandbox ConnectWise since `since` (the SLA watch's looks: the ticket and its notes). */
const readsOf = async (psaId: string, since: number) => (await sb.calls.list({ vendor: 'connectwise', method: 'GET', pathContains: `/service/tickets/${psaId}`, sinceSeq: since })).length;
/** As if a poll interval had passed since the last look. */
const lookDue = (ticketId: string) => query(`UPDATE "${schema}".sla_watch SET next_check_at = now() - interval '1 minute' WHERE ticket_id = $1`, [ticketId]);
const atRiskGauge = async (client: string) => Number(new RegExp(`desk_sla_at_risk_tickets\\{client="${client}",service="psa-writer"\\} (\\d+)`).exec(await desk.core.metrics.text())?.[1]);
const THREE_DAYS_AGO = () => new Date(Date.now() - 3 * 24 * 3_600_000); // past any 60-minute business-time SLA

test('an escalated ticket nobody answered: counted at risk for its client, paged once, read at most once per poll interval', async () => {
  const { ticketId, psaId } = await escalated('Nobody answered', THREE_DAYS_AGO());
  const monitor = desk.app.get(SlaMonitor);
  let seq = await sb.calls.lastSeq();
  const statuses = await monitor.check();
  expect(statuses.find((s) => s.ticketId === ticketId)?.state).toBe('breached');
  expect(await readsOf(psaId, seq)).toBe(2);
  expect(await atRiskGauge('ContosoDental')).toBe(1);
  expect(await atRiskGauge('AlderBrooksCPA')).toBe(0);

  // The next pass comes before the poll interval is over: still at risk, not read again.
  seq = await sb.calls.lastSeq();
  expect((await monitor.check()).find((s) => s.ticketId === ticketId)?.state).toBe('breached');
  expect(await readsOf(psaId, seq)).toBe(0);
  expect(await atRiskGauge('ContosoDental')).toBe(1);
  // Once it is over, read again (nobody answered yet): no second page.
  await lookDue(ticketId);
  seq = await sb.calls.lastSeq();
  await monitor.check();
  expect(await readsOf(psaId, seq)).toBe(2);
  const pages = await query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".psa_write WHERE ticket_id = $1 AND kind = 'page'`, [ticketId]);
  expect(Number(pages[0]!.n)).toBe(1);
}, 60_000);

test('a ticket a technician answered is settled: never read again, not at risk', async () => {
  const { ticketId, psaId } = await escalated('Answered late', THREE_DAYS_AGO());
  // The technician's note, written through ConnectWise as that member (the desk's own notes do not count).
  const res = await fetch(`${sb.url}/cw/v4_6_release/apis/3.0/service/tickets/${psaId}/notes`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('harborline+sandboxpub:sandboxpriv').toString('base64')}`, clientId: '00000000-0000-4000-8000-00000000c0de',
      'content-type': 'application/json', accept: 'application/json',
    },
    body: JSON.stringify({ text: 'Looking at it now', detailDescriptionFlag: true, member: { identifier: 'aokafor' } }),
  });
  expect(res.status).toBe(201);
  const monitor = desk.app.get(SlaMonitor);
  let seq = await sb.calls.lastSeq();
  expect((await monitor.check()).find((s) => s.ticketId === ticketId)?.state).toBe('missed');
  expect(await readsOf(psaId, seq)).toBe(2);
  expect(await query(`SELECT settled_state FROM "${schema}".sla_watch WHERE ticket_id = $1`, [ticketId])).toEqual([{ settled_state: 'missed' }]);
  expect(await atRiskGauge('ContosoDental')).toBe(1); // the first test's ticket only

  await lookDue(ticketId);
  seq = await sb.calls.lastSeq();
  expect((await monitor.check()).find((s) => s.ticketId === ticketId)?.state).toBe('missed');
  expect(await readsOf(psaId, seq)).toBe(0);
  expect(await query(`SELECT count(*)::int AS n FROM "${schema}".psa_write WHERE ticket_id = $1 AND kind = 'page'`, [ticketId])).toEqual([{ n: 0 }]);
}, 60_000);

test('a ticket before its warn point is not read at all and not at risk', async () => {
  const { ticketId, psaId } = await escalated('Just escalated', new Date());
  const seq = await sb.calls.lastSeq();
  const statuses = await desk.app.get(SlaMonitor).check();
  expect(statuses.find((s) => s.ticketId === ticketId)?.state).toBe('on_track');
  expect(await readsOf(psaId, seq)).toBe(0);
  expect(await query(`SELECT count(*)::int AS n FROM "${schema}".sla_watch WHERE ticket_id = $1`, [ticketId])).toEqual([{ n: 0 }]);
  expect(await atRiskGauge('ContosoDental')).toBe(1);
}, 60_000);

test('the follow-up table is migrated with the service and the worker plans its timers', async () => {
  const worker = desk.app.get(FollowUpWorker);
  const ticketId = randomUUID();
  const since = new Date(Date.now() - 10 * 24 * 3_600_000);
  await desk.core.ds.transaction((tx) => worker.scheduler.startWaiting(tx, { ticketId, clientIdentifier: 'ContosoDental', psaSystem: 'connectwise', contactName: 'Kevin', since }));
  const timers = await query<{ step: string }>(`SELECT step FROM "${schema}".follow_up_timer WHERE ticket_id = $1 ORDER BY due_at`, [ticketId]);
  expect(timers.map((t) => t.step)).toEqual(['reminder_1', 'reminder_2', 'close']);
}, 30_000);

test('an escalation handled by psa-writer gets an owner: the security analyst on the Security board, with why', async () => {
  const ticketId = randomUUID();
  await desk.core.uow.run((ctx) => ctx.publish(Subjects.ticketEscalated, { ticketId, mspClientId: 'ContosoDental', correlationId: ticketId }, {
    ticket: { channel: 'email', psa: null, clientIdentifier: 'ContosoDental', summary: 'Clicked a phishing link', description: 'typed my password on a fake page',
      fromEmail: 'kevin.oneil@contoso-dental.example', fromName: 'Kevin ONeil', receivedAt: new Date().toISOString() },
    category: 'security_incident', stage: 'triage', reason: 'security_incident', reasons: ['credential phishing reported'],
    summary: { asked: 'User typed a password on a look-alike page', tried: [], learned: [], suggestedNextStep: 'Revoke sessions', confidence: 0.9,
      context: { client: 'Contoso Dental Group', requester: 'Kevin ONeil', affectedUser: null, assets: [], relatedTickets: [], documents: [] } },
    priorityLevel: 2, security: true,
  }));
  const assigner = desk.app.get(OwnerAssigner);
  await waitFor(async () => ((await assigner.drain()) > 0 ? true : null), 30_000, 'owner assigned');
  const [row] = await query<{ psa_ticket_id: string }>(`SELECT psa_ticket_id FROM "${schema}".ticket_map WHERE ticket_id = $1`, [ticketId]);
  const psa = desk.app.get(AdapterRegistry).psa('ContosoDental');
  expect(await psa.getTicket(row!.psa_ticket_id)).toMatchObject({ board: 'Security', ownerIdentifier: 'kwatanabe', priority: 'Priority 1 - Critical' });
  expect((await psa.listNotes(row!.psa_ticket_id)).filter((n) => n.text.startsWith('Dispatch'))).toHaveLength(1);
  const [req] = await query<{ status: string; owner: string }>(`SELECT status, owner FROM "${schema}".dispatch_request WHERE ticket_id = $1`, [ticketId]);
  expect(req).toEqual({ status: 'done', owner: 'kwatanabe' });
  expect(await assigner.drain()).toBe(0); // assigned once
}, 60_000);

test('the SLA watch spends the tenant\'s tokens only when one is free: a throttled tenant is looked at on a later pass', async () => {
  const { ticketId, psaId } = await escalated('Throttled tenant', THREE_DAYS_AGO());
  const conn = desk.app.get(AdapterRegistry).findClient('ContosoDental')!.psa;
  // As after a 429: the tenant's bucket (the one the writes use too) holds every caller for a moment.
  desk.app.get(PsaRateLimiter).bucket(conn).pause(1_500);
  const monitor = desk.app.get(SlaMonitor);
  let seq = await sb.calls.lastSeq();
  expect((await monitor.check()).find((s) => s.ticketId === ticketId)?.state).toBe('breached'); // counted without a look
  expect(await readsOf(psaId, seq)).toBe(0);
  await new Promise((r) => setTimeout(r, 1_600));
  seq = await sb.calls.lastSeq();
  await monitor.check();
  expect(await readsOf(psaId, seq)).toBe(2);
}, 60_000);
