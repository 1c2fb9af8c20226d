import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeskLogger, Poller, UnitOfWork } from '@desk/platform';
import { ExecutorService } from '../app/executor.service';
import { fromUow } from '@desk/platform';
import { CaseRepository } from '../persistence/case-repository';
import { EXECUTOR_ENV } from '../tokens';
import { ExecutorEnv } from '../config';

/** Expired codes and lapsed approvals escalate even when nobody replies. */
@Injectable()
export class CaseClock implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly poller: Poller;

  constructor(
    private readonly executor: ExecutorService,
    private readonly uow: UnitOfWork,
    private readonly ds: DataSource,
    logger: DeskLogger,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {
    this.poller = new Poller('case clock', env.EXECUTOR_TICK_MS, () => this.tick(), logger.pino);
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  /** A tick in flight finishes (its transactions commit) before the pool closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.poller.stop();
  }

  /** One pass over the due cases (the poller keeps passes from overlapping). Returns how many were due. */
  async tick(): Promise<number> {
    const due = await new CaseRepository().due(this.ds.manager, this.env.EXECUTOR_APPROVAL_TTL_MS);
    for (const id of due) await this.uow.run((ctx) => this.executor.onTick(id, fromUow(ctx, id)));
    return due.length;
  }
}
