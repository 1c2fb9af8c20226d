import type { Pool } from 'pg';
import type { CallLog, CallRecord } from './context';
import { quoteIdent } from './pg-store';

/**
 * Every request a vendor mount served (and every webhook the sandbox sent), in PostgreSQL so tests and
 * other processes can read it. Inserts run in the background of the response; `list()` first waits for
 * the ones still in flight, so a test that reads right after a response sees that response.
 */
export class PgCallLog implements CallLog {
  private readonly s: string;
  private readonly pending = new Set<Promise<unknown>>();
  /** Inserts run one after another so `seq` follows the order in which responses finished. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly pool: Pool, schema: string) {
    this.s = quoteIdent(schema);
  }

  record(entry: Omit<CallRecord, 'seq' | 'at'>): Promise<void> {
    const at = new Date().toISOString();
    const p = this.chain
      .then(() => this.pool.query(`INSERT INTO ${this.s}.calls (at, vendor, method, path, status, body, principal) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`, [
        at, entry.vendor, entry.method, entry.path, entry.status, entry.body === undefined ? null : JSON.stringify(entry.body), entry.principal,
      ]))
      .then(() => undefined)
      .catch(() => undefined); // the log must never break the request it describes
    this.chain = p;
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  async settle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
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
