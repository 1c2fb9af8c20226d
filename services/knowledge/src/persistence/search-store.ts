import { RunbookCategory } from '@desk/contracts';
import { assertSchemaName, Sql } from './db';

export interface SearchScope {
  clientIdentifier: string | null;
  category: RunbookCategory | null;
}

export interface RankedRow {
  scopeKey: string;
  docId: string;
  score?: number;
}

export interface ScoredRow extends RankedRow {
  category: string | null;
  fts: number;
  title: number;
  /** Full-text score of the ticket's first (summary) line alone; 0 when not asked for. */
  head: number;
}

export interface HitRow {
  scope_key: string;
  doc_id: string;
  title: string;
  scope: 'client' | 'global';
  category: RunbookCategory | null;
  snippet: string;
}

/**
 * (Used as a MATERIALIZED CTE: the client filter must run first. Left to itself the planner may answer an
 * OR query of common words from the GIN index over every client's documents, which is far slower.)
 * The candidate set of every search: the client's own documents plus the MSP-wide ones its documents do not
 * replace (the resolution rule applied to search), optionally one category. Parameters: $1 client, $2 category.
 */
function candidates(s: string): string {
  return `SELECT d.* FROM ${s}.document d
     WHERE ((d.scope = 'client' AND d.client_key = lower($1::text)) OR d.scope = 'global')
       AND ($2::text IS NULL OR d.category = $2::text)
       AND NOT (d.scope = 'global' AND d.category IS NOT NULL AND EXISTS (
             SELECT 1 FROM ${s}.document c
              WHERE c.scope = 'client' AND c.client_key = lower($1::text) AND c.category = d.category))`;
}

const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}-]*/gu;

/** Words of a ticket worth correcting: long enough for trigrams to mean something. */
export function queryWords(text: string, max = 64): string[] {
  const words = (text.toLowerCase().match(TOKEN) ?? []).filter((w) => w.length >= 4 && w.length <= 30 && !/^\d+$/.test(w));
  return [...new Set(words)].slice(0, max);
}

export interface RankTuning {
  /** ts_rank_cd weights for D, C (body), B (headings), A (title + category terms). */
  weights: [number, number, number, number];
  /** ts_rank_cd normalisation bit mask (1 = divide by 1 + log(length)). */
  normalization: number;
}

// Body words weigh little: procedures cross-reference other categories ("unlock is a separate runbook").
export const DEFAULT_TUNING: RankTuning = { weights: [0.01, 0.05, 0.3, 1.0], normalization: 1 };

export class SearchStore {
  private readonly s: string;

  constructor(schema: string, private readonly tuning: RankTuning = DEFAULT_TUNING) {
    this.s = `"${assertSchemaName(schema)}"`;
  }

  /** Ticket words unknown to the client's (and the global) vocabulary, replaced by their nearest known word. */
  async corrections(sql: Sql, clientIdentifier: string | null, words: string[], minSimilarity = 0.45): Promise<string[]> {
    if (!words.length) return [];
    // Only words that are neither stop words nor already known are looked up by similarity (the costly part).
    const rows = await sql.query<{ word: string }>(
      `WITH unknown AS MATERIALIZED (
         SELECT w FROM unnest($2::text[]) AS w
          WHERE length(to_tsvector('english', w)) > 0
            AND NOT EXISTS (SELECT 1 FROM ${this.s}.lexicon x WHERE x.client_key IN (coalesce(lower($1::text), ''), '') AND x.word = w)
          LIMIT 12
       )
       SELECT DISTINCT ON (u.w) l.word
         FROM unknown u
         JOIN ${this.s}.lexicon l ON l.word OPERATOR(public.%) u.w
        WHERE l.client_key IN (coalesce(lower($1::text), ''), '') AND public.similarity(l.word, u.w) >= $3
        ORDER BY u.w, public.similarity(l.word, u.w) DESC, l.word`,
      [clientIdentifier, words, minSimilarity]);
    return rows.map((r) => r.word);
  }

