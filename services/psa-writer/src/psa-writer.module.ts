import { Module } from '@nestjs/common';
import { DeskConfigService, PlatformModule } from '@desk/platform';
import { PsaWriterEnv } from './config';
import { PSA_WRITER_ENV } from './tokens';
import { PsaWriterInit1764400000001 } from './persistence/migrations/1764400000001-psa-writer-init';
import { DeskChildTickets1764700000001 } from './persistence/migrations/1764700000001-desk-child-tickets';
import { PipelineHandler } from './handlers/pipeline.handler';
import { MorningSummaryController } from './after-hours/morning-summary.controller';
import { WriteDrainer } from './workers/write-drainer';
import { DISPATCH_MIGRATIONS, DispatchModule } from './dispatch/dispatch.module';

@Module({
  imports: [PlatformModule.forService({ name: 'psa-writer', env: PsaWriterEnv, migrations: [PsaWriterInit1764400000001, ...DISPATCH_MIGRATIONS, DeskChildTickets1764700000001] }), DispatchModule],
  controllers: [PipelineHandler, MorningSummaryController],
  providers: [
    { provide: PSA_WRITER_ENV, inject: [DeskConfigService], useFactory: (cfg: DeskConfigService) => cfg.env as PsaWriterEnv },
    WriteDrainer,
  ],
})
export class PsaWriterModule {}
