import type { Pool } from 'pg';
import type { CallLog, CallRecord } from './context';
import { quoteIdent } from './pg-store';

interface Queued { row: Omit<CallRecord, 'seq'>; done: () => void }

/**
 * Every request a vendor mount served (and every webhook the sandbox sent), in PostgreSQL so tests and
 * other processes can read it. Inserts run in the background of the response, batched: what arrives
 * while one INSERT runs goes into the next, in order (so `seq` follows the order in which responses
 * finished), one round trip for many calls. `list()` first waits for the ones still queued, so a test that
 * reads right after a response sees that response.
 */
export class PgCallLog implements CallLog {
  private readonly s: string;
  private queue: Queued[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly pool: Pool, schema: string) {
    this.s = quoteIdent(schema);
  }

  record(entry: Omit<CallRecord, 'seq' | 'at'>): Promise<void> {
    const row = { ...entry, at: new Date().toISOString(), body: entry.body === undefined ? null : entry.body };
    return new Promise<void>((done) => {
      this.queue.push({ row, done });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 500);
      try {
        await this.pool.query(
          `INSERT INTO ${this.s}.calls (at, vendor, method, path, status, body, principal)
           SELECT at, vendor, method, path, status, body, principal
             FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (at timestamptz, vendor text, method text, path text, status int, body jsonb, principal text))
                  WITH ORDINALITY AS x(at, vendor, method, path, status, body, principal, n)
            ORDER BY n`,
          [JSON.stringify(batch.map((q) => q.row))],
        );
      } catch {
        // the log must never break the requests it describes
      }
      for (const q of batch) q.done();
    }
    this.flushing = null;
  }

  async settle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async list(filter: { vendor?: string; sinceSeq?: number; pathContains?: string; method?: string } = {}): Promise<CallRecord[]> {
    await this.settle();
    const args: unknown[] = [];
    const where: string[] = [];
    if (filter.vendor) { args.push(filter.vendor); where.push(`vendor = $${args.length}`); }
    if (filter.sinceSeq !== undefined && Number.isFinite(filter.sinceSeq)) { args.push(filter.sinceSeq); where.push(`seq > $${args.length}`); }
    if (filter.pathContains) { args.push(filter.pathContains); where.push(`strpos(path, $${args.length}) > 0`); }
    if (filter.method) { args.push(filter.method.toUpperCase()); where.push(`method = $${args.length}`); }
    const r = await this.pool.query(
      `SELECT seq, at, vendor, method, path, status, body, principal FROM ${this.s}.calls ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq`,
      args,
    );
    return r.rows.map((x) => ({
      seq: Number(x.seq), at: (x.at as Date).toISOString(), vendor: x.vendor, method: x.method, path: x.path,
      status: x.status, body: x.body ?? null, principal: x.principal ?? null,
    }));
  }

  /** Highest seq so far (0 when empty): tests take it before acting, then list `sinceSeq`. */
  async lastSeq(): Promise<number> {
    await this.settle();
    const r = await this.pool.query(`SELECT COALESCE(max(seq), 0) AS n FROM ${this.s}.calls`);
    return Number(r.rows[0].n);
  }
}
