import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { AckPolicy, ConsumerConfig, ConsumerMessages, DeliverPolicy, JetStreamApiError, JsMsg } from '@nats-io/jetstream';
import { Msg, Subscription } from '@nats-io/nats-core';
import { Envelope, EnvelopeSchemas, RpcSchemas, isSubject } from '@desk/contracts';
import { SpanKind } from '@opentelemetry/api';
import { isObservable, lastValueFrom } from 'rxjs';
import { PlatformCore } from '../core';
import { qualified } from '../database/sql';
import { withTicket } from '../logging/ticket-scope';
import { decodeText, encodeJson } from '../messaging/codec';
import { DeskContext } from '../messaging/context';
import { NonRetryableError } from '../messaging/errors';
import { inTransaction } from '../messaging/transaction';
import { contextFromHeaders, Headers, inSpan } from '../tracing/tracing';
import { deadLetter } from './dead-letter';
import { Semaphore } from './semaphore';

export const DESK_TRANSPORT = Symbol('desk-jetstream');
const NANOS_PER_MS = 1_000_000;
const MAX_BACKOFF_MS = 30_000;

/** Durable consumer name of a (service, subject) pair; every replica of the service binds the same one. */
export function durableName(service: string, subject: string): string {
  return `${service}__${subject.replace(/\./g, '_')}`;
}

/** Delay before the next delivery after a failed one: doubles per delivery, capped, with ±20 % jitter. */
export function retryDelayMs(baseMs: number, deliveryCount: number): number {
  const raw = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, deliveryCount - 1));
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}

function headersOf(m: { headers?: { keys(): string[]; get(k: string): string } | undefined }): Headers {
  const out: Headers = {};
  for (const k of m.headers?.keys() ?? []) out[k.toLowerCase()] = m.headers!.get(k);
  return out;
}

/** Nest handlers may return a value, a promise or an observable; errors arrive through any of them. */
async function invoke(handler: MessageHandler, data: unknown, ctx: unknown): Promise<unknown> {
  const out: unknown = await handler(data, ctx);
  return isObservable(out) ? lastValueFrom(out, { defaultValue: undefined }) : out;
}

interface Binding {
  subject: string;
  durable: string;
  messages: ConsumerMessages | null;
  loop: Promise<void> | null;
  sem: Semaphore;
  /** False while the client reports the consumer unreachable (missed heartbeats, deleted, no stream). */
  healthy: boolean;
}

const UNHEALTHY = new Set(['heartbeats_missed', 'consumer_not_found', 'stream_not_found', 'consumer_deleted', 'no_responders']);
const HEALTHY = new Set(['next', 'heartbeat', 'reset']);

/**
 * `@EventPattern(subject)` → a durable JetStream pull consumer per (service, subject), shared by replicas;
 * `@MessagePattern(rpcSubject)` → core-NATS request/reply in a queue group. See docs/PLATFORM.md.
 */
export class JetStreamTransport extends Server implements CustomTransportStrategy {
  override transportId = DESK_TRANSPORT;
  private readonly bindings: Binding[] = [];
  private readonly rpcSubs: Subscription[] = [];
  private lagTimer: NodeJS.Timeout | null = null;
  private draining = false;
  private started = false;
  /**
   * Handler transactions of all consumers together, below the pool size: each holds a connection from start
   * to commit, and without this bound the consumers' queue inside the pool would starve the service's own
   * workers (drainers, pollers, HTTP) of connections. Two are left for them.
   */
  private readonly transactions: Semaphore;

  constructor(private readonly core: PlatformCore) {
    super();
    this.transactions = new Semaphore(Math.max(1, core.env.DB_POOL_SIZE - 2));
  }

