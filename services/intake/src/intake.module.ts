import { Inject, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AdapterRegistry } from '@desk/adapters';
import { DeskConfigService, DeskMetrics, PlatformCore, PlatformModule } from '@desk/platform';
import { IntakeEnv } from './config';
import { INTAKE_ENV } from './tokens';
import { IntakeInit1764400000000 } from './persistence/migrations/1764400000000-intake-init';
import { PsaFetchJobByTicket1764800000000 } from './persistence/migrations/1764800000000-psa-fetch-job-by-ticket';
import { Deliveries } from './adapters/deliveries';
import { ApiKeys } from './adapters/api-keys';
import { PsaWebhookAuth } from './adapters/psa-webhook-auth';
import { ConnectWiseSigningKeys } from './adapters/cw-signing-keys';
import { PsaFetchWorker } from './workers/psa-fetch.worker';
import { IntakeHttp } from './http/intake-http';
import { installBodyParsers, type ParserHost } from './http/body-parsers';
import { PsaWebhooksController } from './http/psa-webhooks.controller';
import { EmailController } from './http/email.controller';
import { PortalController } from './http/portal.controller';
import { AlertsController } from './http/alerts.controller';
import { SmsController } from './http/sms.controller';
import { OpenApiController } from './http/openapi.controller';
import { PsaLinkedHandler } from './handlers/psa-linked.handler';

const CHANNEL_BY_PATH: Array<[RegExp, string]> = [
  [/^\/webhooks\/(connectwise|halopsa|autotask)/, '$1'], [/^\/alerts\/(ninjaone|datto)/, '$1'],
  [/^\/inbound\/email/, 'email'], [/^\/inbound\/sms/, 'sms'], [/^\/portal\//, 'portal'],
];

@Module({
  imports: [PlatformModule.forService({ name: 'intake', env: IntakeEnv, migrations: [IntakeInit1764400000000, PsaFetchJobByTicket1764800000000] })],
  controllers: [PsaWebhooksController, EmailController, PortalController, AlertsController, SmsController, OpenApiController, PsaLinkedHandler],
  providers: [
    { provide: INTAKE_ENV, inject: [DeskConfigService], useFactory: (cfg: DeskConfigService) => cfg.env as IntakeEnv },
    { provide: Deliveries, inject: [PlatformCore], useFactory: (core: PlatformCore) => new Deliveries(core) },
    {
      provide: PsaWebhookAuth,
      inject: [AdapterRegistry, INTAKE_ENV],
      useFactory: (r: AdapterRegistry, env: IntakeEnv) => new PsaWebhookAuth(() => r.clients(), new ConnectWiseSigningKeys(), env.INTAKE_REPLAY_WINDOW_SECONDS),
    },
    ApiKeys,
    IntakeHttp,
    PsaFetchWorker,
  ],
})
export class IntakeModule {
  constructor(host: HttpAdapterHost, @Inject(INTAKE_ENV) env: IntakeEnv, metrics: DeskMetrics) {
    // Runs before Nest's default parsers are added, which then stay out (see installBodyParsers).
    const requests = metrics.counter('desk_intake_requests_total', 'Intake requests by channel and HTTP status', ['channel', 'status']);
    installBodyParsers(host.httpAdapter as unknown as ParserHost, env.INTAKE_MAX_BODY_BYTES, (path, status) => {
      const hit = CHANNEL_BY_PATH.find(([re]) => re.test(path));
      requests.inc({ channel: hit ? path.replace(hit[0], hit[1]).split('/')[0]! : 'other', status: String(status) });
    });
  }
}
