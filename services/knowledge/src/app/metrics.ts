import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { GapRow, KnowledgeMetrics, SyncReport } from './ports';

/** The knowledge metrics on a prom-client registry (the platform's, so /metrics serves them). */
export class PromKnowledgeMetrics implements KnowledgeMetrics {
  private readonly lookups: Counter<'client' | 'category' | 'outcome'>;
  private readonly searchSeconds: Histogram<'kind'>;
  private readonly syncRuns: Counter<'scope' | 'mode' | 'outcome'>;
  private readonly syncSeconds: Histogram<'mode'>;
  private readonly syncDocuments: Counter<'scope' | 'change'>;
  private readonly syncLastSuccess: Gauge<'scope'>;
  private readonly syncFailing: Gauge<'scope'>;
  private readonly gapGauge: Gauge<'client' | 'category' | 'kind'>;

  constructor(registry: Registry) {
    const r = [registry];
    this.lookups = new Counter({ name: 'desk_knowledge_lookups_total', help: 'Runbook lookups for tickets, by outcome', labelNames: ['client', 'category', 'outcome'], registers: r });
    this.searchSeconds = new Histogram({ name: 'desk_knowledge_search_duration_seconds', help: 'Knowledge search latency', labelNames: ['kind'], buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1], registers: r });
    this.syncRuns = new Counter({ name: 'desk_knowledge_sync_runs_total', help: 'Docs sync runs per scope', labelNames: ['scope', 'mode', 'outcome'], registers: r });
    this.syncSeconds = new Histogram({ name: 'desk_knowledge_sync_duration_seconds', help: 'Docs sync duration per scope', labelNames: ['mode'], buckets: [0.1, 0.5, 1, 5, 15, 60, 300], registers: r });
    this.syncDocuments = new Counter({ name: 'desk_knowledge_sync_documents_total', help: 'Documents written, deleted, unchanged or rejected by sync', labelNames: ['scope', 'change'], registers: r });
    this.syncLastSuccess = new Gauge({ name: 'desk_knowledge_sync_last_success_timestamp_seconds', help: 'Last successful sync per scope', labelNames: ['scope'], registers: r });
    this.syncFailing = new Gauge({ name: 'desk_knowledge_sync_failing', help: '1 while the last sync of a scope failed (the last good index keeps serving)', labelNames: ['scope'], registers: r });
    this.gapGauge = new Gauge({ name: 'desk_knowledge_gaps', help: 'Runbook gaps per client and category', labelNames: ['client', 'category', 'kind'], registers: r });
  }

  lookup(client: string, category: string, outcome: 'usable' | 'unusable' | 'no_runbook'): void {
    this.lookups.inc({ client, category, outcome });
  }

  search(kind: 'event' | 'rpc' | 'http', seconds: number): void {
    this.searchSeconds.observe({ kind }, seconds);
  }

  sync(report: SyncReport): void {
    const scope = report.scopeKey;
    this.syncRuns.inc({ scope, mode: report.mode, outcome: report.ok ? 'ok' : 'failed' });
    this.syncSeconds.observe({ mode: report.mode }, report.durationMs / 1000);
    this.syncFailing.set({ scope }, report.ok ? 0 : 1);
    if (!report.ok) return;
    this.syncLastSuccess.set({ scope }, Date.now() / 1000);
    for (const [change, n] of [['upserted', report.upserted], ['deleted', report.deleted], ['unchanged', report.unchanged], ['rejected', report.rejected.length]] as const) {
      if (n) this.syncDocuments.inc({ scope, change }, n);
    }
  }

  gaps(rows: GapRow[]): void {
    this.gapGauge.reset();
    for (const g of rows) this.gapGauge.set({ client: g.client, category: g.category, kind: g.kind }, g.count);
  }
}
