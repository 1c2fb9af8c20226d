import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeskLogger, Poller, UnitOfWork } from '@desk/platform';
import { VerifierService } from '../app/verifier.service';
import { fromUow } from '@desk/platform';
import { CheckRepository } from '../persistence/check-repository';
import { VERIFIER_ENV } from '../tokens';
import { VerifierEnv } from '../config';

/** Polls due checks, each in its own transaction (so one slow vendor never holds the others). */
@Injectable()
export class CheckWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly poller: Poller;

  constructor(
    private readonly verifier: VerifierService,
    private readonly uow: UnitOfWork,
    private readonly ds: DataSource,
    private readonly logger: DeskLogger,
    @Inject(VERIFIER_ENV) env: VerifierEnv,
  ) {
    this.poller = new Poller('check worker', env.VERIFY_WORKER_MS, () => this.tick(), logger.pino);
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  /** A poll in flight finishes (its transaction commits) before the pool closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.poller.stop();
  }

  /** One pass over the due checks (the poller keeps passes from overlapping). Returns how many were polled. */
  async tick(): Promise<number> {
    let n = 0;
    const due = await new CheckRepository().due(this.ds.manager, 20);
    for (const key of due) {
      try {
        await this.uow.run((ctx) => this.verifier.poll(key, (ticketId) => fromUow(ctx, ticketId), ctx.tx));
        n++;
      } catch (e) {
        this.logger.pino.warn({ err: (e as Error).message, key }, 'verification poll failed');
      }
    }
    return n;
  }
}
