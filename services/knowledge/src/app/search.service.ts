import { KnowledgeSearchReplyV1, KnowledgeSearchRequestV1 } from '@desk/contracts';
import { Embedder } from '../adapters/embedder';
import { cosine, RankedList, reciprocalRankFusion } from '../domain/rrf';
import { Db } from '../persistence/db';
import { queryWords, ScoredRow, SearchScope, SearchStore } from '../persistence/search-store';
import { ExampleStore } from '../persistence/example-store';
import { CategoryModel, CategoryScore } from '../domain/category-model';
import { KnowledgeMetrics, noMetrics } from './ports';

export interface SearchOptions {
  /** How deep each ranked list goes before fusion. */
  depth: number;
  rrfK: number;
}

export type SearchRequest = Pick<KnowledgeSearchRequestV1, 'clientIdentifier' | 'query'> & Partial<Pick<KnowledgeSearchRequestV1, 'category' | 'limit' | 'categoryHint'>> & {
  /** Example ids to leave out of the category vote (cross-validation in the evaluation only). */
  excludeExamples?: string[];
};
export type SearchHit = KnowledgeSearchReplyV1['hits'][number] & { ranks: Record<string, number> };

const keyOf = (r: { scopeKey: string; docId: string }) => `${r.scopeKey}\u0000${r.docId}`;

/**
 * Retrieval: full text (weighted, cover density) and trigram similarity, plus embeddings when configured,
 * fused by reciprocal rank. Every list is computed over the same candidate set: the client's own documents and
 * the MSP-wide ones they do not replace.
 */
export class SearchService {
  /** RRF weight of each ranked list (tuned on the labelled query set, see scripts/eval-knowledge.ts). */
  weights = { title: 0.5, fts: 1, trigram: 0, embedding: 1, category: 2, neighbours: 5, summary: 1, model: 0.5, hint: 12 };
  /**
   * How a category hint's confidence becomes its weight: hint × confidence^hintPower. A high power keeps an
   * unsure hint near zero (the text decides) and lets a confident one outweigh the text lists.
   */
  hintPower = 6;
  /** Trained category models by the example ids they leave out ('' = none), with the example version they saw. */
  private readonly models = new Map<string, { model: Promise<CategoryModel>; version: number; at: number }>();
  /** Retrain at least this often even without local adds (another replica may have added examples). */
  modelMaxAgeMs = 60_000;
  scaleByConfidence = true;
  /** The client's categorised runbooks join the labelled examples in the category vote. */
  documentsVote = true;
  constructor(
    private readonly db: Db,
    private readonly store: SearchStore,
    private readonly embedder: Embedder | null = null,
    private readonly metrics: KnowledgeMetrics = noMetrics,
    readonly opts: SearchOptions = { depth: 30, rrfK: 60 },
    private readonly examples: ExampleStore | null = null,
  ) {}

  async search(req: SearchRequest, kind: 'event' | 'rpc' | 'http' = 'rpc'): Promise<SearchHit[]> {
    const started = process.hrtime.bigint();
    const scope: SearchScope = { clientIdentifier: req.clientIdentifier, category: req.category ?? null };
    const limit = req.limit ?? 5;
    const text = req.query.slice(0, 4000);
    // A ticket's first line (its summary) says what it is about; the body adds names, hosts and noise.
    const firstLine = text.split('\n', 1)[0]!.trim();
    const head = this.weights.summary > 0 && firstLine && firstLine.length < text.trim().length ? firstLine : null;
    // What the ticket is about (examples) does not depend on spelling fixes: it runs beside them. Full text waits
    // for the fixes, then scores the whole ticket and its summary line in one pass.
    const lexical = this.store.corrections(this.db, scope.clientIdentifier, queryWords(text))
      .then((fixes) => this.store.rank(this.db, scope, text, fixes, head));
    const [scored, emb, votes, predicted] = await Promise.all([
      lexical,
      this.embeddingList(scope, text),
      this.categoryVotes(scope, text, req.excludeExamples ?? []),
      this.predictCategory(scope, text, req.excludeExamples ?? []),
    ]);
    const ordered = (score: (r: ScoredRow) => number) => scored.filter((r) => score(r) > 0)
      .sort((a, b) => score(b) - score(a) || a.docId.localeCompare(b.docId)).slice(0, this.opts.depth);
    const fts = ordered((r) => r.fts);
    const lists: RankedList[] = [
      { name: 'title', keys: ordered((r) => r.title).map(keyOf), weight: this.weights.title },
      { name: 'fts', keys: fts.map(keyOf), weight: this.weights.fts },
    ];
    // Trigram similarity of titles and headings carries a query whose words all missed (misspelt, run together);
    // as a standing list it only added noise on the labelled set.
    if (!fts.length || this.weights.trigram > 0) {
      const tri = await this.store.trigram(this.db, scope, text, this.opts.depth);
      lists.push({ name: 'trigram', keys: tri.map(keyOf), weight: fts.length ? this.weights.trigram : 1 });
    }
    if (head) lists.push({ name: 'summary', keys: ordered((r) => r.head).map(keyOf), weight: this.weights.summary });
    if (emb) lists.push({ name: 'embedding', keys: emb, weight: this.weights.embedding });
    if (votes?.size) {
      // Candidates of the categories similar tickets were labelled with, strongest vote first, lexical order within.
      const lexical = new Map(fts.map((r, i) => [keyOf(r), i]));
      const cat = scored.filter((r) => r.category && votes.has(r.category))
        .map((r) => ({ key: keyOf(r), vote: votes.get(r.category!)! }))
        .sort((a, b) => b.vote - a.vote || (lexical.get(a.key) ?? 1e9) - (lexical.get(b.key) ?? 1e9));
      const total = [...votes.values()].reduce((a, b) => a + b, 0) || 1;
      lists.push({ name: 'category', keys: cat.map((c) => c.key), weight: this.weights.category, scales: this.scaleByConfidence ? cat.map((c) => c.vote / total) : undefined });
    }
    if (predicted?.length) {
      const lexical = new Map(fts.map((r, i) => [keyOf(r), i]));
      const p = new Map(predicted.map((c) => [c.category, c.p]));
      const cat = scored.filter((r) => r.category && (p.get(r.category) ?? 0) > 0.01)
        .map((r) => ({ key: keyOf(r), p: p.get(r.category!)! }))
        .sort((a, b) => b.p - a.p || (lexical.get(a.key) ?? 1e9) - (lexical.get(b.key) ?? 1e9));
      lists.push({ name: 'model', keys: cat.map((c) => c.key), weight: this.weights.model, scales: this.scaleByConfidence ? cat.map((c) => c.p) : undefined });
    }
    const hint = this.hintList(scored, fts, req.categoryHint ?? null);
    if (hint) lists.push(hint);
    const fused = reciprocalRankFusion(lists, this.opts.rrfK).slice(0, limit);
    const keys = fused.map((f) => {
      const [scopeKey, docId] = f.key.split('\u0000') as [string, string];
      return { scopeKey, docId };
    });
    const rows = new Map((await this.store.hits(this.db, scope.clientIdentifier, keys)).map((r) => [keyOf({ scopeKey: r.scope_key, docId: r.doc_id }), r]));
    const hits: SearchHit[] = [];
    for (const f of fused) {
      const r = rows.get(f.key);
      if (!r) continue;
      hits.push({ docId: r.doc_id, title: r.title, scope: r.scope, category: r.category, score: Number(f.score.toFixed(6)), snippet: r.snippet.replace(/\s+/g, ' ').trim(), ranks: f.ranks });
    }
    this.metrics.search(kind, Number(process.hrtime.bigint() - started) / 1e9);
    return hits;
  }

