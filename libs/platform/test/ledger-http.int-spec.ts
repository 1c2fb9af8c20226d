import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import request from 'supertest';
import { Envelope, KnowledgeSearchReplyV1, KnowledgeSearchRequestV1, RpcSubjects, Subjects, TicketReceivedV1 } from '@desk/contracts';
import { AuditController, DeskApp, DeskContext, PlatformModule, RpcError } from '../src';
import { cleanup, isolatedEnv, origin, query, receivedPayload, startApp, waitFor } from './helpers';

const iso = isolatedEnv();
const ledger = `"${iso.schemaPrefix}desk_ledger"`;

@Controller()
class Handlers {
  @EventPattern(Subjects.ticketReceived)
  async received(@Payload() evt: Envelope<TicketReceivedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    await ctx.transition('triaged', 'audited');
    await ctx.audit({ actor: 'ledger-test', action: 'route', decision: 'autonomous', why: ['known user'], evidence: { summary: evt.payload.ticket.summary } });
  }

  @MessagePattern(RpcSubjects.knowledgeSearch)
  search(@Payload() req: KnowledgeSearchRequestV1): KnowledgeSearchReplyV1 {
    if (req.query === 'boom') throw new Error('index unavailable');
    return { hits: [{ docId: 'kb-1', title: `About ${req.query}`, scope: 'global', category: null, score: 1, snippet: '…' }] };
  }
}

@Module({ imports: [PlatformModule.forService({ name: 'ledger-test' })], controllers: [Handlers, AuditController] })
class TestModule {}

let desk: DeskApp;

beforeAll(async () => {
  desk = await startApp('ledger-test', TestModule);
}, 30_000);

afterAll(async () => {
  await desk?.close();
  await cleanup(iso);
}, 30_000);

test('health, readiness and metrics are served', async () => {
  await request(desk.app.getHttpServer()).get('/healthz').expect(200);
  const ready = await request(desk.app.getHttpServer()).get('/readyz').expect(200);
  expect(ready.body.info).toMatchObject({ nats: { status: 'up' }, postgres: { status: 'up' }, consumers: { status: 'up' } });
  const metrics = await request(desk.app.getHttpServer()).get('/metrics').expect(200);
  expect(metrics.text).toContain('desk_handler_duration_seconds');
  expect(metrics.text).toContain('process_cpu_user_seconds_total');
});

test('audit entries chain per ticket, verify, export, and refuse updates', async () => {
  const ticketId = randomUUID();
  await desk.core.uow.run(async (ctx) => {
    await ctx.audit(ticketId, { actor: 'intake', action: 'accept', why: 'new email', evidence: { channel: 'email' } });
    await ctx.publish(Subjects.ticketReceived, origin(ticketId), receivedPayload('audit me'));
  });
  await waitFor(async () => (await query(`SELECT 1 FROM ${ledger}.audit_entry WHERE ticket_id = $1`, [ticketId])).length === 2, 10_000, 'two entries');

  const http = request(desk.app.getHttpServer());
  const hist = await http.get(`/audit/tickets/${ticketId}`).expect(200);
  expect(hist.body.entries.map((e: { seq: number; action: string }) => [e.seq, e.action])).toEqual([[1, 'accept'], [2, 'route']]);
  expect(hist.body.entries[1].prevHash).toBe(hist.body.entries[0].hash);
  expect((await http.get(`/audit/verify?ticketId=${ticketId}`).expect(200)).body).toMatchObject({ ok: true, checked: 2 });
  const exported = (await http.get(`/audit/export?ticketId=${ticketId}`).expect(200)).text.trim().split('\n');
  expect(exported.map((l) => JSON.parse(l).seq)).toEqual([1, 2]);

  await expect(query(`UPDATE ${ledger}.audit_entry SET decision = 'escalate' WHERE ticket_id = $1`, [ticketId])).rejects.toThrow(/append-only/);

  // Someone with table-owner rights bypasses the trigger: verification still finds the edited row.
  await query(`ALTER TABLE ${ledger}.audit_entry DISABLE TRIGGER audit_entry_append_only`);
  try {
    await query(`UPDATE ${ledger}.audit_entry SET evidence = '{"summary":"forged"}' WHERE ticket_id = $1 AND seq = 2`, [ticketId]);
  } finally {
    await query(`ALTER TABLE ${ledger}.audit_entry ENABLE TRIGGER audit_entry_append_only`);
  }
  const v = await desk.core.audit.verify();
  expect(v.ok).toBe(false);
  expect(v.firstBroken).toMatchObject({ ticketId, seq: 2 });
});

test('the lifecycle ledger records state, trace id and the current state', async () => {
  const ticketId = randomUUID();
  await desk.core.uow.run(async (ctx) => {
    await ctx.transition(ticketId, 'received', 'email');
    await ctx.publish(Subjects.ticketReceived, origin(ticketId), receivedPayload('ledger'));
  });
  await waitFor(async () => (await desk.core.ledger.current(ticketId)) === 'triaged', 10_000, 'triaged');
  const hist = await desk.core.ledger.history(ticketId);
  expect(hist.map((h) => h.state)).toEqual(['received', 'triaged']);
  expect(hist[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(hist[1]!.traceId).toBe(hist[0]!.traceId);
});

test('request/reply over core NATS validates both sides and reports remote errors', async () => {
  const reply = await desk.core.nats.request(RpcSubjects.knowledgeSearch, { clientIdentifier: null, query: 'printer' }, { timeoutMs: 3000 });
  expect(reply.hits[0]).toMatchObject({ docId: 'kb-1', title: 'About printer' });
  await expect(desk.core.nats.request(RpcSubjects.knowledgeSearch, { clientIdentifier: null, query: 'boom' })).rejects.toThrow(RpcError);
  await expect(desk.core.nats.request(RpcSubjects.knowledgeSearch, { clientIdentifier: null, query: 'boom' })).rejects.toThrow('index unavailable');
});
