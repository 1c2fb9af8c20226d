import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { context, trace } from '@opentelemetry/api';
import { Envelope, Subjects, TicketReceivedV1, TicketReplyV1, causedBy, makeEvent } from '@desk/contracts';
import { DeskApp, DeskContext, PlatformModule, currentTraceId, inTransaction, tracer } from '../src';
import { cleanup, isolatedEnv, origin, query, receivedPayload, startApp, waitFor } from './helpers';

const iso = isolatedEnv();
const seen: Array<{ hop: string; ticketId: string; traceId: string | null }> = [];

@Controller()
class FirstHop {
  @EventPattern(Subjects.ticketReceived)
  async handle(@Payload() evt: Envelope<TicketReceivedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    seen.push({ hop: 'received', ticketId: evt.ticketId, traceId: currentTraceId() });
    await ctx.transition('received', 'hop 1');
    await ctx.publish(Subjects.ticketReply, causedBy(evt), {
      psa: null, channel: 'email', kind: 'message', fromEmail: 'amy@contoso-dental.example', body: 'thanks', receivedAt: new Date().toISOString(),
    });
  }
}

@Controller()
class SecondHop {
  @EventPattern(Subjects.ticketReply)
  async handle(@Payload() evt: Envelope<TicketReplyV1>, @Ctx() ctx: DeskContext): Promise<void> {
    seen.push({ hop: 'reply', ticketId: evt.ticketId, traceId: currentTraceId() });
    await ctx.transition('triaged', 'hop 2');
  }
}

@Module({ imports: [PlatformModule.forService({ name: 'hop-one' })], controllers: [FirstHop] })
class HopOneModule {}

@Module({ imports: [PlatformModule.forService({ name: 'hop-two' })], controllers: [SecondHop] })
class HopTwoModule {}

let one: DeskApp;
let two: DeskApp;

beforeAll(async () => {
  one = await startApp('hop-one', HopOneModule);
  two = await startApp('hop-two', HopTwoModule);
}, 30_000);

afterAll(async () => {
  await one?.close();
  await two?.close();
  await cleanup(iso);
}, 30_000);

test('traceparent travels through NATS headers: two hops in two services share one trace id', async () => {
  const ticketId = randomUUID();
  const root = tracer().startSpan('test-root');
  await context.with(trace.setSpan(context.active(), root), async () => {
    await one.core.uow.run(async (ctx) => {
      await ctx.publish(Subjects.ticketReceived, origin(ticketId), receivedPayload('trace me'));
    });
  });
  root.end();
  const rootTrace = root.spanContext().traceId;
  const rows = await waitFor(async () => {
    const r = await query<{ state: string; service: string; trace_id: string }>(
      `SELECT state, service, trace_id FROM "${iso.schemaPrefix}desk_ledger".ticket_transition WHERE ticket_id = $1 ORDER BY at`, [ticketId]);
    return r.length === 2 ? r : null;
  }, 10_000, 'two transitions');
  expect(rows.map((r) => r.service)).toEqual(['hop-one', 'hop-two']);
  expect(rows.map((r) => r.trace_id)).toEqual([rootTrace, rootTrace]);
  expect(seen.filter((s) => s.ticketId === ticketId).map((s) => s.traceId)).toEqual([rootTrace, rootTrace]);
});

test('work resumed later on a ticket (a timer, a poll) joins the trace of the ticket', async () => {
  const ticketId = randomUUID();
  const root = tracer().startSpan('test-root-2');
  await context.with(trace.setSpan(context.active(), root), () => one.core.uow.run(async (ctx) => {
    await ctx.transition(ticketId, 'received', 'first contact');
  }));
  root.end();
  // No active span here, as in a setInterval worker; and a second, unrelated active trace (an HTTP request).
  await one.core.uow.run(async (ctx) => {
    await ctx.transition(ticketId, 'awaiting_verification', 'timer');
    await ctx.publish(Subjects.ticketReply, origin(ticketId), {
      psa: null, channel: 'sms', kind: 'message', fromEmail: null, body: '123456', receivedAt: new Date().toISOString(),
    });
  });
  const other = tracer().startSpan('unrelated-request');
  await context.with(trace.setSpan(context.active(), other), () => one.core.uow.run((ctx) => ctx.transition(ticketId, 'executing', 'approved over HTTP')));
  other.end();
  const rows = await waitFor(async () => {
    const r = await query<{ state: string; trace_id: string }>(
      `SELECT state, trace_id FROM "${iso.schemaPrefix}desk_ledger".ticket_transition WHERE ticket_id = $1 ORDER BY at, id`, [ticketId]);
    return r.length === 4 ? r : null;
  }, 10_000, 'four transitions');
  // 'triaged' comes from hop-two handling the published reply, so it may land before or after 'executing'.
  expect(rows.map((r) => r.state).sort()).toEqual(['awaiting_verification', 'executing', 'received', 'triaged']);
  expect(new Set(rows.map((r) => r.trace_id))).toEqual(new Set([root.spanContext().traceId]));
});

test('the relay publishes an outbox row left unpublished (crash between commit and publish)', async () => {
  const ticketId = randomUUID();
  const evt = makeEvent(Subjects.ticketReceived, origin(ticketId), receivedPayload('orphaned row'));
  // Committed but never published, as if the process died right after COMMIT.
  await inTransaction(one.core.ds, (tx) => one.core.outbox.write(tx, Subjects.ticketReceived, evt.eventId, JSON.stringify(evt)));
  const table = `"${iso.schemaPrefix}hop_one".outbox`;
  expect(await query(`SELECT 1 FROM ${table} WHERE event_id = $1`, [evt.eventId])).toHaveLength(1);
  await waitFor(() => seen.some((s) => s.ticketId === ticketId && s.hop === 'reply'), 15_000, 'relayed event to travel two hops');
  await waitFor(async () => (await query(`SELECT 1 FROM ${table} WHERE event_id = $1`, [evt.eventId])).length === 0, 5000, 'row removed');
  expect(seen.filter((s) => s.ticketId === ticketId && s.hop === 'received')).toHaveLength(1);
});
