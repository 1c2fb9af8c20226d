import { buildDocument, contentHash, IncomingDocument, KnowledgeDocument } from '../domain/document';
import { DocsSource } from '../adapters/docs-source';
import { Embedder } from '../adapters/embedder';
import { Db } from '../persistence/db';
import { DocumentStore } from '../persistence/document-store';
import { SyncStore } from '../persistence/sync-store';
import { KnowledgeMetrics, Log, noMetrics, silentLog, SyncReport } from './ports';

export interface SyncOptions {
  /** A page larger than this is rejected (the previous version keeps serving). */
  maxDocumentBytes: number;
  /** A sync that would delete more than this share of a scope's documents is refused (a broken id listing). */
  maxDeleteRatio: number;
  /** How many scopes sync at the same time. */
  concurrency: number;
  /** A scope whose docs system has not finished within this time fails (and keeps its last good index). */
  timeoutMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = { maxDocumentBytes: 2 * 1024 * 1024, maxDeleteRatio: 0.5, concurrency: 4, timeoutMs: 10 * 60_000 };

export class SyncRefused extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  // The abandoned fetch may still fail later: that rejection is expected and ignored.
  p.catch(() => undefined);
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function errorText(err: unknown): string {
  const msg = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return msg.slice(0, 1000);
}

/**
 * Copies each scope's documents from its docs system into the index. One transaction per scope: a docs
 * system that fails mid-way (429, 500, garbage) leaves the last good index of that scope untouched, and the
 * failure is recorded on the scope. A single unusable page (too big, not a document, another client's) is
 * rejected and reported; its previous version keeps serving and the cursor does not move past it.
 */
export class SyncService {
  private readonly running = new Map<string, Promise<SyncReport>>();
  /** Rounds in progress (syncAll): a scope queued in one is about to sync. */
  private readonly rounds = new Set<Promise<unknown>>();
  /** Scopes known to have synced at least once (so the check below costs nothing after start). */
  private readonly synced = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly docs: DocumentStore,
    private readonly state: SyncStore,
    private readonly sources: () => DocsSource[],
    private readonly opts: SyncOptions = DEFAULT_SYNC_OPTIONS,
    private readonly embedder: Embedder | null = null,
    private readonly metrics: KnowledgeMetrics = noMetrics,
    private readonly log: Log = silentLog,
  ) {}

  syncAll(mode: 'full' | 'incremental', filter?: { clientIdentifier?: string | null; force?: boolean }): Promise<SyncReport[]> {
    const round = this.round(mode, filter);
    this.rounds.add(round);
    void round.finally(() => this.rounds.delete(round)).catch(() => undefined);
    return round;
  }

  /**
   * Right after start the index may still be empty: a ticket looked up then would wrongly find no runbook.
   * Waits (bounded) for the first sync of the global scope and of the client's scope; returns what is still
   * missing so the resolution can say so.
   */
  async ensureSynced(clientIdentifier: string | null, timeoutMs = 10_000): Promise<string[]> {
    const keys = clientIdentifier === null ? ['global'] : ['global', `client:${clientIdentifier}`];
    const deadline = Date.now() + timeoutMs;
    const missing: string[] = [];
    for (const key of keys) {
      for (;;) {
        if (this.synced.has(key)) break;
        const st = await this.state.get(this.db, key);
        if (st?.lastSuccessAt) {
          this.synced.add(key);
          break;
        }
        const waitOn = [...this.rounds];
        const left = deadline - Date.now();
        if (!waitOn.length || left <= 0) {
          missing.push(`the runbook index of ${key === 'global' ? 'the MSP-wide documents' : key.slice('client:'.length)} has not synced yet${st?.lastError ? ` (last error: ${st.lastError})` : ''}`);
          break;
        }
        await Promise.race([Promise.allSettled(waitOn), new Promise((r) => setTimeout(r, left).unref())]);
      }
    }
    return missing;
  }

