import type { EntityManager } from 'typeorm';
import type { CaseContext } from '../../persistence/case-repository';
import type { ConversationState } from '../domain/conversation';

export interface StoredConversation {
  state: ConversationState;
  clientIdentifier: string;
  correlationId: string;
  context: CaseContext;
  createdAt: string;
}

interface Row { ticket_id: string; client_identifier: string; correlation_id: string; state: ConversationState; context: CaseContext; created_at: Date }

const toStored = (r: Row): StoredConversation => ({
  state: r.state, clientIdentifier: r.client_identifier, correlationId: r.correlation_id, context: r.context, createdAt: new Date(r.created_at).toISOString(),
});

/** Conversations in the executor's schema, on the caller's transaction. */
export const ConversationRepository = {
  async insert(tx: EntityManager, c: Omit<StoredConversation, 'createdAt'>): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO conversation (ticket_id, client_identifier, correlation_id, status, round, state, context)
       VALUES ($1,$2,$3,$4,$5,$6::jsonb,$7::jsonb) ON CONFLICT (ticket_id) DO NOTHING RETURNING ticket_id`,
      [c.state.ticketId, c.clientIdentifier, c.correlationId, c.state.status, c.state.round, JSON.stringify(c.state), JSON.stringify(c.context)]);
    return rows.length > 0;
  },

  /** Locks the row for this transaction; another transaction holding it = 'busy' (retried by redelivery). */
  async lock(tx: EntityManager, ticketId: string): Promise<StoredConversation | null | 'busy'> {
    const rows: Row[] = await tx.query('SELECT * FROM conversation WHERE ticket_id = $1 FOR UPDATE SKIP LOCKED', [ticketId]);
    if (rows[0]) return toStored(rows[0]);
    const exists: unknown[] = await tx.query('SELECT 1 FROM conversation WHERE ticket_id = $1', [ticketId]);
    return exists.length > 0 ? 'busy' : null;
  },

  async save(tx: EntityManager, s: ConversationState): Promise<void> {
    await tx.query(`UPDATE conversation SET status = $2, round = $3, state = $4::jsonb, updated_at = now() WHERE ticket_id = $1`,
      [s.ticketId, s.status, s.round, JSON.stringify(s)]);
  },
};
