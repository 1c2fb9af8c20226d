import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeskLogger, UnitOfWork } from '@desk/platform';
import { VerifierService } from '../app/verifier.service';
import { fromUow } from '@desk/platform';
import { CheckRepository } from '../persistence/check-repository';
import { VERIFIER_ENV } from '../tokens';
import { VerifierEnv } from '../config';

/** Polls due checks, each in its own transaction (so one slow vendor never holds the others). */
@Injectable()
export class CheckWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly verifier: VerifierService,
    private readonly uow: UnitOfWork,
    private readonly ds: DataSource,
    private readonly logger: DeskLogger,
    @Inject(VERIFIER_ENV) private readonly env: VerifierEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.env.VERIFY_WORKER_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let n = 0;
    try {
      const due = await new CheckRepository().due(this.ds.manager, 20);
      for (const key of due) {
        try {
          await this.uow.run((ctx) => this.verifier.poll(key, (ticketId) => fromUow(ctx, ticketId), ctx.tx));
          n++;
        } catch (e) {
          this.logger.pino.warn({ err: (e as Error).message, key }, 'verification poll failed');
        }
      }
    } catch (e) {
      this.logger.pino.warn({ err: (e as Error).message }, 'check worker failed');
    } finally {
      this.running = false;
    }
    return n;
  }
}
