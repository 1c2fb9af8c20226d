import { join } from 'node:path';
import { Inject, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdapterRegistry } from '@desk/adapters';
import { DeskConfigService, DeskLogger, DeskMetrics, PlatformCore, PlatformModule } from '@desk/platform';
import { KNOWLEDGE_APP, KNOWLEDGE_ENV, KnowledgeEnv, stalenessPolicy } from './config';
import { createKnowledgeApp, KnowledgeApp } from './app/knowledge-app';
import { PromKnowledgeMetrics } from './app/metrics';
import { SyncScheduler } from './app/sync-scheduler';
import { Log } from './app/ports';
import { clockFromEnv } from './domain/clock';
import { embedderFromEnv } from './adapters/embedder';
import { registrySources } from './adapters/registry-sources';
import { demoClientSlugs, markdownTreeSources } from './adapters/demo-world';
import { readExamplesFile } from './adapters/examples-file';
import { DocsSource } from './adapters/docs-source';
import { fromDataSource } from './persistence/typeorm-db';
import { KnowledgeInit1764460000000 } from './persistence/migrations/1764460000000-knowledge-init';
import { RunbookChildTickets1764600000003 } from './persistence/migrations/1764600000003-runbook-child-tickets';
import { RunbookVoteVector1764720000004 } from './persistence/migrations/1764720000004-runbook-vote-vector';
import { TicketTriagedHandler } from './handlers/ticket-triaged.handler';
import { TicketEscalatedHandler } from './handlers/ticket-escalated.handler';
import { KnowledgeSearchHandler } from './handlers/knowledge-search.handler';
import { KnowledgeController } from './http/knowledge.controller';
import { SYNC_SCHEDULER } from './tokens';

function sourcesFor(env: KnowledgeEnv, registry: AdapterRegistry): () => DocsSource[] {
  if (env.KNOWLEDGE_SOURCE === 'registry') return () => registrySources(registry);
  return () => {
    const slugs = demoClientSlugs(env.KNOWLEDGE_CLIENTS_DIR);
    // Configured clients whose folder is not named in a client file use their identifier as folder name.
    const bySlug = new Map(registry.clients().map((c) => [c.identifier, slugs.get(c.identifier) ?? c.identifier]));
    return markdownTreeSources(env.KNOWLEDGE_MARKDOWN_DIR, bySlug);
  };
}

function pinoLog(logger: DeskLogger): Log {
  return {
    info: (o, m) => logger.pino.info(o, m),
    warn: (o, m) => logger.pino.warn(o, m),
    error: (o, m) => logger.pino.error(o, m),
  };
}

@Module({
  imports: [PlatformModule.forService({ name: 'knowledge', env: KnowledgeEnv, migrations: [KnowledgeInit1764460000000, RunbookChildTickets1764600000003, RunbookVoteVector1764720000004] })],
  controllers: [TicketTriagedHandler, TicketEscalatedHandler, KnowledgeSearchHandler, KnowledgeController],
  providers: [
    { provide: KNOWLEDGE_ENV, inject: [DeskConfigService], useFactory: (cfg: DeskConfigService) => cfg.env as KnowledgeEnv },
    {
      provide: KNOWLEDGE_APP,
      inject: [KNOWLEDGE_ENV, DataSource, PlatformCore, AdapterRegistry, DeskMetrics, DeskLogger],
      useFactory: (env: KnowledgeEnv, ds: DataSource, core: PlatformCore, registry: AdapterRegistry, metrics: DeskMetrics, logger: DeskLogger): KnowledgeApp =>
        createKnowledgeApp({
          db: fromDataSource(ds),
          schema: core.schema,
          sources: sourcesFor(env, registry),
          clock: clockFromEnv(env.KNOWLEDGE_NOW),
          policy: stalenessPolicy(env),
          embedder: embedderFromEnv({ OPENAI_API_KEY: env.OPENAI_API_KEY, OPENAI_BASE_URL: env.OPENAI_BASE_URL, KNOWLEDGE_EMBEDDING_MODEL: env.KNOWLEDGE_EMBEDDING_MODEL }),
          metrics: new PromKnowledgeMetrics(metrics.registry),
          log: pinoLog(logger),
          sync: { maxDocumentBytes: env.KNOWLEDGE_MAX_DOC_BYTES, maxDeleteRatio: env.KNOWLEDGE_MAX_DELETE_RATIO, timeoutMs: env.KNOWLEDGE_SYNC_TIMEOUT_MS },
        }),
    },
    {
      provide: SYNC_SCHEDULER,
      inject: [KNOWLEDGE_APP, KNOWLEDGE_ENV, DeskLogger],
      useFactory: (app: KnowledgeApp, env: KnowledgeEnv, logger: DeskLogger) => new SyncScheduler(app, env.KNOWLEDGE_SYNC_INTERVAL_MS, pinoLog(logger)),
    },
  ],
})
export class KnowledgeModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(KNOWLEDGE_APP) private readonly app: KnowledgeApp,
    @Inject(KNOWLEDGE_ENV) private readonly env: KnowledgeEnv,
    @Inject(SYNC_SCHEDULER) private readonly scheduler: SyncScheduler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Seed examples for the category vote (idempotent upsert); the desk's own triaged tickets add more.
    const examples = this.env.KNOWLEDGE_EXAMPLES_FILE.split(',').map((f) => f.trim()).filter(Boolean)
      .flatMap((f) => readExamplesFile(join(process.cwd(), f)));
    if (examples.length) await this.app.examples.add(this.app.db, examples);
    this.scheduler.start(this.env.KNOWLEDGE_SYNC_ON_START);
  }

  async onModuleDestroy(): Promise<void> {
    await this.scheduler.stop();
  }
}
