import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { AdapterRegistry } from '@desk/adapters';
import { AuditController, DeskConfigService, DeskLogger, DeskMetrics, PlatformCore, PlatformModule } from '@desk/platform';
import { ExecutorEnv, registerFolder } from './config';
import { ATTEMPT_STORE, EXECUTOR_ENV } from './tokens';
import { ExecutorInit1732900100000 } from './persistence/migrations/1732900100000-executor-init';
import { RunbookResolvedHandler } from './handlers/runbook-resolved.handler';
import { TicketReplyHandler } from './handlers/ticket-reply.handler';
import { ProposalsController } from './http/proposals.controller';
import { ExecutorService } from './app/executor.service';
import { CaseRepository } from './persistence/case-repository';
import { PgAttemptStore } from './persistence/attempt-store';
import { LiveClientDirectory } from './adapters/live-directory';
import { loadClientRegister } from './adapters/client-register';
import { CaseClock } from './workers/case-clock';

/** Closes the attempt store's own pool with the app. */
@Injectable()
class AttemptStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ATTEMPT_STORE) private readonly store: PgAttemptStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Module({
  imports: [PlatformModule.forService({ name: 'executor', env: ExecutorEnv, migrations: [ExecutorInit1732900100000] })],
  controllers: [RunbookResolvedHandler, TicketReplyHandler, ProposalsController, AuditController],
  providers: [
    { provide: EXECUTOR_ENV, inject: [DeskConfigService], useFactory: (cfg: DeskConfigService) => cfg.env as ExecutorEnv },
    {
      provide: ExecutorService,
      inject: [AdapterRegistry, PlatformCore, DeskMetrics, DeskLogger, EXECUTOR_ENV, ATTEMPT_STORE],
      useFactory: (registry: AdapterRegistry, core: PlatformCore, metrics: DeskMetrics, logger: DeskLogger, env: ExecutorEnv, attempts: PgAttemptStore) => {
        const register = loadClientRegister(registerFolder(env));
        return new ExecutorService({
          registry,
          directory: new LiveClientDirectory(registry, register, (m) => logger.pino.warn(m)),
          cases: new CaseRepository(),
          attempts,
          actionsTotal: metrics.counter('desk_actions_total', 'Catalog actions run by the executor', ['client', 'action', 'outcome']),
          now: () => new Date(),
          retryDelayMs: env.EXECUTOR_RETRY_DELAY_MS,
          codeTtlMs: env.EXECUTOR_CODE_TTL_MS,
          log: (msg, fields) => logger.pino.warn(fields ?? {}, msg),
        });
      },
    },
    {
      provide: ATTEMPT_STORE,
      inject: [PlatformCore],
      useFactory: (core: PlatformCore) => PgAttemptStore.create(core.env.DATABASE_URL, core.schema),
    },
    AttemptStoreLifecycle,
    CaseClock,
  ],
})
export class ExecutorModule {}
