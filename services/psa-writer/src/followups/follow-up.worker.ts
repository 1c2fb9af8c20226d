import { hostname } from 'node:os';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Counter } from 'prom-client';
import { AdapterRegistry } from '@desk/adapters';
import { DeskLogger, DeskMetrics, UnitOfWork } from '@desk/platform';
import { DISPATCH_CLOCK, type Clock } from '../dispatch/tokens';
import { FollowUpScheduler } from './follow-up-scheduler';
import type { FollowUpEnv } from './follow-up-config';

export const FOLLOWUP_ENV = Symbol('FOLLOWUP_ENV');

/**
 * Runs the follow-up scheduler in every replica (the table decides who fires what). Exposes the
 * scheduler so the conversation path can start a waiting period and report the client's answers.
 */
@Injectable()
export class FollowUpWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly scheduler: FollowUpScheduler;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly fired: Counter<string>;

  constructor(
    ds: DataSource,
    registry: AdapterRegistry,
    private readonly log: DeskLogger,
    metrics: DeskMetrics,
    @Inject(FOLLOWUP_ENV) private readonly env: FollowUpEnv,
    @Inject(DISPATCH_CLOCK) clock: Clock,
    uow: UnitOfWork,
  ) {
    this.fired = metrics.counter('desk_followup_timers_fired_total', 'Follow-up reminders and closes fired (their PSA writes queued)');
    this.scheduler = new FollowUpScheduler(ds, {
      hoursOf: (c) => {
        const client = registry.findClient(c);
        return client ? { timezone: client.timezone, ...client.businessHours } : null;
      },
      policyOf: (c) => env.DESK_FOLLOWUP_SCHEDULES[c] ?? env.DESK_FOLLOWUP_DEFAULT,
      clock,
      instance: `${hostname()}:${process.pid}`,
      progressMinutes: env.DESK_FOLLOWUP_PROGRESS_MINUTES,
      // The close is a lifecycle state (closed) and every fire an audit entry, in the fire's transaction.
      transaction: (fn) => uow.run((ctx) => fn(ctx.tx, {
        transition: (ticketId, state, reason) => ctx.transition(ticketId, state, reason),
        audit: (ticketId, entry) => ctx.audit(ticketId, entry),
      })),
    });
  }

  onApplicationBootstrap(): void {
    if (this.env.DESK_FOLLOWUP_POLL_MS <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.scheduler.tick()
        .then((n) => { if (n > 0) this.fired.inc(n); }, (e: unknown) => this.log.pino.warn({ err: e }, 'follow-up tick failed'))
        .finally(() => { this.running = null; });
    }, this.env.DESK_FOLLOWUP_POLL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
