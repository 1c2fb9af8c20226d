import { RunbookResolution } from '@desk/contracts';
import { assertSchemaName, Sql } from './db';

export interface LookupRecord {
  ticketId: string;
  clientIdentifier: string | null;
  category: string;
  resolution: RunbookResolution;
}

export interface TicketGapRow {
  client: string | null;
  category: string;
  kind: 'no_runbook' | 'unusable_runbook' | 'verification_failed';
  n: number;
  items: string[];
}

/** Per-ticket outcomes the gap report counts: lookups and verification failures. */
export class GapStore {
  private readonly s: string;

  constructor(schema: string) {
    this.s = `"${assertSchemaName(schema)}"`;
  }

  async recordLookup(sql: Sql, r: LookupRecord): Promise<void> {
    await sql.query(
      `INSERT INTO ${this.s}.lookup (ticket_id, client_identifier, category, usable, gaps, documents, at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (ticket_id) DO UPDATE SET client_identifier = EXCLUDED.client_identifier, category = EXCLUDED.category,
         usable = EXCLUDED.usable, gaps = EXCLUDED.gaps, documents = EXCLUDED.documents, at = now()`,
      [r.ticketId, r.clientIdentifier, r.category, r.resolution.usable, r.resolution.gaps, r.resolution.documents.map((d) => d.docId)]);
  }

  async recordVerificationFailure(sql: Sql, f: { ticketId: string; clientIdentifier: string | null; category: string | null; documents: string[]; reasons: string[] }): Promise<void> {
    await sql.query(
      `INSERT INTO ${this.s}.verification_failure (ticket_id, client_identifier, category, documents, reasons, at)
       SELECT $1, $2, coalesce($3, l.category), CASE WHEN cardinality($4::text[]) > 0 THEN $4::text[] ELSE coalesce(l.documents, '{}') END, $5, now()
         FROM (SELECT 1) one LEFT JOIN ${this.s}.lookup l ON l.ticket_id = $1
       ON CONFLICT (ticket_id) DO NOTHING`,
      [f.ticketId, f.clientIdentifier, f.category, f.documents, f.reasons]);
  }

  /** Ticket-level gaps per client × category (optionally one client). */
  async ticketGaps(sql: Sql, clientIdentifier?: string): Promise<TicketGapRow[]> {
    const where = clientIdentifier === undefined ? '' : 'WHERE lower(client_identifier) = lower($1::text)';
    const params = clientIdentifier === undefined ? [] : [clientIdentifier];
    return sql.query<TicketGapRow>(
      `SELECT client_identifier AS client, category, kind, count(*)::int AS n, (array_agg(ticket_id::text ORDER BY at DESC))[1:20] AS items
         FROM (
           SELECT client_identifier, category, CASE WHEN 'no_runbook' = ANY(gaps) THEN 'no_runbook' ELSE 'unusable_runbook' END AS kind, ticket_id, at
             FROM ${this.s}.lookup WHERE NOT usable AND category NOT IN ('hardware', 'other')
           UNION ALL
           SELECT client_identifier, coalesce(category, 'unknown'), 'verification_failed', ticket_id, at FROM ${this.s}.verification_failure
         ) t ${where}
        GROUP BY client_identifier, category, kind
        ORDER BY client_identifier NULLS FIRST, category, kind`,
      params);
  }
}
