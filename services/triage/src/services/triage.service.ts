import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AdapterRegistry } from '@desk/adapters';
import { InboundTicket } from '@desk/contracts';
import { DeskLogger, DeskMetrics, PlatformCore } from '@desk/platform';
import type { Counter, Histogram } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { parse } from 'yaml';
import { OpenAiSuggester } from '../adapters/openai-suggester';
import { PgOpenTicketStore } from '../adapters/open-ticket-store';
import { PolicyStore } from '../adapters/policy-store';
import { loadSeedDirectories } from '../adapters/seed-directory';
import { VendorDirectorySource } from '../adapters/vendor-directory';
import { TriageEnv, TRIAGE_ENV } from '../config';
import { TextClassifier } from '../domain/classifier/model';
import { CategorySuggester } from '../domain/llm';
import { parsePolicyDocument, PolicyDocument } from '../domain/policy/policy';
import { triageTicket, TriageOutcome } from '../domain/triage';

/** Files named in env are relative to the repository root (where every service is started from). */
function resolvePath(p: string): string {
  if (isAbsolute(p)) return p;
  const fromCwd = join(process.cwd(), p);
  try {
    readFileSync(fromCwd);
    return fromCwd;
  } catch {
    return join(__dirname, '..', '..', '..', '..', p);
  }
}

/** Wires the pure triage pipeline to its edges: the model file, directories, policy tables, the LLM. */
@Injectable()
export class TriageService implements OnModuleInit {
  readonly model: TextClassifier;
  readonly policyStore: PolicyStore;
  private readonly directories: VendorDirectorySource;
  private readonly llm: CategorySuggester | null;
  private readonly decisions: Counter<'client' | 'category' | 'route'>;
  private readonly confidence: Histogram<'classifier'>;

  constructor(
    @Inject(TRIAGE_ENV) private readonly env: TriageEnv,
    @Inject(PlatformCore) private readonly core: PlatformCore,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(DeskLogger) logger: DeskLogger,
    @Inject(DeskMetrics) metrics: DeskMetrics,
    registry: AdapterRegistry,
  ) {
    this.model = TextClassifier.fromJson(JSON.parse(readFileSync(resolvePath(env.TRIAGE_MODEL_PATH), 'utf8')));
    this.policyStore = new PolicyStore(core.schema);
    const overlay = env.TRIAGE_DIRECTORY_OVERLAY ? loadSeedDirectories(resolvePath(env.TRIAGE_DIRECTORY_OVERLAY)) : [];
    this.directories = new VendorDirectorySource(registry, overlay, env.TRIAGE_DIRECTORY_TTL_MS, logger.pino);
    this.llm = env.OPENAI_API_KEY
      ? new OpenAiSuggester({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, model: env.TRIAGE_LLM_MODEL, timeoutMs: env.TRIAGE_LLM_TIMEOUT_MS }, logger.pino)
      : null;
    this.decisions = metrics.counter('desk_triage_decisions_total', 'Triage decisions', ['client', 'category', 'route']);
    this.confidence = metrics.histogram('desk_triage_confidence', 'Calibrated category confidence', ['classifier'], [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 1]);
  }

  /** First start: an empty policy store is filled from the YAML file kept in git. */
  async onModuleInit(): Promise<void> {
    await this.ds.transaction(async (em) => {
      if (await this.policyStore.isEmpty(em)) {
        await this.policyStore.importDocument(em, this.readPolicyFile(), 'triage:first-start', { replace: false, source: this.env.TRIAGE_POLICY_FILE });
        this.core.log.info({ file: this.env.TRIAGE_POLICY_FILE }, 'triage policy imported from file');
      }
    });
  }

  readPolicyFile(text?: string): PolicyDocument {
    return parsePolicyDocument(parse(text ?? readFileSync(resolvePath(this.env.TRIAGE_POLICY_FILE), 'utf8')));
  }

  async run(ticket: InboundTicket, ticketId: string, tx: EntityManager): Promise<TriageOutcome> {
    const [directories, policy] = await Promise.all([this.directories.all(), this.policyStore.load(tx)]);
    const outcome = await triageTicket(ticket, ticketId, {
      model: this.model, directories, policy, llm: this.llm,
      openTickets: new PgOpenTicketStore(tx, this.core.schema),
      windows: { duplicateMinutes: this.env.TRIAGE_DUPLICATE_MINUTES, stormMinutes: this.env.TRIAGE_STORM_MINUTES },
    });
    const r = outcome.result;
    this.decisions.inc({ client: r.clientIdentifier ?? 'unknown', category: r.category, route: r.duplicateOf ? 'duplicate' : r.route.decision });
    this.confidence.observe({ classifier: r.classifier }, r.confidence);
    return outcome;
  }
}
