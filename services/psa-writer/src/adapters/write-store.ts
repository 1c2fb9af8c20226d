import type { EntityManager } from 'typeorm';
import type { PsaSystem } from '@desk/contracts';
import type { PlannedWrite, WriteOp } from '../domain/write-plan';
import { stableUuid } from '../domain/stable-uuid';

export interface WriteRow {
  id: string;
  idempotencyKey: string;
  lane: string;
  ticketId: string;
  eventId: string;
  clientIdentifier: string | null;
  psaSystem: PsaSystem | null;
  op: WriteOp;
  receivedAt: string | null;
  attempts: number;
}

export interface TicketMapRow { ticketId: string; clientIdentifier: string | null; system: PsaSystem; psaTicketId: string; psaNumber: string | null }

interface WriteDb {
  id: string; idempotency_key: string; lane: string; ticket_id: string; event_id: string; client_identifier: string | null;
  psa_system: PsaSystem | null; kind: string; payload: WriteOp; received_at: Date | null; attempts: number;
}

/** psa-writer's SQL on the caller's EntityManager (tables resolve through the service schema's search_path). */
export const WriteStore = {
  /** Queues the writes of one event; a redelivered event queues nothing new (idempotency_key is unique). */
  async enqueue(tx: EntityManager, evt: { eventId: string; ticketId: string }, client: string | null, system: PsaSystem | null, receivedAt: string | null, writes: PlannedWrite[]): Promise<number> {
    let n = 0;
    for (const w of writes) {
      const rows: unknown[] = await tx.query(
        `INSERT INTO psa_write (idempotency_key, lane, ticket_id, event_id, client_identifier, psa_system, kind, payload, sort_at, op_index, received_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
        [w.key, w.lane, evt.ticketId, evt.eventId, client, system, w.op.kind, JSON.stringify(w.op), w.sortAt, w.opIndex, receivedAt]);
      n += rows.length;
    }
    return n;
  },

  async upsertMap(tx: EntityManager, m: TicketMapRow, createdByDesk: boolean): Promise<void> {
    await tx.query(
      `INSERT INTO ticket_map (ticket_id, client_identifier, system, psa_ticket_id, psa_number, created_by_desk) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (ticket_id) DO UPDATE SET client_identifier = COALESCE(EXCLUDED.client_identifier, ticket_map.client_identifier),
         psa_number = COALESCE(EXCLUDED.psa_number, ticket_map.psa_number)`,
      [m.ticketId, m.clientIdentifier, m.system, m.psaTicketId, m.psaNumber, createdByDesk]);
  },

  /**
   * Records a child ticket the desk opened under a desk ticket (keyed by a uuid of its write, so a retry
   * records it once). intake reads created_by_desk to ignore the PSA's "added" callback for it. A PSA ticket
   * already mapped (e.g. taken in as a request before this write's bookkeeping) keeps its row.
   */
  async recordChild(tx: EntityManager, parentTicketId: string, writeKey: string, c: { clientIdentifier: string; system: PsaSystem; id: string; number: string | null }): Promise<void> {
    await tx.query(
      `INSERT INTO ticket_map (ticket_id, client_identifier, system, psa_ticket_id, psa_number, created_by_desk, parent_ticket_id) VALUES ($1,$2,$3,$4,$5,true,$6)
       ON CONFLICT DO NOTHING`,
      [stableUuid(`child:${writeKey}`), c.clientIdentifier, c.system, c.id, c.number, parentTicketId]);
  },

  async map(tx: Pick<EntityManager, 'query'>, ticketId: string): Promise<TicketMapRow | null> {
    const rows: Array<{ ticket_id: string; client_identifier: string | null; system: PsaSystem; psa_ticket_id: string; psa_number: string | null }> =
      await tx.query(`SELECT * FROM ticket_map WHERE ticket_id = $1`, [ticketId]);
    const r = rows[0];
    return r ? { ticketId: r.ticket_id, clientIdentifier: r.client_identifier, system: r.system, psaTicketId: r.psa_ticket_id, psaNumber: r.psa_number } : null;
  },

  /**
   * Heads of lanes that are due: per lane only the first pending write (a pending create first), so a
   * write never overtakes an earlier one of the same ticket, and a failing lane blocks only itself.
   * Across lanes a ticket's first response goes first (then oldest first): when the PSA is the bottleneck,
   * a new ticket's requester hears from the desk before older tickets' follow-up notes are written.
   */
  async dueHeads(q: Pick<EntityManager, 'query'>, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await q.query(
      `SELECT id FROM (
         SELECT DISTINCT ON (lane) id, next_attempt_at, lease_until, (kind = 'create_ticket' OR payload->>'firstResponse' = 'true') AS first
           FROM psa_write WHERE status = 'pending'
         ORDER BY lane, (kind = 'create_ticket') DESC, sort_at, op_index, id
       ) h WHERE h.next_attempt_at <= now() AND (h.lease_until IS NULL OR h.lease_until < now())
       ORDER BY h.first DESC, h.next_attempt_at LIMIT $1`, [limit]);
    return rows.map((r) => r.id);
  },

  /** Takes a lease on one write (another replica holding it = null). */
  async claim(q: Pick<EntityManager, 'query'>, id: string, leaseSeconds: number): Promise<WriteRow | null> {
    const res: [WriteDb[], number] | WriteDb[] = await q.query(
      `UPDATE psa_write SET lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
       WHERE id = $1 AND status = 'pending' AND (lease_until IS NULL OR lease_until < now()) RETURNING *`, [id, leaseSeconds]);
    const rows = (Array.isArray(res[0]) ? res[0] : res) as WriteDb[];
    const r = rows[0];
    if (!r) return null;
    return {
      id: String(r.id), idempotencyKey: r.idempotency_key, lane: r.lane, ticketId: r.ticket_id, eventId: r.event_id,
      clientIdentifier: r.client_identifier, psaSystem: r.psa_system, op: r.payload,
      receivedAt: r.received_at ? new Date(r.received_at).toISOString() : null, attempts: r.attempts,
    };
  },

  async done(q: Pick<EntityManager, 'query'>, id: string, result: unknown): Promise<void> {
    await q.query(`UPDATE psa_write SET status = 'done', done_at = now(), lease_until = NULL, last_error = NULL, result = $2 WHERE id = $1`, [id, JSON.stringify(result ?? null)]);
  },

  async retryLater(q: Pick<EntityManager, 'query'>, id: string, delayMs: number, error: string): Promise<void> {
    await q.query(`UPDATE psa_write SET lease_until = NULL, last_error = $2, next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1`, [id, error.slice(0, 1000), delayMs / 1000]);
  },

  async fail(q: Pick<EntityManager, 'query'>, id: string, error: string): Promise<void> {
    await q.query(`UPDATE psa_write SET status = 'failed', lease_until = NULL, last_error = $2, done_at = now() WHERE id = $1`, [id, error.slice(0, 1000)]);
  },
};
