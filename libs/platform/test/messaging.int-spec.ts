import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DeadLetterV1, Envelope, Subjects, TicketReceivedV1, makeEvent } from '@desk/contracts';
import { DeskApp, DeskContext, NonRetryableError, PlatformModule, encodeJson } from '../src';
import { cleanup, isolatedEnv, origin, query, receivedPayload, startApp, waitFor } from './helpers';

const iso = isolatedEnv();

/** What each handled ticket did, by summary: the test scripts handler behaviour through the payload. */
const calls: Array<{ summary: string; delivery: number; eventId: string }> = [];
const deadLetters: Array<Envelope<DeadLetterV1>> = [];

@Controller()
class ReceivedHandler {
  @EventPattern(Subjects.ticketReceived)
  async handle(@Payload() evt: Envelope<TicketReceivedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    const summary = evt.payload.ticket.summary;
    calls.push({ summary, delivery: ctx.deliveryCount, eventId: evt.eventId });
    await ctx.transition('received', summary);
    if (summary === 'fail-once' && ctx.deliveryCount === 1) throw new Error('transient failure');
    if (summary === 'fail-always') throw new Error('permanent failure');
    if (summary === 'non-retryable') throw new NonRetryableError('cannot ever work');
  }
}

@Controller()
class DlqHandler {
  @EventPattern(Subjects.deadLetter)
  handle(@Payload() evt: Envelope<DeadLetterV1>): void {
    deadLetters.push(evt);
  }
}

@Module({ imports: [PlatformModule.forService({ name: 'msg-test' })], controllers: [ReceivedHandler, DlqHandler] })
class TestModule {}

let desk: DeskApp;
const schema = `${iso.schemaPrefix}msg_test`;
const ledger = `${iso.schemaPrefix}desk_ledger`;

beforeAll(async () => {
  desk = await startApp('msg-test', TestModule);
}, 30_000);

afterAll(async () => {
  await desk?.close();
  await cleanup(iso);
}, 30_000);

async function publish(summary: string, ticketId = randomUUID()): Promise<string> {
  await desk.core.uow.run(async (ctx) => {
    await ctx.publish(Subjects.ticketReceived, origin(ticketId), receivedPayload(summary));
  });
  return ticketId;
}

const handled = (summary: string) => calls.filter((c) => c.summary === summary);

test('an event published through the unit of work is consumed, committed and acked', async () => {
  const ticketId = await publish('ok');
  await waitFor(() => handled('ok').length === 1, 10_000, 'handler');
  const rows = await waitFor(async () => {
    const r = await query<{ state: string }>(`SELECT state FROM "${ledger}".ticket_transition WHERE ticket_id = $1`, [ticketId]);
    return r.length > 0 ? r : null;
  });
  expect(rows).toEqual([{ state: 'received' }]);
  const info = await desk.core.nats.jsm.consumers.info(desk.core.nats.stream, 'msg-test__desk_ticket_received_v1');
  await waitFor(async () => (await desk.core.nats.jsm.consumers.info(desk.core.nats.stream, info.name)).num_ack_pending === 0, 5000, 'ack');
  // Published rows are deleted after publishing (in batches).
  await waitFor(async () => (await query(`SELECT 1 FROM "${schema}".outbox`)).length === 0, 5000, 'outbox cleanup');
});

test('a handler that throws is redelivered, and its failed attempt left nothing behind', async () => {
  const ticketId = await publish('fail-once');
  await waitFor(() => handled('fail-once').length === 2, 10_000, 'second delivery');
  expect(handled('fail-once').map((c) => c.delivery)).toEqual([1, 2]);
  const rows = await waitFor(async () => {
    const r = await query<{ state: string }>(`SELECT state FROM "${ledger}".ticket_transition WHERE ticket_id = $1`, [ticketId]);
    return r.length > 0 ? r : null;
  });
  // The first attempt's transition was rolled back with its transaction: exactly one row.
  expect(rows).toHaveLength(1);
});

