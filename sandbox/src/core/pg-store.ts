import type { Pool } from 'pg';
import type { SandboxStore } from './context';
import type { SeedRow } from './seed';

/** Quotes a schema name for SQL (schema names come from configuration, never from requests). */
export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid schema name: ${name}`);
  return `"${name}"`;
}

const numOf = (id: string): number | null => (/^\d{1,15}$/.test(id) ? Number(id) : null);

/** Fields that point a record at its ticket (ConnectWise / Halo / Autotask spellings, CW time entries). */
const PARENT_KEYS = ['ticketId', 'ticket_id', 'ticketID', 'chargeToId'] as const;

/**
 * Generic JSONB documents per (kind, id), scoped by client. The seed is kept in `seed_docs`, so a reset
 * is two statements inside PostgreSQL (delete + insert-select) and never re-sends the world over the wire.
 * Tables are UNLOGGED: the sandbox's state is disposable and writes stay cheap.
 */
export class PgStore implements SandboxStore {
  private readonly s: string;
  private readonly kept = new Set<string>();
  /** Whole-kind lists served from memory (see wholeKind), and what invalidates them. */
  private readonly lists = new Map<string, unknown[]>();
  private readonly versions = new Map<string, number>();
  private epoch = 0;

  constructor(private readonly pool: Pool, schema: string) {
    this.s = quoteIdent(schema);
  }

  /** Creates the schema and tables and (re)writes the seed copy; then resets the live state to it. */
  async init(rows: SeedRow[]): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      // Several sandboxes (tests) may start at once against one database; serialise DDL per schema.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.s]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.s}`);
      for (const t of ['docs', 'seed_docs']) {
        await c.query(`CREATE UNLOGGED TABLE IF NOT EXISTS ${this.s}.${t} (
          kind text NOT NULL, id text NOT NULL, client text, num numeric, doc jsonb NOT NULL, PRIMARY KEY (kind, id))`);
      }
      await c.query(`CREATE INDEX IF NOT EXISTS docs_kind_client ON ${this.s}.docs (kind, client)`);
      // New ids start from the largest stored number, and a ticket's notes / actions / time entries are read
      // on almost every call: without these both scan every record of the kind (a vendor indexes them too).
      await c.query(`CREATE INDEX IF NOT EXISTS docs_kind_num ON ${this.s}.docs (kind, num)`);
      for (const key of PARENT_KEYS) {
        await c.query(`CREATE INDEX IF NOT EXISTS "docs_${key}" ON ${this.s}.docs (kind, (doc->>'${key}')) WHERE doc ? '${key}'`);
      }
      await c.query(`CREATE UNLOGGED TABLE IF NOT EXISTS ${this.s}.seqs (kind text PRIMARY KEY, value bigint NOT NULL)`);
      await c.query(`CREATE UNLOGGED TABLE IF NOT EXISTS ${this.s}.calls (
        seq bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), vendor text NOT NULL, method text NOT NULL,
        path text NOT NULL, status int NOT NULL, body jsonb, principal text)`);
      await c.query(`CREATE UNLOGGED TABLE IF NOT EXISTS ${this.s}.outbox (
        seq bigserial PRIMARY KEY, id text UNIQUE NOT NULL, at timestamptz NOT NULL DEFAULT now(), channel text NOT NULL,
        provider text NOT NULL, "to" text NOT NULL, "from" text, subject text, body text NOT NULL, status text NOT NULL, principal text)`);
      await c.query(`TRUNCATE ${this.s}.seed_docs`);
      await c.query(
        `INSERT INTO ${this.s}.seed_docs (kind, id, client, num, doc)
         SELECT kind, id, client, num, doc FROM jsonb_to_recordset($1::jsonb) AS x(kind text, id text, client text, num numeric, doc jsonb)`,
        [JSON.stringify(rows.map((r) => ({ ...r, num: numOf(r.id) })))],
      );
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
    await this.reset();
  }

  /**
   * Marks a kind as configuration that survives `reset()` (e.g. webhook registrations a desk service made
   * at start-up: a real vendor would not forget them between two tests). `reset({ everything: true })` drops them too.
   */
  keepOnReset(kind: string): void {
    this.kept.add(kind);
  }

  async get<T>(kind: string, id: string): Promise<T | null> {
    const r = await this.pool.query(`SELECT doc FROM ${this.s}.docs WHERE kind = $1 AND id = $2`, [kind, id]);
    return r.rowCount ? (r.rows[0].doc as T) : null;
  }

  private filter(kind: string, opts: { client?: string | null; where?: Record<string, unknown> }): { sql: string; args: unknown[] } {
    const args: unknown[] = [kind];
    let sql = 'kind = $1';
    if (opts.client !== undefined && opts.client !== null) {
      args.push(opts.client);
      sql += ` AND client = $${args.length}`;
    }
    if (opts.where && Object.keys(opts.where).length) {
      // JSONB containment: equality for scalars; for arrays it means "contains these elements".
      args.push(JSON.stringify(opts.where));
      sql += ` AND doc @> $${args.length}::jsonb`;
      // The same test on a parent key, in the form its index serves (containment alone scans the kind).
      for (const key of PARENT_KEYS) {
        const v = opts.where[key];
        if (typeof v !== 'number' && typeof v !== 'string') continue;
        args.push(String(v));
        sql += ` AND doc ? '${key}' AND doc->>'${key}' = $${args.length}`;
      }
    }
    return { sql, args };
  }

  async list<T>(kind: string, opts: { client?: string | null; where?: Record<string, unknown>; limit?: number; offset?: number } = {}): Promise<T[]> {
    const whole = (opts.client === undefined || opts.client === null) && !(opts.where && Object.keys(opts.where).length) && opts.limit === undefined && opts.offset === undefined;
    if (whole) return this.wholeKind<T>(kind);
    const { sql, args } = this.filter(kind, opts);
    let q = `SELECT doc FROM ${this.s}.docs WHERE ${sql} ORDER BY num NULLS LAST, id`;
    if (opts.limit !== undefined) q += ` LIMIT ${Math.max(0, Math.floor(opts.limit))}`;
    if (opts.offset !== undefined) q += ` OFFSET ${Math.max(0, Math.floor(opts.offset))}`;
    const r = await this.pool.query(q, args);
    return r.rows.map((x) => x.doc as T);
  }

  /**
   * Every record of a kind, served from memory until the kind is written. Reference data (companies, boards,
   * priorities, members, callbacks) is listed on nearly every vendor call and hardly ever written; this
   * process is the only writer of its schema, so invalidating on its own writes keeps the copy exact. A list
   * that raced a write is not kept (the kind's version moved), and callers get copies, never the cached docs.
   */
  private async wholeKind<T>(kind: string): Promise<T[]> {
    const hit = this.lists.get(kind);
    if (hit) return structuredClone(hit) as T[];
    const before = this.stamp(kind);
    const r = await this.pool.query(`SELECT doc FROM ${this.s}.docs WHERE kind = $1 ORDER BY num NULLS LAST, id`, [kind]);
    const docs = r.rows.map((x) => x.doc as unknown);
    if (this.stamp(kind) === before) this.lists.set(kind, docs);
    return structuredClone(docs) as T[];
  }

  private stamp(kind: string): string {
    return `${this.epoch}/${this.versions.get(kind) ?? 0}`;
  }

  /**
   * Runs a write of `kind` (null = every kind) between two invalidations: a list read while the write was
   * in flight is never kept.
   */
  private async writing<R>(kind: string | null, write: () => Promise<R>): Promise<R> {
    this.written(kind);
    try {
      return await write();
    } finally {
      this.written(kind);
    }
  }

  private written(kind: string | null): void {
    if (kind === null) {
      this.epoch++;
      this.lists.clear();
      return;
    }
    this.versions.set(kind, (this.versions.get(kind) ?? 0) + 1);
    this.lists.delete(kind);
  }

  async count(kind: string, opts: { client?: string | null; where?: Record<string, unknown> } = {}): Promise<number> {
    const { sql, args } = this.filter(kind, opts);
    const r = await this.pool.query(`SELECT count(*)::int AS n FROM ${this.s}.docs WHERE ${sql}`, args);
    return r.rows[0].n as number;
  }

  async put<T>(kind: string, id: string, doc: T, client: string | null = null): Promise<T> {
    await this.writing(kind, () => this.pool.query(
      `INSERT INTO ${this.s}.docs (kind, id, client, num, doc) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (kind, id) DO UPDATE SET client = EXCLUDED.client, doc = EXCLUDED.doc`,
      [kind, id, client, numOf(id), JSON.stringify(doc)],
    ));
    return doc;
  }

  async patch<T>(kind: string, id: string, patch: Partial<T>): Promise<T | null> {
    const r = await this.writing(kind, () => this.pool.query(
      `UPDATE ${this.s}.docs SET doc = doc || $3::jsonb WHERE kind = $1 AND id = $2 RETURNING doc`,
      [kind, id, JSON.stringify(patch)],
    ));
    return r.rowCount ? (r.rows[0].doc as T) : null;
  }

  async delete(kind: string, id: string): Promise<boolean> {
    const r = await this.writing(kind, () => this.pool.query(`DELETE FROM ${this.s}.docs WHERE kind = $1 AND id = $2`, [kind, id]));
    return (r.rowCount ?? 0) > 0;
  }

  async nextId(kind: string): Promise<number> {
    // First use starts after the largest numeric id already stored for the kind (seeded records).
    const r = await this.pool.query(
      `INSERT INTO ${this.s}.seqs (kind, value)
       VALUES ($1, COALESCE((SELECT max(num) FROM ${this.s}.docs WHERE kind = $1), 0) + 1)
       ON CONFLICT (kind) DO UPDATE SET value = ${this.s}.seqs.value + 1 RETURNING value`,
      [kind],
    );
    return Number(r.rows[0].value);
  }

  async reset(opts: { everything?: boolean } = {}): Promise<void> {
    const kept = opts.everything ? [] : [...this.kept];
    // One round trip: a multi-statement simple query runs as one implicit transaction.
    const keptList = kept.map((k) => `'${k.replace(/'/g, "''")}'`).join(',');
    const keep = keptList ? `WHERE kind NOT IN (${keptList})` : '';
    await this.writing(null, () => this.pool.query(
      `DELETE FROM ${this.s}.docs ${keep};
       DELETE FROM ${this.s}.seqs ${keep};
       INSERT INTO ${this.s}.docs SELECT * FROM ${this.s}.seed_docs ${keep} ON CONFLICT (kind, id) DO NOTHING;
       TRUNCATE ${this.s}.calls, ${this.s}.outbox;`,
    ));
  }

  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.s} CASCADE`);
  }
}
