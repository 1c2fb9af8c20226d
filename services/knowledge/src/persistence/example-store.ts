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
   * through cover density). `exclude` leaves out example ids (cross-validation in the evaluation).
   */
  async vote(sql: Sql, text: string, k: number, exclude: string[] = []): Promise<Map<string, number>> {
    const rows = await sql.query<{ category: string; score: number }>(
      `WITH q AS (
         SELECT to_tsquery('simple', coalesce((
           SELECT string_agg(DISTINCT quote_literal(lexeme), ' | ') FROM unnest(to_tsvector('english', $1::text))), '')) AS tsq
       ),
       nn AS (
         SELECT e.category, ts_rank_cd(e.tsv, q.tsq, 1)::float8 AS r
           FROM ${this.s}.example e, q
          WHERE e.tsv @@ q.tsq AND NOT (e.id = ANY($3::text[]))
          ORDER BY r DESC, e.id
          LIMIT $2
       )
       SELECT category, sum(r)::float8 AS score FROM nn GROUP BY category ORDER BY score DESC`,
      [text.slice(0, 4000), k, exclude]);
    return new Map(rows.map((r) => [r.category, Number(r.score)]));
  }
}
