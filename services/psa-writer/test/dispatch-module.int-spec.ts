import { randomUUID } from 'node:crypto';
import { AdapterRegistry } from '@desk/adapters';
import type { DeskApp } from '@desk/platform';
import { cleanup, isolatedEnv, query, startApp } from '../../../libs/platform/test/helpers';
import { startTestSandbox } from '../../../sandbox/test/sandbox-harness';
import { PsaWriterModule } from '../src/psa-writer.module';
import { FollowUpWorker } from '../src/followups/follow-up.worker';
import { SlaMonitor } from '../src/dispatch/sla-monitor';

/**
 * psa-writer with the dispatch module: its migration runs, the SLA watch reads escalations the drainer
 * routed and sets desk_sla_at_risk_tickets{client}, pages once through the write queue, and the
 * follow-up worker fires through the same queue.
 */
const iso = isolatedEnv({ PSA_WRITER_POLL_MS: '100000', DESK_SLA_POLL_MS: '0', DESK_FOLLOWUP_POLL_MS: '0' });
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

test('an escalated ticket nobody answered: counted at risk for its client and paged once', async () => {
  const ticketId = randomUUID();
  const received = new Date(Date.now() - 3 * 24 * 3_600_000); // three days ago: past any 60-minute business-time SLA
  const created = await desk.app.get(AdapterRegistry).psa('ContosoDental').createTicket({ companyIdentifier: 'ContosoDental', summary: 'Nobody answered', description: 'waiting' });
  await query(`INSERT INTO "${schema}".ticket_map (ticket_id, client_identifier, system, psa_ticket_id, psa_number) VALUES ($1, 'ContosoDental', 'connectwise', $2, $2)`, [ticketId, created.id]);
  await query(`INSERT INTO "${schema}".psa_write (idempotency_key, lane, ticket_id, event_id, client_identifier, psa_system, kind, payload, sort_at, op_index, received_at, status, done_at)
    VALUES ($1, $2, $3, $4, 'ContosoDental', 'connectwise', 'route', '{"kind":"route","board":"Escalations","priority":null}', now(), 0, $5, 'done', now())`,
  [`${ticketId}:route`, ticketId, ticketId, randomUUID(), received]);

  const monitor = desk.app.get(SlaMonitor);
  const statuses = await monitor.check();
  expect(statuses.find((s) => s.ticketId === ticketId)?.state).toBe('breached');
  expect(await desk.core.metrics.text()).toMatch(/desk_sla_at_risk_tickets\{client="ContosoDental",service="psa-writer"\} 1/);
  expect(await desk.core.metrics.text()).toMatch(/desk_sla_at_risk_tickets\{client="AlderBrooksCPA",service="psa-writer"\} 0/);
  await monitor.check();
  const pages = await query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".psa_write WHERE ticket_id = $1 AND kind = 'page'`, [ticketId]);
  expect(Number(pages[0]!.n)).toBe(1);
}, 60_000);

test('the follow-up table is migrated with the service and the worker plans its timers', async () => {
  const worker = desk.app.get(FollowUpWorker);
  const ticketId = randomUUID();
  const since = new Date(Date.now() - 10 * 24 * 3_600_000);
  await desk.core.ds.transaction((tx) => worker.scheduler.startWaiting(tx, { ticketId, clientIdentifier: 'ContosoDental', psaSystem: 'connectwise', contactName: 'Kevin', since }));
  const timers = await query<{ step: string }>(`SELECT step FROM "${schema}".follow_up_timer WHERE ticket_id = $1 ORDER BY due_at`, [ticketId]);
  expect(timers.map((t) => t.step)).toEqual(['reminder_1', 'reminder_2', 'close']);
}, 30_000);
