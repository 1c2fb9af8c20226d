import { assertSchemaName, Sql } from './db';
import { SyncReport } from '../app/ports';

export interface SyncState {
  scopeKey: string;
  clientIdentifier: string | null;
  system: string;
  cursor: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  documentCount: number;
}

interface StateRow {
  scope_key: string;
  client_identifier: string | null;
  system: string;
  cursor: string | null;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  consecutive_failures: number;
  document_count: number;
}

export class SyncStore {
  private readonly s: string;

  constructor(schema: string) {
    this.s = `"${assertSchemaName(schema)}"`;
  }

  async get(sql: Sql, scopeKey: string): Promise<SyncState | null> {
    const [r] = await sql.query<StateRow>(`SELECT * FROM ${this.s}.sync_state WHERE scope_key = $1`, [scopeKey]);
    return r ? toState(r) : null;
  }

  async all(sql: Sql): Promise<SyncState[]> {
    return (await sql.query<StateRow>(`SELECT * FROM ${this.s}.sync_state ORDER BY scope_key`)).map(toState);
  }

  /** Serialises writers of one scope across replicas for the rest of the transaction. */
  async lockScope(sql: Sql, scopeKey: string): Promise<void> {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${this.s}.sync:${scopeKey}`]);
  }

  async success(sql: Sql, r: SyncReport, cursor: string | null, startedAt: Date): Promise<void> {
    await sql.query(
      `INSERT INTO ${this.s}.sync_state (scope_key, client_identifier, system, cursor, last_attempt_at, last_success_at, last_error, consecutive_failures, document_count)
       VALUES ($1, $2, $3, $4, $5, now(), NULL, 0, $6)
       ON CONFLICT (scope_key) DO UPDATE SET client_identifier = EXCLUDED.client_identifier, system = EXCLUDED.system,
         cursor = EXCLUDED.cursor, last_attempt_at = EXCLUDED.last_attempt_at, last_success_at = now(), last_error = NULL,
         consecutive_failures = 0, document_count = EXCLUDED.document_count`,
      [r.scopeKey, r.clientIdentifier, r.system, cursor, startedAt, r.documentCount]);
    await this.run(sql, r, startedAt);
  }

  async failure(sql: Sql, r: SyncReport, startedAt: Date): Promise<void> {
    await sql.query(
      `INSERT INTO ${this.s}.sync_state (scope_key, client_identifier, system, last_attempt_at, last_error, consecutive_failures)
       VALUES ($1, $2, $3, $4, $5, 1)
       ON CONFLICT (scope_key) DO UPDATE SET last_attempt_at = EXCLUDED.last_attempt_at, last_error = EXCLUDED.last_error,
         consecutive_failures = ${this.s}.sync_state.consecutive_failures + 1`,
      [r.scopeKey, r.clientIdentifier, r.system, startedAt, r.error]);
    await this.run(sql, r, startedAt);
  }

  async recentRuns(sql: Sql, limit = 50): Promise<Array<Record<string, unknown>>> {
    return sql.query(`SELECT * FROM ${this.s}.sync_run ORDER BY id DESC LIMIT $1`, [limit]);
  }

  private async run(sql: Sql, r: SyncReport, startedAt: Date): Promise<void> {
    await sql.query(
      `INSERT INTO ${this.s}.sync_run (scope_key, mode, started_at, finished_at, ok, error, fetched, upserted, unchanged, deleted, rejected)
       VALUES ($1, $2, $3, now(), $4, $5, $6, $7, $8, $9, $10)`,
      [r.scopeKey, r.mode, startedAt, r.ok, r.error, r.fetched, r.upserted, r.unchanged, r.deleted, JSON.stringify(r.rejected)]);
  }
}

function toState(r: StateRow): SyncState {
  return {
    scopeKey: r.scope_key, clientIdentifier: r.client_identifier, system: r.system, cursor: r.cursor,
    lastAttemptAt: r.last_attempt_at?.toISOString() ?? null, lastSuccessAt: r.last_success_at?.toISOString() ?? null,
    lastError: r.last_error, consecutiveFailures: r.consecutive_failures, documentCount: r.document_count,
  };
}
