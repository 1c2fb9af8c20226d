import { Clock } from '../domain/clock';
import { StalenessPolicy } from '../domain/staleness';
import { DocsSource } from '../adapters/docs-source';
import { Embedder } from '../adapters/embedder';
import { Db } from '../persistence/db';
import { DocumentStore } from '../persistence/document-store';
import { GapStore } from '../persistence/gap-store';
import { DEFAULT_TUNING, RankTuning, SearchStore } from '../persistence/search-store';
import { SyncStore } from '../persistence/sync-store';
import { ExampleStore } from '../persistence/example-store';
import { GapService } from './gap.service';
import { KnowledgeMetrics, Log, noMetrics, silentLog } from './ports';
import { ResolveService } from './resolve.service';
import { SearchService } from './search.service';
import { DEFAULT_SYNC_OPTIONS, SyncOptions, SyncService } from './sync.service';

export interface KnowledgeDeps {
  db: Db;
  schema: string;
  sources: () => DocsSource[];
  clock: Clock;
  policy: StalenessPolicy;
  embedder?: Embedder | null;
  metrics?: KnowledgeMetrics;
  log?: Log;
  sync?: Partial<SyncOptions>;
  tuning?: RankTuning;
}

export interface KnowledgeApp {
  sync: SyncService;
  search: SearchService;
  resolver: ResolveService;
  gaps: GapService;
  gapStore: GapStore;
  examples: ExampleStore;
  syncStore: SyncStore;
  db: Db;
}

/** Wires the knowledge use cases (one place for the Nest module, the scripts and the tests). */
export function createKnowledgeApp(d: KnowledgeDeps): KnowledgeApp {
  const metrics = d.metrics ?? noMetrics;
  const docs = new DocumentStore(d.schema);
  const gapStore = new GapStore(d.schema);
  const syncStore = new SyncStore(d.schema);
  const examples = new ExampleStore(d.schema);
  return {
    examples,
    db: d.db,
    gapStore,
    syncStore,
    sync: new SyncService(d.db, docs, syncStore, d.sources, { ...DEFAULT_SYNC_OPTIONS, ...d.sync }, d.embedder ?? null, metrics, d.log ?? silentLog),
    search: new SearchService(d.db, new SearchStore(d.schema, d.tuning ?? DEFAULT_TUNING), d.embedder ?? null, metrics, undefined, examples),
    resolver: new ResolveService(d.db, docs, gapStore, d.clock, d.policy, metrics),
    gaps: new GapService(d.db, docs, gapStore, d.clock, d.policy, metrics),
  };
}
