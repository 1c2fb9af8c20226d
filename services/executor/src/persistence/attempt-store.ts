import { Pool } from 'pg';
import { AttemptRow, AttemptStore } from '../domain/runner';
import { RecentAction } from '../domain/plan-types';
import { ActionName } from '@desk/contracts';

interface Row {
  idempotency_key: string; status: AttemptRow['status']; tries: number; started_at: Date; vendor_ref: string | null; detail: string | null;
}

const toRow = (r: Row): AttemptRow => ({
  idempotencyKey: r.idempotency_key, status: r.status, tries: r.tries, startedAt: new Date(r.started_at).toISOString(),
  vendorRef: r.vendor_ref, detail: r.detail,
});

/**
 * Attempts are written outside the handler's transaction, on purpose: the row must be committed before
 * the vendor call, and must survive a rollback of the handler that made the call. They use a pool of
 * their own, so handlers that hold every connection of the main pool can never starve them.
 */
export class PgAttemptStore implements AttemptStore {
  private readonly ds: { query: (sql: string, params?: unknown[]) => Promise<unknown> };

  constructor(private readonly pool: Pool) {
    this.ds = { query: async (sql, params) => (await pool.query(sql, params)).rows };
  }

  static create(databaseUrl: string, schema: string, max = 4): PgAttemptStore {
    return new PgAttemptStore(new Pool({ connectionString: databaseUrl, max, options: `-c search_path="${schema.replace(/"/g, '')}",public`, application_name: 'executor-attempts' }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async get(key: string): Promise<AttemptRow | null> {
    const rows = (await this.ds.query('SELECT * FROM action_attempt WHERE idempotency_key = $1', [key])) as Row[];
    return rows[0] ? toRow(rows[0]) : null;
  }

  async begin(key: string, meta: { ticketId: string; clientIdentifier: string; action: string; target: string }): Promise<AttemptRow | null> {
    const rows = (await this.ds.query(
      `INSERT INTO action_attempt (idempotency_key, ticket_id, client_identifier, action, target, status)
       VALUES ($1, $2, $3, $4, $5, 'started')
       ON CONFLICT (idempotency_key) DO UPDATE SET status = 'started', tries = action_attempt.tries + 1, started_at = now(), finished_at = NULL
         WHERE action_attempt.status = 'released'
       RETURNING *`,
      [key, meta.ticketId, meta.clientIdentifier, meta.action, meta.target],
    )) as Row[];
    return rows[0] ? toRow(rows[0]) : null;
  }

  async finish(key: string, status: 'succeeded' | 'failed' | 'released', vendorRef: string | null, detail: string): Promise<void> {
    await this.ds.query(
      'UPDATE action_attempt SET status = $2, vendor_ref = COALESCE($3, vendor_ref), detail = $4, finished_at = now() WHERE idempotency_key = $1',
      [key, status, vendorRef, detail],
    );
  }

  async noteVendorRef(key: string, vendorRef: string): Promise<void> {
    await this.ds.query('UPDATE action_attempt SET vendor_ref = $2 WHERE idempotency_key = $1', [key, vendorRef]);
  }

  /** What ran for this client in the last day (restart loops, repeated unlocks). */
  async recent(clientIdentifier: string, sinceMs = 24 * 3600 * 1000): Promise<RecentAction[]> {
    const rows = (await this.ds.query(
      `SELECT action, target, started_at FROM action_attempt WHERE client_identifier = $1 AND status = 'succeeded' AND started_at > now() - ($2::text || ' milliseconds')::interval`,
      [clientIdentifier, String(sinceMs)],
    )) as Array<{ action: ActionName; target: string; started_at: Date }>;
    return rows.map((r) => ({ action: r.action, target: r.target, at: new Date(r.started_at).toISOString() }));
  }
}
