import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeskLogger, UnitOfWork } from '@desk/platform';
import { ExecutorService } from '../app/executor.service';
import { fromUow } from '@desk/platform';
import { CaseRepository } from '../persistence/case-repository';
import { EXECUTOR_ENV } from '../tokens';
import { ExecutorEnv } from '../config';

/** Expired codes and lapsed approvals escalate even when nobody replies. */
@Injectable()
export class CaseClock implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly executor: ExecutorService,
    private readonly uow: UnitOfWork,
    private readonly ds: DataSource,
    private readonly logger: DeskLogger,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.env.EXECUTOR_TICK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const due = await new CaseRepository().due(this.ds.manager, this.env.EXECUTOR_APPROVAL_TTL_MS);
      for (const id of due) await this.uow.run((ctx) => this.executor.onTick(id, fromUow(ctx, id)));
      return due.length;
    } catch (e) {
      this.logger.pino.warn({ err: (e as Error).message }, 'case clock failed');
      return 0;
    } finally {
      this.running = false;
    }
  }
}
