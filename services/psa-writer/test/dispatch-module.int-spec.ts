import { randomUUID } from 'node:crypto';
import { AdapterRegistry } from '@desk/adapters';
import type { DeskApp } from '@desk/platform';
import { cleanup, isolatedEnv, query, startApp, waitFor } from '../../../libs/platform/test/helpers';
import { startTestSandbox } from '../../../sandbox/test/sandbox-harness';
import { PsaWriterModule } from '../src/psa-writer.module';
import { FollowUpWorker } from '../src/followups/follow-up.worker';
import { SlaMonitor } from '../src/dispatch/sla-monitor';
import { OwnerAssigner } from '../src/dispatch/owner-assigner';
import { Subjects } from '@desk/contracts';

/**
 * psa-writer with the dispatch module: its migration runs, the SLA watch reads escalations the drainer
 * routed and sets desk_sla_at_risk_tickets{client}, pages once through the write queue, and the
 * follow-up worker fires through the same queue.
 */
const iso = isolatedEnv({
  PSA_WRITER_POLL_MS: '200', DESK_SLA_POLL_MS: '0', DESK_FOLLOWUP_POLL_MS: '0', DESK_DISPATCH_POLL_MS: '0', DESK_DISPATCH_ON_CALL: 'pnguyen,aokafor,kwatanabe',
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
