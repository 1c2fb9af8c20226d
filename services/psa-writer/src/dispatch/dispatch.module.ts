import { Module } from '@nestjs/common';
import { DeskConfigService } from '@desk/platform';
import { PsaRateLimiter } from '../adapters/rate-limiter';
import { parseRateLimits } from '../domain/token-bucket';
import type { PsaWriterEnv } from '../config';
import { AgreementService } from '../agreements/agreement.service';
import { MorningQueue1764600000005 } from '../after-hours/1764600000005-morning-queue';
import { MorningSummaryService } from '../after-hours/morning-summary.service';
import { FollowUpTimers1764500000001 } from '../followups/1764500000001-follow-up-timers';
import { loadFollowUpEnv, type FollowUpEnv } from '../followups/follow-up-config';
import { FollowUpKinds1764600000003 } from '../followups/1764600000003-follow-up-kinds';
import { clockFrom } from '../followups/clock';
import { FOLLOWUP_ENV, FollowUpWorker } from '../followups/follow-up.worker';
import { DispatchService } from './dispatch.service';
import { loadDispatchEnv } from './dispatch-config';
import { SlaMonitor } from './sla-monitor';
import { OwnerAssigner } from './owner-assigner';
import { DispatchRequests1764500000002 } from './1764500000002-dispatch-requests';
import { SlaWatch1764800000001 } from './1764800000001-sla-watch';
import { DISPATCH_CLOCK, DISPATCH_ENV, type Clock } from './tokens';

/** The tables this module adds to psa-writer's schema (registered with the service's migrations). */
export const DISPATCH_MIGRATIONS = [FollowUpTimers1764500000001, DispatchRequests1764500000002, FollowUpKinds1764600000003, MorningQueue1764600000005, SlaWatch1764800000001];

/**
 * Dispatch, SLA watch, agreement coverage and follow-up timers for psa-writer. Relies on the global
 * PlatformModule (DataSource, AdapterRegistry, DeskMetrics, DeskLogger); settings are validated at start.
 */
@Module({
  providers: [
    { provide: DISPATCH_ENV, useFactory: () => loadDispatchEnv() },
    { provide: FOLLOWUP_ENV, useFactory: () => loadFollowUpEnv() },
    { provide: DISPATCH_CLOCK, inject: [FOLLOWUP_ENV], useFactory: (env: FollowUpEnv): Clock => clockFrom(env.DESK_CLOCK_FILE) },
    // The tenants' token buckets are the process's (shared with the write drainer's limiter).
    { provide: PsaRateLimiter, inject: [DeskConfigService], useFactory: (cfg: DeskConfigService) => new PsaRateLimiter(parseRateLimits((cfg.env as PsaWriterEnv).PSA_RATE_LIMITS)) },
    DispatchService,
    AgreementService,
    SlaMonitor,
    OwnerAssigner,
    FollowUpWorker,
    MorningSummaryService,
  ],
  exports: [DispatchService, AgreementService, SlaMonitor, OwnerAssigner, FollowUpWorker, MorningSummaryService, DISPATCH_CLOCK],
})
export class DispatchModule {}
