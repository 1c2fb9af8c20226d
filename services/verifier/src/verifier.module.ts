import { Module } from '@nestjs/common';
import { AdapterRegistry } from '@desk/adapters';
import { DeskConfigService, DeskMetrics, PlatformModule } from '@desk/platform';
import { VerifierEnv } from './config';
import { VERIFIER_ENV } from './tokens';
import { VerifierInit1732900200000 } from './persistence/migrations/1732900200000-verifier-init';
import { ActionExecutedHandler } from './handlers/action-executed.handler';
import { VerifierService } from './app/verifier.service';
import { CheckRepository } from './persistence/check-repository';
import { CheckWorker } from './workers/check-worker';

@Module({
  imports: [PlatformModule.forService({ name: 'verifier', env: VerifierEnv, migrations: [VerifierInit1732900200000] })],
  controllers: [ActionExecutedHandler],
  providers: [
    { provide: VERIFIER_ENV, inject: [DeskConfigService], useFactory: (cfg: DeskConfigService) => cfg.env as VerifierEnv },
    {
      provide: VerifierService,
      inject: [AdapterRegistry, DeskMetrics, VERIFIER_ENV],
      useFactory: (registry: AdapterRegistry, metrics: DeskMetrics, env: VerifierEnv) => new VerifierService({
        registry,
        checks: new CheckRepository(),
        verificationsTotal: metrics.counter('desk_verifications_total', 'Verification checks finished', ['action', 'result']),
        now: () => new Date(),
        deadlines: { identityMs: env.VERIFY_IDENTITY_DEADLINE_MS, rmmMs: env.VERIFY_RMM_DEADLINE_MS },
        pollBaseMs: env.VERIFY_POLL_BASE_MS,
      }),
    },
    CheckWorker,
  ],
})
export class VerifierModule {}