  /** The caller's category hint (triage's category and confidence) as a ranked list: its documents, lexical order. */
  private hintList(scored: ScoredRow[], fts: ScoredRow[], hint: SearchRequest['categoryHint']): RankedList | null {
    if (!hint || this.weights.hint <= 0) return null;
    const lexical = new Map(fts.map((r, i) => [keyOf(r), i]));
    const keys = scored.filter((r) => r.category === hint.category).map(keyOf)
      .sort((a, b) => (lexical.get(a) ?? 1e9) - (lexical.get(b) ?? 1e9) || a.localeCompare(b));
    if (!keys.length) return null;
    return { name: 'hint', keys, weight: this.weights.hint * hint.confidence ** this.hintPower };
  }

  /** The plain ILIKE ranking over the same candidates (evaluation baseline only). */
  async baseline(req: SearchRequest): Promise<string[]> {
    const rows = await this.store.ilikeBaseline(this.db, { clientIdentifier: req.clientIdentifier, category: req.category ?? null }, req.query, req.limit ?? 5);
    return rows.map((r) => r.docId);
  }

  /** Category → vote of the most similar labelled tickets (null when there are none or a category is given). */
  private async categoryVotes(scope: SearchScope, text: string, exclude: string[]): Promise<Map<string, number> | null> {
    if (!this.examples || scope.category) return null;
    return this.examples.vote(this.db, text, this.weights.neighbours, exclude, this.documentsVote ? { clientIdentifier: scope.clientIdentifier } : null);
  }

  /** The category model's guess (null when there are no examples, a category is given, or the model is off). */
  private async predictCategory(scope: SearchScope, text: string, exclude: string[]): Promise<CategoryScore[] | null> {
    if (!this.examples || scope.category || this.weights.model <= 0) return null;
    const model = await this.categoryModel(this.examples, exclude);
    return model.predict(text);
  }

  /**
   * The model trained on the examples (minus `exclude`), shared by concurrent searches. Retrained when examples
   * were added here (at most every few seconds: a busy desk adds one per triaged ticket) and at least every
   * `modelMaxAgeMs` (another replica may have added some).
   */
  private categoryModel(examples: ExampleStore, exclude: string[]): Promise<CategoryModel> {
    const key = [...exclude].sort().join('\u0000');
    const cached = this.models.get(key);
    const age = cached ? Date.now() - cached.at : Infinity;
    if (cached && age < this.modelMaxAgeMs && (cached.version === examples.version || age < 5_000)) return cached.model;
    const version = examples.version;
    const model = examples.all(this.db).then((rows) => {
      const skip = new Set(exclude);
      return CategoryModel.train(rows.filter((e) => !skip.has(e.id)));
    });
    // The previous model keeps serving if loading the examples fails.
    const entry = { model: cached ? model.catch(() => cached.model) : model, version, at: Date.now() };
    this.models.set(key, entry);
    // A failed load is not cached: the next search tries again.
    model.catch(() => {
      if (this.models.get(key) === entry) this.models.delete(key);
    });
    return entry.model;
  }

  private async embeddingList(scope: SearchScope, text: string): Promise<string[] | null> {
    if (!this.embedder) return null;
    try {
      const stored = await this.store.embeddings(this.db, scope);
      if (!stored.length) return null;
      const [q] = await this.embedder.embed([text]);
      if (!q) return null;
      return stored.map((s) => ({ key: keyOf(s), sim: cosine(q, s.embedding) }))
        .sort((a, b) => b.sim - a.sim).slice(0, this.opts.depth).map((s) => s.key);
    } catch {
      // The embeddings endpoint is an optional signal: when it is down, search goes on without it.
      return null;
    }
  }
}
