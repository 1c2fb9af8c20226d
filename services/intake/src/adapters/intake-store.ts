import type { EntityManager } from 'typeorm';
import type { PsaLinkState } from '../domain/psa-follow-up';
import type { WaitingCode } from '../domain/code-reply';

/** The columns of one delivery as stored for audit. */
export interface DeliveryRow {
  id: string;
  channel: string;
  idempotencyKey: string;
  clientIdentifier: string | null;
  ticketId: string | null;
  outcome: 'received' | 'reply' | 'ignored' | 'pending_fetch' | 'storm';
  reason: string | null;
  contentType: string | null;
  headers: Record<string, string>;
  body: string;
}

export interface LinkRow {
  ticketId: string;
  clientIdentifier: string | null;
  channel: string;
  psaSystem: string | null;
  psaTicketId: string | null;
  psaNumber: string | null;
  lastStatus: string | null;
  seenNoteIds: string[];
}

interface LinkDb {
  ticket_id: string; client_identifier: string | null; channel: string; psa_system: string | null; psa_ticket_id: string | null;
  psa_number: string | null; last_status: string | null; seen_note_ids: string[];
}
const toLink = (r: LinkDb): LinkRow => ({
  ticketId: r.ticket_id, clientIdentifier: r.client_identifier, channel: r.channel, psaSystem: r.psa_system,
  psaTicketId: r.psa_ticket_id, psaNumber: r.psa_number, lastStatus: r.last_status, seenNoteIds: r.seen_note_ids ?? [],
});

/**
 * Intake's SQL, on the EntityManager of the caller's transaction (tables resolve through the service
 * schema's search_path). Kept as plain statements: every write here is an upsert or a conditional insert.
 */
