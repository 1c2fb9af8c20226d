import { Envelope, EnvelopeSchemas, EventOrigin, PayloadInput, PayloadOf, Subject, makeEvent } from '@desk/contracts';
import { context, Context, ROOT_CONTEXT, Span, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { EntityManager } from 'typeorm';
import { AuditInput, AuditRecord, AuditService } from '../ledger/audit.service';
import { LifecycleLedger } from '../ledger/lifecycle-ledger';
import { TicketState } from '../ledger/states';
import { tracer } from '../tracing/tracing';
import { Outbox, OutboxRow } from './outbox';

export interface ScopeDeps {
  outbox: Outbox;
  ledger: LifecycleLedger;
  audit: AuditService;
}

/** What every transactional scope offers: the transaction and publishing into the outbox. */
export abstract class TxScope {
  /** Outbox rows written in this transaction, published after commit. */
  readonly pending: OutboxRow[] = [];
  private readonly committedHooks: Array<() => void> = [];

  constructor(readonly tx: EntityManager, protected readonly deps: ScopeDeps, readonly log: Logger) {}

  /** Builds, validates and queues an event; it is published only if the transaction commits. */
  async publish<S extends Subject>(subject: S, origin: EventOrigin, payload: PayloadInput<S>): Promise<Envelope<PayloadOf<S>>> {
    const evt = makeEvent(subject, origin, payload);
    await this.inTicketTrace(evt.ticketId, async () => {
      this.pending.push(await this.deps.outbox.write(this.tx, subject, evt.eventId, JSON.stringify(evt)));
    });
    return evt;
  }

  /** Queues an envelope built elsewhere (validated here all the same). */
  async publishEnvelope<S extends Subject>(subject: S, evt: Envelope<PayloadOf<S>>): Promise<void> {
    const checked = EnvelopeSchemas[subject].parse(evt) as Envelope<PayloadOf<S>>;
    await this.inTicketTrace(checked.ticketId, async () => {
      this.pending.push(await this.deps.outbox.write(this.tx, subject, checked.eventId, JSON.stringify(checked)));
    });
  }

  /**
   * Runs fn once this transaction has committed (never on rollback): e.g. wake a worker that reads what this
   * transaction wrote, which it could not see earlier. Errors are logged, never thrown back.
   */
  afterCommit(fn: () => void): void {
    this.committedHooks.push(fn);
  }

  /** Called by the transport / unit of work right after commit. */
  runAfterCommit(): void {
    for (const fn of this.committedHooks.splice(0)) {
      try {
        fn();
      } catch (e) {
        this.log.warn({ err: e }, 'after-commit hook failed');
      }
    }
  }

  /** Runs fn in the trace context that work on this ticket belongs to (a handler: the one it runs in). */
  protected inTicketTrace<T>(_ticketId: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

/** `@Ctx()` of an `@EventPattern` handler: one delivery of one event, inside its own transaction. */
export class DeskContext<P = unknown> extends TxScope {
  constructor(
    tx: EntityManager,
    deps: ScopeDeps,
    log: Logger,
    readonly envelope: Envelope<P>,
    /** 1 on the first delivery. */
    readonly deliveryCount: number,
    readonly subject: string,
    readonly consumer: string,
  ) {
    super(tx, deps, log);
  }

  get ticketId(): string {
    return this.envelope.ticketId;
  }

  /** Records the ticket's new lifecycle state (with this trace's id) in the same transaction. */
  async transition(state: TicketState, reason: string | null = null): Promise<void> {
    await this.deps.ledger.transition(this.tx, this.envelope.ticketId, state, reason, this.envelope.eventId);
  }

  async audit(entry: AuditInput): Promise<AuditRecord> {
    return this.deps.audit.append(this.tx, this.envelope.ticketId, entry);
  }
}

/**
 * `uow.run(ctx => …)` outside handlers (HTTP controllers, timers): the ticket is named explicitly.
 * Work on a ticket that already has a trace (a timer firing, a poll, a technician's approval) joins that
 * trace — one ticket stays one trace — with a link to whatever trace was active (e.g. the HTTP request).
 */
export class UowContext extends TxScope {
  private readonly ticketContexts = new Map<string, Context>();

  constructor(tx: EntityManager, deps: ScopeDeps, log: Logger, private readonly spans: Span[] = []) {
    super(tx, deps, log);
  }

  async transition(ticketId: string, state: TicketState, reason: string | null = null): Promise<void> {
    await this.inTicketTrace(ticketId, () => this.deps.ledger.transition(this.tx, ticketId, state, reason));
  }

  async audit(ticketId: string, entry: AuditInput): Promise<AuditRecord> {
    return this.inTicketTrace(ticketId, () => this.deps.audit.append(this.tx, ticketId, entry));
  }

  protected override async inTicketTrace<T>(ticketId: string, fn: () => Promise<T>): Promise<T> {
    let ctx = this.ticketContexts.get(ticketId);
    if (!ctx) {
      ctx = context.active();
      const known = await this.deps.ledger.traceOf(this.tx, ticketId);
      const active = trace.getSpanContext(ctx);
      if (known && known.traceId !== active?.traceId) {
        const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: known.traceId, spanId: known.spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
        const span = tracer().startSpan('desk.unit-of-work', {
          kind: SpanKind.INTERNAL, attributes: { 'desk.ticket_id': ticketId }, links: active ? [{ context: active }] : [],
        }, parent);
        this.spans.push(span);
        ctx = trace.setSpan(parent, span);
      }
      this.ticketContexts.set(ticketId, ctx);
    }
    return context.with(ctx, fn);
  }
}
