import { assertSchemaName, Sql } from './db';

export interface Example {
  id: string;
  category: string;
  origin: string;
  text: string;
}

/** Labelled ticket texts and the nearest-neighbour category vote over them. */
export class ExampleStore {
  private readonly s: string;
  /** Bumped by every add in this process: models trained on the examples know when to retrain. */
  version = 0;

  constructor(schema: string) {
    this.s = `"${assertSchemaName(schema)}"`;
  }

  async add(sql: Sql, examples: Example[]): Promise<void> {
    this.version++;
    for (let i = 0; i < examples.length; i += 500) {
      const batch = examples.slice(i, i + 500);
      await sql.query(
        `INSERT INTO ${this.s}.example (id, category, origin, text)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT (id) DO UPDATE SET category = EXCLUDED.category, origin = EXCLUDED.origin, text = EXCLUDED.text, at = now()`,
        [batch.map((e) => e.id), batch.map((e) => e.category), batch.map((e) => e.origin), batch.map((e) => e.text.slice(0, 20000))]);
    }
  }

  /** Every example's label and text (the category model is trained in memory; texts are capped at 20 kB). */
  async all(sql: Sql): Promise<Array<{ id: string; category: string; text: string }>> {
    return sql.query(`SELECT id, category, text FROM ${this.s}.example ORDER BY id`);
  }

  async count(sql: Sql): Promise<number> {
    const [r] = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.s}.example`);
    return Number(r?.n ?? 0);
  }

  /**
   * Category scores from the k most similar examples (any ticket word may match, rarer words weigh more
   * through cover density). `exclude` leaves out example ids (cross-validation in the evaluation). With
   * `documents`, the categorised runbooks the client may see (its own and the MSP-wide ones) vote too, each by
   * what it says it is for: title, headings, "Applies to" and any "symptoms" line. The runbook's own words
   * count as labelled text before any ticket of that kind was ever triaged.
   */
  async vote(sql: Sql, text: string, k: number, exclude: string[] = [], documents: { clientIdentifier: string | null } | null = null): Promise<Map<string, number>> {
    const rows = await sql.query<{ category: string; score: number }>(
      `WITH q AS (
         SELECT to_tsquery('simple', coalesce((
           SELECT string_agg(DISTINCT quote_literal(lexeme), ' | ') FROM unnest(to_tsvector('english', $1::text))), '')) AS tsq
       ),
       labelled AS (
         SELECT e.id, e.category, e.tsv FROM ${this.s}.example e WHERE NOT (e.id = ANY($3::text[]))
         UNION ALL
         SELECT 'doc:' || d.scope_key || ':' || d.doc_id, d.category, d.vote_tsv
           FROM ${this.s}.document d
          WHERE $4::boolean AND d.category IS NOT NULL
            AND (d.scope = 'global' OR (d.scope = 'client' AND d.client_key = lower($5::text)))
       ),
       nn AS (
         SELECT l.category, ts_rank_cd(l.tsv, q.tsq, 1)::float8 AS r
           FROM labelled l, q
          WHERE l.tsv @@ q.tsq
          ORDER BY r DESC, l.id
          LIMIT $2
       )
       SELECT category, sum(r)::float8 AS score FROM nn GROUP BY category ORDER BY score DESC`,
      [text.slice(0, 4000), k, exclude, documents !== null, documents?.clientIdentifier ?? null]);
    return new Map(rows.map((r) => [r.category, Number(r.score)]));
  }
}
