import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { AdapterRegistry } from '@desk/adapters';
import { AuditController, DeskConfigService, DeskLogger, DeskMetrics, PlatformCore, PlatformModule } from '@desk/platform';
import { ExecutorEnv, registerFolder } from './config';
import { ATTEMPT_STORE, EXECUTOR_ENV } from './tokens';
import { ExecutorInit1732900100000 } from './persistence/migrations/1732900100000-executor-init';
import { ExecutorCodeDelivery1764600000100 } from './persistence/migrations/1764600000100-code-delivery';
import { RunbookResolvedHandler } from './handlers/runbook-resolved.handler';
import { TicketReplyHandler } from './handlers/ticket-reply.handler';
import { ProposalsController } from './http/proposals.controller';
import { ExecutorService } from './app/executor.service';
import { CaseRepository } from './persistence/case-repository';
import { PgAttemptStore } from './persistence/attempt-store';
import { LiveClientDirectory } from './adapters/live-directory';
import { loadClientRegister } from './adapters/client-register';
import { CaseClock } from './workers/case-clock';
import { ConversationService } from './conversation/conversation.service';
import { Conversations1764600000001 } from './conversation/persistence/1764600000001-conversations';
import { OpenAiReplyReader } from './conversation/adapters/llm-reply-reader';
import { OpenAiNewUserExtractor } from './adapters/openai-new-user';

/** Closes the attempt store's own pool with the app. */
@Injectable()
class AttemptStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ATTEMPT_STORE) private readonly store: PgAttemptStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** The test-only crash point (see DESK_FAULT_KILL_AFTER_VENDOR_CALL); undefined when it is off. */
function crashHook(action: string, warn: (m: string) => void): ((done: string) => void) | undefined {
  if (!action) return undefined;
  warn(`TEST HOOK ACTIVE: the executor kills itself after the vendor write of ${action}`);
  return (done) => {
    if (done === action) process.kill(process.pid, 'SIGKILL');
  };
}

@Module({
  imports: [PlatformModule.forService({ name: 'executor', env: ExecutorEnv, migrations: [ExecutorInit1732900100000, Conversations1764600000001, ExecutorCodeDelivery1764600000100] })],
  controllers: [RunbookResolvedHandler, TicketReplyHandler, ProposalsController, AuditController],
  providers: [
    { provide: EXECUTOR_ENV, inject: [DeskConfigService], useFactory: (cfg: DeskConfigService) => cfg.env as ExecutorEnv },
    {
      provide: LiveClientDirectory,
      inject: [AdapterRegistry, DeskLogger, EXECUTOR_ENV],
      useFactory: (registry: AdapterRegistry, logger: DeskLogger, env: ExecutorEnv) => new LiveClientDirectory(registry, loadClientRegister(registerFolder(env)), (m) => logger.pino.warn(m)),
    },
    {
      provide: ConversationService,
      inject: [LiveClientDirectory, DeskLogger, DeskMetrics, EXECUTOR_ENV],
      useFactory: (directory: LiveClientDirectory, logger: DeskLogger, metrics: DeskMetrics, env: ExecutorEnv) => {
        const conversations = metrics.counter('desk_conversations_total', 'Guidance conversations: guidance sent and how they ended', ['client', 'outcome']);
        return new ConversationService({
          contacts: (client) => directory.contacts(client),
          llm: env.OPENAI_API_KEY
            ? new OpenAiReplyReader({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, model: env.DESK_REPLY_LLM_MODEL, timeoutMs: env.DESK_REPLY_LLM_TIMEOUT_MS }, (m, f) => logger.pino.warn(f, m))
            : null,
          categories: env.DESK_GUIDANCE_CATEGORIES,
          maxRounds: env.DESK_CONVERSATION_MAX_ROUNDS,
          now: () => new Date(),
          count: (client, outcome) => conversations.inc({ client, outcome }),
        });
      },
    },
    {
      provide: ExecutorService,
      inject: [AdapterRegistry, PlatformCore, DeskMetrics, DeskLogger, EXECUTOR_ENV, ATTEMPT_STORE, LiveClientDirectory, ConversationService],
      useFactory: (registry: AdapterRegistry, core: PlatformCore, metrics: DeskMetrics, logger: DeskLogger, env: ExecutorEnv, attempts: PgAttemptStore, directory: LiveClientDirectory, conversations: ConversationService) => {
        return new ExecutorService({
          registry,
          directory,
          guidance: (scope, evt, decision, client) => conversations.tryGuidance(scope, evt, decision, client),
          cases: new CaseRepository(),
          attempts,
          actionsTotal: metrics.counter('desk_actions_total', 'Catalog actions run by the executor', ['client', 'action', 'outcome']),
          now: () => new Date(),
          retryDelayMs: env.EXECUTOR_RETRY_DELAY_MS,
          verification: {
            codeTtlMs: env.EXECUTOR_CODE_TTL_MS, maxAttempts: env.EXECUTOR_CODE_MAX_ATTEMPTS,
            codeDigits: env.EXECUTOR_CODE_DIGITS, approvalTtlMs: env.EXECUTOR_APPROVAL_TTL_MS,
          },
          newUserExtractor: env.OPENAI_API_KEY
            ? new OpenAiNewUserExtractor({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, model: env.EXECUTOR_LLM_MODEL, timeoutMs: env.EXECUTOR_LLM_TIMEOUT_MS }, (m, f) => logger.pino.warn(f ?? {}, m))
            : null,
          afterVendorWrite: crashHook(env.DESK_FAULT_KILL_AFTER_VENDOR_CALL, (m) => logger.pino.warn(m)),
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