  private async round(mode: 'full' | 'incremental', filter?: { clientIdentifier?: string | null; force?: boolean }): Promise<SyncReport[]> {
    let list: DocsSource[];
    try {
      list = this.sources();
    } catch (err) {
      this.log.error({ err: errorText(err) }, 'knowledge: docs sources unavailable');
      throw err;
    }
    if (filter && filter.clientIdentifier !== undefined) {
      const want = filter.clientIdentifier?.toLowerCase() ?? null;
      list = list.filter((s) => (s.clientIdentifier?.toLowerCase() ?? null) === want);
    }
    const reports: SyncReport[] = [];
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const src = list[next++]!;
        reports.push(await this.syncSource(src, mode, filter?.force ?? false));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.opts.concurrency, list.length)) }, worker));
    return reports.sort((a, b) => a.scopeKey.localeCompare(b.scopeKey));
  }

  /** A second request for a scope already syncing waits for that run instead of starting another. */
  syncSource(src: DocsSource, mode: 'full' | 'incremental', force = false): Promise<SyncReport> {
    const inflight = this.running.get(src.scopeKey);
    if (inflight) return inflight;
    const p = this.run(src, mode, force).finally(() => this.running.delete(src.scopeKey));
    this.running.set(src.scopeKey, p);
    return p;
  }

  private async run(src: DocsSource, requested: 'full' | 'incremental', force: boolean): Promise<SyncReport> {
    const startedAt = new Date();
    const prior = await this.state.get(this.db, src.scopeKey);
    const cursor = requested === 'incremental' ? prior?.cursor ?? null : null;
    const mode = cursor ? 'incremental' : 'full';
    const report: SyncReport = {
      scopeKey: src.scopeKey, clientIdentifier: src.clientIdentifier, system: src.system, mode, ok: false, error: null,
      fetched: 0, upserted: 0, unchanged: 0, deleted: 0, rejected: [], durationMs: 0, documentCount: prior?.documentCount ?? 0,
    };
    try {
      const known = await this.docs.hashes(this.db, src.scopeKey);
      // A docs system that stops answering must not hold the scope (and the scheduler's round) forever.
      const { changed, liveIds, maxUpdated } = await withTimeout(this.fetch(src, cursor, known, report), this.opts.timeoutMs,
        `the docs system did not finish within ${Math.round(this.opts.timeoutMs / 1000)} s`);
      const gone = [...known.keys()].filter((id) => !liveIds.has(id));
      if (!force && gone.length > 0 && known.size >= 4 && gone.length / known.size > this.opts.maxDeleteRatio) {
        throw new SyncRefused(`refusing to delete ${gone.length} of ${known.size} documents in one sync (limit ${this.opts.maxDeleteRatio * 100}%): the docs system's listing looks broken; sync with force to accept`);
      }
      const embeddings = await this.embed(changed);
      // Rejected pages are retried next time: the cursor stays where it was.
      const nextCursor = report.rejected.length ? cursor : maxUpdated;
      await this.db.transaction(async (tx) => {
        await this.state.lockScope(tx, src.scopeKey);
        await this.docs.upsert(tx, src.scopeKey, changed, embeddings);
        await this.docs.delete(tx, src.scopeKey, gone);
        report.upserted = changed.length;
        report.deleted = gone.length;
        report.documentCount = await this.docs.count(tx, src.scopeKey);
        report.ok = true;
        report.durationMs = Date.now() - startedAt.getTime();
        await this.state.success(tx, report, nextCursor, startedAt);
      });
      this.synced.add(src.scopeKey);
      this.log.info({ scope: src.scopeKey, mode, upserted: report.upserted, deleted: report.deleted, unchanged: report.unchanged, rejected: report.rejected.length }, 'knowledge: sync done');
    } catch (err) {
      Object.assign(report, { ok: false, upserted: 0, deleted: 0, error: errorText(err), durationMs: Date.now() - startedAt.getTime(), documentCount: prior?.documentCount ?? report.documentCount });
      this.log.warn({ scope: src.scopeKey, mode, error: report.error }, 'knowledge: sync failed; the last good index keeps serving');
      await this.state.failure(this.db, report, startedAt).catch((e: unknown) => this.log.error({ err: errorText(e) }, 'knowledge: could not record sync failure'));
    }
    this.metrics.sync(report);
    return report;
  }

  /** Reads the scope from its docs system: changed pages (parsed), the ids that still exist, the newest date. */
  private async fetch(src: DocsSource, cursor: string | null, known: Map<string, string>, report: SyncReport): Promise<{ changed: KnowledgeDocument[]; liveIds: Set<string>; maxUpdated: string | null }> {
    const changed: KnowledgeDocument[] = [];
    let maxUpdated = cursor;
    for await (const raw of src.client.listDocuments({ clientIdentifier: src.clientIdentifier, ...(cursor ? { updatedSince: cursor } : {}) })) {
      report.fetched++;
      const doc = this.accept(src, raw, report);
      if (!doc) continue;
      if (!maxUpdated || Date.parse(doc.updatedAt) > Date.parse(maxUpdated)) maxUpdated = new Date(doc.updatedAt).toISOString();
      // Unchanged pages are recognised by their hash before any parsing (most of an incremental round).
      if (known.get(doc.id) === contentHash(doc)) report.unchanged++;
      else changed.push(buildDocument(doc, src.clientIdentifier === null ? 'global' : 'client', src.clientIdentifier, src.system));
    }
    const liveIds = new Set(await src.client.listDocumentIds({ clientIdentifier: src.clientIdentifier }));
    return { changed, liveIds, maxUpdated };
  }

  /** Validates one page from the docs system; a bad one is rejected and reported, never indexed. */
  private accept(src: DocsSource, raw: unknown, report: SyncReport): IncomingDocument | null {
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : '(no id)';
    const parsed = IncomingDocument.safeParse(raw);
    if (!parsed.success) {
      report.rejected.push({ docId: id, reason: `not a document: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` });
      return null;
    }
    const doc = parsed.data;
    const size = Buffer.byteLength(doc.body, 'utf8');
    if (size > this.opts.maxDocumentBytes) {
      report.rejected.push({ docId: doc.id, reason: `page is ${size} bytes, over the ${this.opts.maxDocumentBytes} byte limit` });
      return null;
    }
    // Tenant guard: a docs system handing over another scope's page must not put it in this client's index.
    if ((doc.clientIdentifier?.toLowerCase() ?? null) !== (src.clientIdentifier?.toLowerCase() ?? null)) {
      report.rejected.push({ docId: doc.id, reason: `belongs to ${doc.clientIdentifier ?? 'the global scope'}, not ${src.clientIdentifier ?? 'the global scope'}` });
      return null;
    }
    return doc;
  }

  private async embed(docs: KnowledgeDocument[]): Promise<Map<string, number[]> | undefined> {
    if (!this.embedder || !docs.length) return undefined;
    try {
      const vectors = await this.embedder.embed(docs.map((d) => `${d.title}\n${d.sections.headings.join('\n')}\n${d.body}`));
      return new Map(docs.map((d, i) => [d.docId, vectors[i]!]));
    } catch (err) {
      // Embeddings only add a ranking signal; without them full text and trigram still serve.
      this.log.warn({ err: errorText(err) }, 'knowledge: embeddings unavailable for this sync');
      return undefined;
    }
  }
}