export const IntakeStore = {
  /** Inserts the delivery unless (channel, key) exists; returns null for a duplicate. */
  async insertDelivery(tx: EntityManager, d: DeliveryRow): Promise<string | null> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO raw_delivery (id, channel, idempotency_key, client_identifier, ticket_id, outcome, reason, content_type, headers, body)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (channel, idempotency_key) DO NOTHING RETURNING id`,
      [d.id, d.channel, d.idempotencyKey, d.clientIdentifier, d.ticketId, d.outcome, d.reason, d.contentType, JSON.stringify(d.headers), d.body],
    );
    return rows[0]?.id ?? null;
  },

  async findDelivery(tx: EntityManager, channel: string, key: string): Promise<{ id: string; ticketId: string | null; outcome: string } | null> {
    const rows: Array<{ id: string; ticket_id: string | null; outcome: string }> = await tx.query(
      `SELECT id, ticket_id, outcome FROM raw_delivery WHERE channel = $1 AND idempotency_key = $2`, [channel, key]);
    const r = rows[0];
    return r ? { id: r.id, ticketId: r.ticket_id, outcome: r.outcome } : null;
  },

  async updateDeliveryOutcome(tx: EntityManager, id: string, outcome: DeliveryRow['outcome'], ticketId: string | null, reason: string | null): Promise<void> {
    await tx.query(`UPDATE raw_delivery SET outcome = $2, ticket_id = COALESCE($3, ticket_id), reason = $4 WHERE id = $1`, [id, outcome, ticketId, reason]);
  },

  async upsertLink(tx: EntityManager, l: LinkRow): Promise<void> {
    await tx.query(
      `INSERT INTO ticket_link (ticket_id, client_identifier, channel, psa_system, psa_ticket_id, psa_number, last_status, seen_note_ids)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
       ON CONFLICT (ticket_id) DO UPDATE SET
         client_identifier = COALESCE(EXCLUDED.client_identifier, ticket_link.client_identifier),
         psa_system = COALESCE(EXCLUDED.psa_system, ticket_link.psa_system),
         psa_ticket_id = COALESCE(EXCLUDED.psa_ticket_id, ticket_link.psa_ticket_id),
         psa_number = COALESCE(EXCLUDED.psa_number, ticket_link.psa_number)`,
      [l.ticketId, l.clientIdentifier, l.channel, l.psaSystem, l.psaTicketId, l.psaNumber, l.lastStatus, JSON.stringify(l.seenNoteIds)],
    );
  },

  async linkByTicket(tx: EntityManager, ticketId: string): Promise<LinkRow | null> {
    const rows: LinkDb[] = await tx.query(`SELECT * FROM ticket_link WHERE ticket_id = $1`, [ticketId]);
    return rows[0] ? toLink(rows[0]) : null;
  },

  /** Locks the row: follow-ups of one PSA ticket are decided one at a time. */
  async linkByPsa(tx: EntityManager, system: string, psaTicketId: string, lock = false): Promise<LinkRow | null> {
    const rows: LinkDb[] = await tx.query(
      `SELECT * FROM ticket_link WHERE psa_system = $1 AND psa_ticket_id = $2${lock ? ' FOR UPDATE' : ''}`, [system, psaTicketId]);
    return rows[0] ? toLink(rows[0]) : null;
  },

  /**
   * A ticket number is short and guessable, and every client's PSA counts from 1: it threads a message only
   * onto a ticket of the sender's own client(s). No known client, no threading by number.
   */
  async linkByPsaNumber(tx: EntityManager, numbers: string[], clientIdentifiers: string[]): Promise<LinkRow | null> {
    if (numbers.length === 0 || clientIdentifiers.length === 0) return null;
    const rows: LinkDb[] = await tx.query(
      `SELECT * FROM ticket_link WHERE (psa_number = ANY($1) OR psa_ticket_id = ANY($1)) AND client_identifier = ANY($2)
       ORDER BY created_at DESC LIMIT 1`, [numbers, clientIdentifiers]);
    return rows[0] ? toLink(rows[0]) : null;
  },

  async saveFollowUpState(tx: EntityManager, ticketId: string, s: Pick<PsaLinkState, 'lastStatus' | 'seenNoteIds'>): Promise<void> {
    await tx.query(`UPDATE ticket_link SET last_status = $2, seen_note_ids = $3 WHERE ticket_id = $1`, [ticketId, s.lastStatus, JSON.stringify(s.seenNoteIds)]);
  },

  async rememberMessageIds(tx: EntityManager, ticketId: string, messageIds: string[]): Promise<void> {
    for (const m of messageIds) {
      await tx.query(`INSERT INTO email_thread (message_id, ticket_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [m.toLowerCase(), ticketId]);
    }
  },

  async ticketForMessageIds(tx: EntityManager, messageIds: string[]): Promise<string | null> {
    if (messageIds.length === 0) return null;
    const rows: Array<{ ticket_id: string }> = await tx.query(
      `SELECT ticket_id FROM email_thread WHERE message_id = ANY($1) ORDER BY created_at DESC LIMIT 1`, [messageIds.map((m) => m.toLowerCase())]);
    return rows[0]?.ticket_id ?? null;
  },

  /**
   * Counts an alert into an open storm (same key, last seen within the window) or starts a new one.
   * Returns the storm's ticket and count; `isNew` when this alert opens a ticket.
   */
  async recordAlert(tx: EntityManager, key: string, candidateTicketId: string, windowSeconds: number): Promise<{ ticketId: string; count: number; isNew: boolean }> {
    const rows: Array<{ ticket_id: string; count: number; inserted: boolean }> = await tx.query(
      `INSERT INTO alert_storm AS s (storm_key, ticket_id, first_at, last_at, count) VALUES ($1, $2, now(), now(), 1)
       ON CONFLICT (storm_key) DO UPDATE SET
         ticket_id = CASE WHEN s.last_at < now() - make_interval(secs => $3) THEN EXCLUDED.ticket_id ELSE s.ticket_id END,
         first_at = CASE WHEN s.last_at < now() - make_interval(secs => $3) THEN now() ELSE s.first_at END,
         count = CASE WHEN s.last_at < now() - make_interval(secs => $3) THEN 1 ELSE s.count + 1 END,
         last_at = now()
       RETURNING ticket_id, count, (xmax = 0) AS inserted`,
      [key, candidateTicketId, windowSeconds],
    );
    const r = rows[0]!;
    return { ticketId: r.ticket_id, count: r.count, isNew: r.ticket_id === candidateTicketId };
  },

  async clientForApiKey(tx: EntityManager, keyHash: string): Promise<string | null> {
    const rows: Array<{ client_identifier: string }> = await tx.query(
      `SELECT client_identifier FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL`, [keyHash]);
    return rows[0]?.client_identifier ?? null;
  },

  async seedApiKey(tx: EntityManager, keyHash: string, clientIdentifier: string, label: string): Promise<void> {
    await tx.query(`INSERT INTO api_key (key_hash, client_identifier, label) VALUES ($1,$2,$3) ON CONFLICT (key_hash) DO NOTHING`, [keyHash, clientIdentifier, label]);
  },

  /** `delayMs` lets a just-created ticket's link arrive first (the desk's own tickets also call back). */
  async enqueueFetch(tx: EntityManager, j: { deliveryId: string; system: string; connectionClient: string; psaTicketId: string; action: string; actor: string | null; ticketNumber: string | null }, delayMs = 0): Promise<void> {
    await tx.query(
      `INSERT INTO psa_fetch_job (delivery_id, system, connection_client, psa_ticket_id, action, actor, ticket_number, next_attempt_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7, now() + make_interval(secs => $8))`,
      [j.deliveryId, j.system, j.connectionClient, j.psaTicketId, j.action, j.actor, j.ticketNumber, delayMs / 1000]);
  },

  /**
   * The desk tickets waiting for a one-time code sent to this phone (digits only), newest first, with the
   * code's salt and hash — read from the executor's case table (same database, read only): an SMS carries no
   * ticket reference, and the executor only acts on replies addressed to a ticket it holds. Which of them an
   * answer is for is decided by routeCodeReply; the executor still checks the number and the code itself.
   * Absent table (executor not deployed) = none.
   */
  async ticketsAwaitingCodeFrom(tx: EntityManager, executorSchema: string, phoneDigits: string): Promise<WaitingCode[]> {
    if (!phoneDigits) return [];
    await tx.query('SAVEPOINT desk_code_probe');
    try {
      const rows: Array<{ ticket_id: string; client_identifier: string; code_salt: string | null; code_hash: string | null }> = await tx.query(
        `SELECT ticket_id, client_identifier, code_salt, code_hash FROM "${executorSchema.replace(/"/g, '""')}".ticket_case
         WHERE stage = 'awaiting_verification' AND code_sent_to_phone = $1 ORDER BY updated_at DESC LIMIT 20`, [phoneDigits]);
      await tx.query('RELEASE SAVEPOINT desk_code_probe');
      return rows.map((r) => ({ ticketId: r.ticket_id, clientIdentifier: r.client_identifier, salt: r.code_salt, hash: r.code_hash }));
    } catch {
      await tx.query('ROLLBACK TO SAVEPOINT desk_code_probe');
      return [];
    }
  },
};
