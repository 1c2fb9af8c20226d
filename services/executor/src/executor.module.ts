import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdapterRegistry } from '@desk/adapters';
import { AuditController, DeskConfigService, DeskLogger, DeskMetrics, PlatformModule } from '@desk/platform';
import { ExecutorEnv, registerFolder } from './config';
import { EXECUTOR_ENV } from './tokens';
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

@Module({
  imports: [PlatformModule.forService({ name: 'executor', env: ExecutorEnv, migrations: [ExecutorInit1732900100000] })],
  controllers: [RunbookResolvedHandler, TicketReplyHandler, ProposalsController, AuditController],
  providers: [
    { provide: EXECUTOR_ENV, inject: [DeskConfigService], useFactory: (cfg: DeskConfigService) => cfg.env as ExecutorEnv },
    {
      provide: ExecutorService,
      inject: [AdapterRegistry, DataSource, DeskMetrics, DeskLogger, EXECUTOR_ENV],
      useFactory: (registry: AdapterRegistry, ds: DataSource, metrics: DeskMetrics, logger: DeskLogger, env: ExecutorEnv) => {
        const register = loadClientRegister(registerFolder(env));
        return new ExecutorService({
          registry,
          directory: new LiveClientDirectory(registry, register, (m) => logger.pino.warn(m)),
          cases: new CaseRepository(),
          attempts: new PgAttemptStore(ds),
          actionsTotal: metrics.counter('desk_actions_total', 'Catalog actions run by the executor', ['client', 'action', 'outcome']),
          now: () => new Date(),
          retryDelayMs: env.EXECUTOR_RETRY_DELAY_MS,
          log: (msg, fields) => logger.pino.warn(fields ?? {}, msg),
        });
      },
    },
    CaseClock,
  ],
})
export class ExecutorModule {}