test('after the last delivery the event is dead-lettered: a row and a desk.dlq.v1 message', async () => {
  const ticketId = await publish('fail-always');
  const row = await waitFor(async () => {
    const r = await query<{ error: string; deliveries: number; ticket_id: string; subject: string }>(
      `SELECT error, deliveries, ticket_id, subject FROM "${schema}".dead_letter WHERE ticket_id = $1 AND consumer LIKE '%received%'`, [ticketId]);
    return r[0];
  }, 15_000, 'dead letter row');
  expect(row).toMatchObject({ error: 'permanent failure', deliveries: 3, subject: Subjects.ticketReceived });
  expect(handled('fail-always')).toHaveLength(3);
  const dlq = await waitFor(() => deadLetters.find((d) => d.ticketId === ticketId), 10_000, 'dlq message');
  expect(dlq.payload).toMatchObject({ subject: Subjects.ticketReceived, error: 'permanent failure', deliveries: 3 });
  expect(JSON.parse(dlq.payload.raw)).toMatchObject({ ticketId });
});

test('a NonRetryableError is dead-lettered on its first delivery', async () => {
  const ticketId = await publish('non-retryable');
  await waitFor(async () => (await query(`SELECT 1 FROM "${schema}".dead_letter WHERE ticket_id = $1`, [ticketId])).length === 1, 10_000, 'dead letter');
  await new Promise((r) => setTimeout(r, 300));
  expect(handled('non-retryable')).toHaveLength(1);
});

test('a payload that fails its schema is dead-lettered at once and the consumer keeps going', async () => {
  const ticketId = randomUUID();
  const bad = { ...makeEvent(Subjects.ticketReceived, origin(ticketId), receivedPayload('never-handled')), payload: { ticket: { summary: 42 } } };
  await desk.core.nats.js.publish(desk.core.nats.subject(Subjects.ticketReceived), encodeJson(bad));
  await desk.core.nats.js.publish(desk.core.nats.subject(Subjects.ticketReceived), new TextEncoder().encode('not json at all'));
  await publish('after-bad');
  await waitFor(() => handled('after-bad').length === 1, 10_000, 'next message');
  const rows = await waitFor(async () => {
    const r = await query<{ error: string; deliveries: number; ticket_id: string | null }>(
      `SELECT error, deliveries, ticket_id FROM "${schema}".dead_letter WHERE error LIKE 'schema:%' OR error LIKE 'invalid JSON%' ORDER BY id`);
    return r.length >= 2 ? r : null;
  }, 10_000, 'dead letters');
  expect(rows[0]).toMatchObject({ ticket_id: ticketId, deliveries: 1 });
  expect(rows[0]!.error).toContain('payload.ticket');
  expect(rows[1]!.error).toMatch(/^invalid JSON/);
  expect(handled('never-handled')).toHaveLength(0);
});

test('the same event delivered twice is handled once', async () => {
  const evt = makeEvent(Subjects.ticketReceived, origin(), receivedPayload('twice'));
  const subject = desk.core.nats.subject(Subjects.ticketReceived);
  // Different message ids defeat the server's dedupe, so the consumer's own idempotency is what is tested.
  await desk.core.nats.js.publish(subject, encodeJson(evt), { msgID: `${evt.eventId}-a` });
  await desk.core.nats.js.publish(subject, encodeJson(evt), { msgID: `${evt.eventId}-b` });
  // And the same id twice is dropped by the server (Nats-Msg-Id dedupe window).
  const ack1 = await desk.core.nats.js.publish(subject, encodeJson(evt), { msgID: evt.eventId });
  const ack2 = await desk.core.nats.js.publish(subject, encodeJson(evt), { msgID: evt.eventId });
  expect(ack1.duplicate).toBe(false);
  expect(ack2.duplicate).toBe(true);
  await publish('marker-after-twice');
  await waitFor(() => handled('marker-after-twice').length === 1, 10_000, 'marker');
  await new Promise((r) => setTimeout(r, 300));
  expect(handled('twice')).toHaveLength(1);
  const processed = await query(`SELECT 1 FROM "${schema}".processed_event WHERE event_id = $1`, [evt.eventId]);
  expect(processed).toHaveLength(1);
});

test('a consumer deleted under a running service is recreated and delivery resumes', async () => {
  const { jsm, stream } = desk.core.nats;
  await jsm.consumers.delete(stream, 'msg-test__desk_ticket_received_v1');
  await publish('after-consumer-deleted');
  await waitFor(() => handled('after-consumer-deleted').length === 1, 30_000, 'delivery after recreate');
  // Recreated from the start of the stream: everything earlier is redelivered and skipped as processed.
  await new Promise((r) => setTimeout(r, 500));
  expect(handled('ok')).toHaveLength(1);
  expect(desk.transport.consumersBound()).toBe(true);
}, 40_000);
