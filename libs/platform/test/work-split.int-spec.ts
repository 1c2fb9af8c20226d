import { Controller, Inject, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Envelope, Subjects, TicketReceivedV1 } from '@desk/contracts';
import { DeskApp, DeskContext, PlatformModule } from '../src';
import { cleanup, isolatedEnv, origin, receivedPayload, startApp, waitFor } from './helpers';

const iso = isolatedEnv({ DESK_CONSUMER_CONCURRENCY: '4' });
const handledBy: Array<{ replica: string; eventId: string }> = [];

@Controller()
class Handler {
  constructor(@Inject('REPLICA') private readonly replica: string) {}

  @EventPattern(Subjects.ticketReceived)
  async handle(@Payload() evt: Envelope<TicketReceivedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    await ctx.tx.query('SELECT pg_sleep(0.005)');
    handledBy.push({ replica: this.replica, eventId: evt.eventId });
  }
}

@Module({ imports: [PlatformModule.forService({ name: 'split-test' })], controllers: [Handler], providers: [{ provide: 'REPLICA', useValue: 'a' }] })
class ReplicaA {}

@Module({ imports: [PlatformModule.forService({ name: 'split-test' })], controllers: [Handler], providers: [{ provide: 'REPLICA', useValue: 'b' }] })
class ReplicaB {}

let a: DeskApp;
let b: DeskApp;

beforeAll(async () => {
  a = await startApp('split-test', ReplicaA);
  b = await startApp('split-test', ReplicaB);
}, 30_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await cleanup(iso);
}, 30_000);

test('two replicas bind one durable consumer: work is split and nothing is handled twice', async () => {
  const n = 200;
  const ids: string[] = [];
  await a.core.uow.run(async (ctx) => {
    for (let i = 0; i < n; i++) ids.push((await ctx.publish(Subjects.ticketReceived, origin(), receivedPayload(`split ${i}`))).eventId);
  });
  await waitFor(() => handledBy.length >= n, 30_000, `${n} events`);
  await new Promise((r) => setTimeout(r, 500));
  expect(handledBy).toHaveLength(n);
  expect(new Set(handledBy.map((h) => h.eventId))).toEqual(new Set(ids));
  const perReplica = { a: handledBy.filter((h) => h.replica === 'a').length, b: handledBy.filter((h) => h.replica === 'b').length };
  expect(perReplica.a).toBeGreaterThan(0);
  expect(perReplica.b).toBeGreaterThan(0);
}, 40_000);

test('draining one replica hands its share to the other', async () => {
  await b.close();
  const before = handledBy.length;
  await a.core.uow.run(async (ctx) => {
    for (let i = 0; i < 20; i++) await ctx.publish(Subjects.ticketReceived, origin(), receivedPayload(`after drain ${i}`));
  });
  await waitFor(() => handledBy.length >= before + 20, 20_000, 'events after drain');
  expect(handledBy.slice(before).every((h) => h.replica === 'a')).toBe(true);
}, 30_000);