  /**
   * Full-text scores of every candidate in one pass: any ticket word may match (OR), weighted
   * title/headings/body, cover density (`fts`), and the same on the title-weight lexemes alone, i.e. title +
   * category vocabulary (`title`: what the page is about), and optionally the same full-text score for the
   * ticket's summary line alone (`head`), all in one pass over the candidates. Candidates are one client's documents plus the
   * global ones, so returning all of them (with their category, for the category vote) stays small.
   */
  async rank(sql: Sql, scope: SearchScope, text: string, extraWords: string[], headText: string | null = null): Promise<ScoredRow[]> {
    const rows = await sql.query<{ scope_key: string; doc_id: string; category: string | null; fts: number; title: number; head: number }>(
      `WITH q AS (
         SELECT to_tsquery('simple', coalesce((
           SELECT string_agg(DISTINCT quote_literal(lexeme), ' | ')
             FROM unnest(to_tsvector('english', $3::text || ' ' || array_to_string($4::text[], ' ')))), '')) AS tsq,
                to_tsquery('simple', coalesce((
           SELECT string_agg(DISTINCT quote_literal(lexeme), ' | ')
             FROM unnest(to_tsvector('english', coalesce($7::text, '') || ' ' || CASE WHEN $7::text IS NULL THEN '' ELSE array_to_string($4::text[], ' ') END))), '')) AS hq
       ),
       cand AS MATERIALIZED (${candidates(this.s)}),
       v AS (SELECT cand.scope_key, cand.doc_id, cand.category, cand.tsv, ts_filter(cand.tsv, '{a}') AS head FROM cand)
       SELECT v.scope_key, v.doc_id, v.category,
              CASE WHEN v.tsv @@ q.tsq THEN ts_rank_cd($5::float4[], v.tsv, q.tsq, $6::int) ELSE 0 END::float8 AS fts,
              CASE WHEN v.head @@ q.tsq THEN ts_rank_cd($5::float4[], v.head, q.tsq, $6::int) ELSE 0 END::float8 AS title,
              CASE WHEN v.tsv @@ q.hq THEN ts_rank_cd($5::float4[], v.tsv, q.hq, $6::int) ELSE 0 END::float8 AS head
         FROM v, q`,
      [scope.clientIdentifier, scope.category, text, extraWords, this.tuning.weights, this.tuning.normalization, headText]);
    return rows.map((r) => ({ scopeKey: r.scope_key, docId: r.doc_id, category: r.category, fts: Number(r.fts), title: Number(r.title), head: Number(r.head) }));
  }

  /** Trigram ranking: how well the title and headings appear in the ticket, tolerant of misspellings. */
  async trigram(sql: Sql, scope: SearchScope, text: string, limit: number): Promise<RankedRow[]> {
    const rows = await sql.query<{ scope_key: string; doc_id: string; score: number }>(
      `SELECT cand.scope_key, cand.doc_id,
              greatest(public.word_similarity(cand.title, $3::text), 0.8 * public.word_similarity(cand.headings, $3::text))::float8 AS score
         FROM (${candidates(this.s)}) cand
        ORDER BY score DESC, cand.doc_id
        LIMIT $4`,
      [scope.clientIdentifier, scope.category, text.slice(0, 2000), limit]);
    return rows.filter((r) => Number(r.score) > 0.1).map((r) => ({ scopeKey: r.scope_key, docId: r.doc_id, score: Number(r.score) }));
  }

  /** Stored embeddings of the candidate set (only when embeddings are configured). */
  async embeddings(sql: Sql, scope: SearchScope): Promise<Array<{ scopeKey: string; docId: string; embedding: number[] }>> {
    const rows = await sql.query<{ scope_key: string; doc_id: string; embedding: number[] }>(
      `SELECT cand.scope_key, cand.doc_id, cand.embedding FROM (${candidates(this.s)}) cand WHERE cand.embedding IS NOT NULL`,
      [scope.clientIdentifier, scope.category]);
    return rows.map((r) => ({ scopeKey: r.scope_key, docId: r.doc_id, embedding: r.embedding.map(Number) }));
  }

  /** Plain ILIKE baseline (for the evaluation): documents ranked by how many ticket words they contain. */
  async ilikeBaseline(sql: Sql, scope: SearchScope, text: string, limit: number): Promise<RankedRow[]> {
    const words = queryWords(text, 32);
    if (!words.length) return [];
    const rows = await sql.query<{ scope_key: string; doc_id: string; score: number }>(
      `SELECT cand.scope_key, cand.doc_id,
              (SELECT count(*) FROM unnest($3::text[]) w WHERE cand.title ILIKE '%' || w || '%' OR cand.body ILIKE '%' || w || '%')::float8 AS score
         FROM (${candidates(this.s)}) cand
        ORDER BY score DESC, cand.doc_id
        LIMIT $4`,
      [scope.clientIdentifier, scope.category, words, limit]);
    return rows.filter((r) => Number(r.score) > 0).map((r) => ({ scopeKey: r.scope_key, docId: r.doc_id, score: Number(r.score) }));
  }

  /** The hits to return, re-checked against the client filter (defence in depth for tenant isolation). */
  async hits(sql: Sql, clientIdentifier: string | null, keys: Array<{ scopeKey: string; docId: string }>): Promise<HitRow[]> {
    if (!keys.length) return [];
    return sql.query<HitRow>(
      `SELECT d.scope_key, d.doc_id, d.title, d.scope, d.category,
              left(coalesce(nullif(d.sections->>'appliesTo', ''), d.body), 280) AS snippet
         FROM ${this.s}.document d
         JOIN unnest($2::text[], $3::text[]) AS k(scope_key, doc_id) ON k.scope_key = d.scope_key AND k.doc_id = d.doc_id
        WHERE (d.scope = 'client' AND d.client_key = lower($1::text)) OR d.scope = 'global'`,
      [clientIdentifier, keys.map((k) => k.scopeKey), keys.map((k) => k.docId)]);
  }
}
