import { Module } from '@nestjs/common';
import { AgreementService } from '../agreements/agreement.service';
import { DispatchService } from './dispatch.service';
import { loadDispatchEnv } from './dispatch-config';
import { SlaMonitor } from './sla-monitor';
import { DISPATCH_CLOCK, DISPATCH_ENV, type Clock } from './tokens';

/**
 * Dispatch, SLA watch and agreement coverage for psa-writer. Relies on the global PlatformModule
 * (DataSource, AdapterRegistry, DeskMetrics, DeskLogger); settings are validated at start.
 */
@Module({
  providers: [
    { provide: DISPATCH_ENV, useFactory: () => loadDispatchEnv() },
    { provide: DISPATCH_CLOCK, useValue: ((): Date => new Date()) satisfies Clock },
    DispatchService,
    AgreementService,
    SlaMonitor,
  ],
  exports: [DispatchService, AgreementService, SlaMonitor, DISPATCH_CLOCK],
})
export class DispatchModule {}
