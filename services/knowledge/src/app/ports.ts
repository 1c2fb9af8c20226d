/** What the knowledge use cases need from the outside, so they run the same under Nest, in scripts and in tests. */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface GapRow {
  client: string;
  category: string;
  kind: GapKind;
  count: number;
  /** Ticket ids or document ids behind the count (most recent first, capped). */
  items: string[];
}

export type GapKind = 'no_runbook' | 'unusable_runbook' | 'stale' | 'malformed_header' | 'verification_failed';

export interface SyncReport {
  scopeKey: string;
  clientIdentifier: string | null;
  system: string;
  mode: 'full' | 'incremental';
  ok: boolean;
  error: string | null;
  fetched: number;
  upserted: number;
  unchanged: number;
  deleted: number;
  rejected: Array<{ docId: string; reason: string }>;
  durationMs: number;
  documentCount: number;
}

export interface KnowledgeMetrics {
  lookup(client: string, category: string, outcome: 'usable' | 'unusable' | 'no_runbook'): void;
  search(kind: 'event' | 'rpc' | 'http', seconds: number): void;
  sync(report: SyncReport): void;
  gaps(rows: GapRow[]): void;
}

export const noMetrics: KnowledgeMetrics = { lookup: () => undefined, search: () => undefined, sync: () => undefined, gaps: () => undefined };
