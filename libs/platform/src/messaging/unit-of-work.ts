import { Span, SpanKind } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { inSpan, currentTraceId } from '../tracing/tracing';
import { ScopeDeps, UowContext } from './context';
import { inTransaction } from './transaction';

/**
 * A transaction with the outbox and the ledger, for code that is not an event handler.
 * Events queued with ctx.publish are published only after commit.
 */
export class UnitOfWork {
  constructor(private readonly ds: DataSource, private readonly deps: ScopeDeps, private readonly log: Logger) {}

  /**
   * `awaitPublish: false` returns as soon as the transaction commits and publishes in the background: the
   * events are durable in the outbox (the relay republishes them after a crash), so an HTTP acknowledgement
   * need not wait for JetStream.
   */
  async run<T>(fn: (ctx: UowContext) => Promise<T>, opts: { awaitPublish?: boolean } = {}): Promise<T> {
    // Without an active span (a timer, or HTTP without instrumentation) the events would start no trace.
    const work = async () => {
      let ctx: UowContext | null = null;
      const spans: Span[] = [];
      try {
        const result = await inTransaction(this.ds, async (tx) => {
          ctx = new UowContext(tx, this.deps, this.log, spans);
          return fn(ctx);
        });
        const committed = ctx as UowContext | null;
        committed?.runAfterCommit();
        if (committed && opts.awaitPublish === false) void this.deps.outbox.publish(committed.pending);
        else if (committed) await this.deps.outbox.publish(committed.pending);
        return result;
      } finally {
        for (const s of spans) s.end();
      }
    };
    if (currentTraceId()) return work();
    return inSpan('desk.unit-of-work', SpanKind.INTERNAL, {}, work);
  }
}