  on(): never {
    throw new Error('JetStreamTransport has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.core.nats.nc as T;
  }

  listen(callback: (err?: unknown) => void): void {
    this.start().then(() => callback(), (e: unknown) => callback(e));
  }

  /** True once every consumer is bound and pulling (readiness). */
  consumersBound(): boolean {
    return this.started && !this.draining && this.bindings.every((b) => b.messages !== null && b.healthy);
  }

  get subjects(): string[] {
    return this.bindings.map((b) => b.subject);
  }

  private async start(): Promise<void> {
    for (const [pattern, handler] of this.messageHandlers) {
      if (handler.isEventHandler) {
        if (!isSubject(pattern)) throw new Error(`@EventPattern('${pattern}') is not a subject in @desk/contracts Subjects`);
        await this.bindConsumer(pattern, handler);
      } else {
        if (!(pattern in RpcSchemas)) throw new Error(`@MessagePattern('${pattern}') is not a subject in @desk/contracts RpcSubjects`);
        this.serveRpc(pattern as keyof typeof RpcSchemas, handler);
      }
    }
    this.started = true;
    this.lagTimer = setInterval(() => void this.recordLag(), 5000);
    this.lagTimer.unref();
    this.core.log.info({ consumers: this.bindings.map((b) => b.durable), rpc: this.rpcSubs.map((s) => s.getSubject()) }, 'transport started');
  }

  private consumerConfig(subject: string, durable: string): Partial<ConsumerConfig> {
    const env = this.core.env;
    return {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.core.nats.subject(subject),
      ack_wait: env.DESK_ACK_WAIT_MS * NANOS_PER_MS,
      // Unbounded on the server: the bound (DESK_MAX_DELIVER) is enforced here, so the last failure is
      // dead-lettered instead of silently dropped when the server stops redelivering.
      max_deliver: -1,
      max_ack_pending: Math.max(1000, env.DESK_CONSUMER_CONCURRENCY * 20),
    };
  }

  private async ensureConsumer(subject: string, durable: string): Promise<void> {
    const { jsm, stream } = this.core.nats;
    const cfg = this.consumerConfig(subject, durable);
    try {
      await jsm.consumers.info(stream, durable);
      await jsm.consumers.update(stream, durable, { ack_wait: cfg.ack_wait, max_deliver: cfg.max_deliver, max_ack_pending: cfg.max_ack_pending });
    } catch (e) {
      if (!(e instanceof JetStreamApiError) || e.status !== 404) throw e;
      try {
        await jsm.consumers.add(stream, cfg);
      } catch (e2) {
        // A replica created it first: binding to it is exactly what we want.
        await jsm.consumers.info(stream, durable).catch(() => { throw e2; });
      }
    }
  }

  private async bindConsumer(subject: string, handler: MessageHandler): Promise<void> {
    const durable = durableName(this.core.name, subject);
    const binding: Binding = { subject, durable, messages: null, loop: null, sem: new Semaphore(this.core.env.DESK_CONSUMER_CONCURRENCY), healthy: true };
    await this.attach(binding, handler);
    this.bindings.push(binding);
  }

  /** Ensures the durable consumer exists and starts pulling from it. */
  private async attach(b: Binding, handler: MessageHandler): Promise<void> {
    await this.ensureConsumer(b.subject, b.durable);
    const consumer = await this.core.nats.js.consumers.get(this.core.nats.stream, b.durable);
    const messages = await consumer.consume({ max_messages: this.core.env.DESK_CONSUMER_CONCURRENCY });
    b.messages = messages;
    b.healthy = true;
    b.loop = this.pump(b, handler, messages);
    void this.watch(b, handler, messages);
  }

  /**
   * Tracks consumer health for /readyz. A consumer deleted under us (an operator, a stream reset) is
   * recreated and re-attached: the client does not resume on its own once the server said "deleted".
   */
  private async watch(b: Binding, handler: MessageHandler, messages: ConsumerMessages): Promise<void> {
    for await (const s of messages.status()) {
      if (UNHEALTHY.has(s.type)) {
        if (b.healthy) this.core.log.warn({ subject: b.subject, status: s.type }, 'consumer unhealthy');
        b.healthy = false;
        if ((s.type === 'consumer_deleted' || s.type === 'consumer_not_found') && !this.draining && b.messages === messages) {
          await this.reattach(b, handler, messages);
          return;
        }
      } else if (HEALTHY.has(s.type) && !b.healthy) {
        b.healthy = true;
        this.core.log.info({ subject: b.subject }, 'consumer healthy again');
      }
    }
  }

  private async reattach(b: Binding, handler: MessageHandler, old: ConsumerMessages): Promise<void> {
    await old.close().catch(() => undefined);
    for (let attempt = 1; !this.draining; attempt++) {
      try {
        await this.attach(b, handler);
        this.core.log.warn({ subject: b.subject, durable: b.durable }, 'consumer recreated');
        return;
      } catch (e) {
        this.core.log.warn({ err: e, subject: b.subject, attempt }, 'consumer recreate failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)));
      }
    }
  }

  private async pump(b: Binding, handler: MessageHandler, messages: ConsumerMessages): Promise<void> {
    for await (const m of messages) {
      b.healthy = true;
      if (this.draining) {
        // Handed straight back so another replica takes it now rather than after the ack wait.
        m.nak();
        continue;
      }
      await b.sem.acquire();
      void this.handle(b, handler, m).catch((e: unknown) => this.core.log.error({ err: e, subject: b.subject }, 'message handling crashed'))
        .finally(() => b.sem.release());
    }
  }

  private async handle(b: Binding, handler: MessageHandler, m: JsMsg): Promise<void> {
    const { core } = this;
    const deliveries = m.info.deliveryCount;
    const raw = decodeText(m.data);
    if (deliveries > 1) core.metrics.redelivered.inc({ service: core.name, subject: b.subject });

    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      return this.giveUp(m, { subject: b.subject, consumer: b.durable, raw, deliveries, reason: 'schema', error: `invalid JSON: ${describe(e)}`, meta: {} });
    }
    const parsed = EnvelopeSchemas[b.subject as keyof typeof EnvelopeSchemas].safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      const meta = typeof json === 'object' && json !== null ? (json as Partial<Envelope<unknown>>) : {};
      return this.giveUp(m, { subject: b.subject, consumer: b.durable, raw, deliveries, reason: 'schema', error: `schema: ${issues}`, meta });
    }
    const envelope = parsed.data as Envelope<unknown>;

    const parent = contextFromHeaders(headersOf(m));
    const attrs = { 'messaging.system': 'nats', 'messaging.destination.name': b.subject, 'messaging.consumer.group.name': b.durable, 'desk.ticket_id': envelope.ticketId, 'messaging.message.id': envelope.eventId };
    await withTicket(envelope.ticketId, () => inSpan(`${b.subject} process`, SpanKind.CONSUMER, attrs, async () => {
      const started = process.hrtime.bigint();
      // Tells the server we are alive so a slow handler is not redelivered to another replica meanwhile.
      const keepAlive = setInterval(() => m.working(), Math.max(500, Math.floor(core.env.DESK_ACK_WAIT_MS / 3)));
      let outcome = 'ok';
      try {
        await this.transactions.acquire();
        const ctx = await inTransaction(core.ds, async (tx) => {
          const fresh = (await tx.query(
            `INSERT INTO ${qualified(core.schema, 'processed_event')} (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
            [b.durable, envelope.eventId],
          )) as unknown[];
          if (fresh.length === 0) return null;
          const c = new DeskContext(tx, core.deps, core.log.child({ subject: b.subject, event_id: envelope.eventId }), envelope, deliveries, b.subject, b.durable);
          await invoke(handler, envelope, c);
          return c;
        }).finally(() => this.transactions.release());
        clearInterval(keepAlive);
        m.ack();
        if (ctx) {
          core.metrics.consumed.inc({ service: core.name, subject: b.subject });
          ctx.runAfterCommit();
          await core.outbox.publish(ctx.pending);
        } else {
          outcome = 'duplicate';
          core.log.debug({ subject: b.subject, event_id: envelope.eventId }, 'already processed; acked');
        }
      } catch (e) {
        clearInterval(keepAlive);
        outcome = 'error';
        core.metrics.failed.inc({ service: core.name, subject: b.subject });
        const nonRetryable = e instanceof NonRetryableError;
        if (nonRetryable || deliveries >= core.env.DESK_MAX_DELIVER) {
          await this.giveUp(m, { subject: b.subject, consumer: b.durable, raw, deliveries, reason: nonRetryable ? 'non_retryable' : 'exhausted', error: describe(e), meta: envelope });
        } else {
          const delay = retryDelayMs(core.env.DESK_RETRY_BASE_MS, deliveries);
          core.log.warn({ err: e, subject: b.subject, event_id: envelope.eventId, delivery: deliveries, retry_in_ms: delay }, 'handler failed; will retry');
          m.nak(delay);
        }
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        core.metrics.handlerDuration.observe({ service: core.name, subject: b.subject, outcome }, seconds);
      }
    }, parent));
  }

  private async giveUp(m: JsMsg, d: Parameters<typeof deadLetter>[1]): Promise<void> {
    try {
      await deadLetter(this.core, d);
      m.term(d.error.slice(0, 200));
    } catch (e) {
      // Could not record it (database down?): keep the message and try again later.
      this.core.log.error({ err: e, subject: d.subject }, 'dead-lettering failed; will retry');
      m.nak(retryDelayMs(this.core.env.DESK_RETRY_BASE_MS, d.deliveries));
    }
  }

  private serveRpc(subject: keyof typeof RpcSchemas, handler: MessageHandler): void {
    const { core } = this;
    const schema = RpcSchemas[subject];
    const sub = core.nats.nc.subscribe(core.nats.subject(subject), {
      queue: core.name,
      callback: (err: Error | null, msg: Msg) => {
        if (err) {
          core.log.error({ err, subject }, 'rpc subscription error');
          return;
        }
        const reply = (body: unknown) => { if (msg.reply) msg.respond(encodeJson(body)); };
        const parent = contextFromHeaders(headersOf(msg));
        void inSpan(`${subject} serve`, SpanKind.SERVER, { 'messaging.system': 'nats', 'rpc.method': subject }, async () => {
          try {
            const req = schema.request.parse(JSON.parse(decodeText(msg.data)));
            const out = await invoke(handler, req, { subject, log: core.log });
            reply(schema.reply.parse(out));
          } catch (e) {
            core.log.warn({ err: e, subject }, 'rpc request failed');
            reply({ error: describe(e) });
          }
        }, parent).catch(() => undefined);
      },
    });
    this.rpcSubs.push(sub);
  }

  private async recordLag(): Promise<void> {
    for (const b of this.bindings) {
      try {
        const info = await this.core.nats.jsm.consumers.info(this.core.nats.stream, b.durable);
        this.core.metrics.pending.set({ service: this.core.name, subject: b.subject }, info.num_pending + info.num_ack_pending);
      } catch {
        // Lag is best effort; readiness reports connectivity problems.
      }
    }
  }

  /** Drain: stop pulling, finish what is in flight, stop answering requests. The connections stay open. */
  async close(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    if (this.lagTimer) clearInterval(this.lagTimer);
    for (const s of this.rpcSubs) s.unsubscribe();
    await Promise.all(this.bindings.map(async (b) => {
      await b.messages?.close().catch(() => undefined);
      await b.loop?.catch(() => undefined);
      await b.sem.idle();
    }));
  }
}
