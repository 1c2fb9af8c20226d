import { hostname } from 'node:os';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Counter } from 'prom-client';
import { AdapterRegistry } from '@desk/adapters';
import { DeskLogger, DeskMetrics, Poller, UnitOfWork } from '@desk/platform';
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
  private readonly poller: Poller;
  private readonly fired: Counter<string>;

  constructor(
    ds: DataSource,
    registry: AdapterRegistry,
    log: DeskLogger,
    metrics: DeskMetrics,
    @Inject(FOLLOWUP_ENV) env: FollowUpEnv,
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
    this.poller = new Poller('follow-up', env.DESK_FOLLOWUP_POLL_MS, async () => {
      const n = await this.scheduler.tick();
      if (n > 0) this.fired.inc(n);
    }, log.pino);
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.poller.stop();
  }
}
