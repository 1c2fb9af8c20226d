import { Module } from '@nestjs/common';
import { DeskConfigService, PlatformModule } from '@desk/platform';
import { TriageEnv, TRIAGE_ENV } from './config';
import { TicketReceivedHandler } from './handlers/ticket-received.handler';
import { PolicyController } from './http/policy.controller';
import { TriageInit1764500000001 } from './persistence/migrations/1764500000001-triage-init';
import { TriageService } from './services/triage.service';

@Module({
  imports: [PlatformModule.forService({ name: 'triage', env: TriageEnv, migrations: [TriageInit1764500000001] })],
  controllers: [TicketReceivedHandler, PolicyController],
  providers: [
    { provide: TRIAGE_ENV, inject: [DeskConfigService], useFactory: (cfg: DeskConfigService) => cfg.env as TriageEnv },
    TriageService,
  ],
})
export class TriageModule {}
