import type { EntityManager } from 'typeorm';
import {
  Subjects, type Envelope, type InboundTicket, type TicketConversationV1, type TicketEscalatedV1, type TicketPlannedV1, type TicketTriagedV1,
} from '@desk/contracts';
import type { DigestState } from './morning-summary';

export interface DigestUpdate {
  state: DigestState;
  detail: string | null;
  /** Null = keep what is known (3 when nothing is). */
  priorityLevel: number | null;
}

const PLANNED: Record<TicketPlannedV1['stage'], DigestUpdate> = {
  awaiting_verification: { state: 'waiting', detail: 'waiting for the user\'s identity verification', priorityLevel: null },
  awaiting_approval: { state: 'waiting', detail: 'waiting for an approval', priorityLevel: null },
  proposed: { state: 'waiting', detail: 'a fix is proposed for a technician to review', priorityLevel: null },
  executing: { state: 'in_progress', detail: 'the fix is running', priorityLevel: null },
};

/** Where a ticket stands after a pipeline event, for the morning queue (null = the event changes nothing). */
export function digestOf(evt: Envelope<unknown>): DigestUpdate | null {
  switch (evt.type) {
    case Subjects.ticketTriaged: return { state: 'in_progress', detail: null, priorityLevel: (evt.payload as TicketTriagedV1).triage.priority.level };
    case Subjects.ticketPlanned: return PLANNED[(evt.payload as TicketPlannedV1).stage];
    case Subjects.ticketConversation:
      return (evt.payload as TicketConversationV1).waitingOnClient ? { state: 'waiting', detail: 'waiting for the user\'s answer', priorityLevel: null } : null;
    case Subjects.ticketResolved: return { state: 'resolved', detail: null, priorityLevel: null };
    case Subjects.ticketEscalated: {
      const e = evt.payload as TicketEscalatedV1;
      return { state: 'escalated', detail: e.reasons[0] ?? e.reason, priorityLevel: e.priorityLevel };
    }
    default: return null;
  }
}

/** ticket_digest: one row per desk ticket, updated in the handler's transaction; a late event never overwrites a newer state. */
export const TicketDigest = {
  async record(tx: Pick<EntityManager, 'query'>, evt: Envelope<unknown>, ticket: InboundTicket, client: string | null): Promise<void> {
    const d = digestOf(evt);
    if (!d || !client) return;
    await tx.query(
      `INSERT INTO ticket_digest (ticket_id, client_identifier, summary, received_at, priority_level, state, detail, updated_at)
       VALUES ($1,$2,$3,$4,COALESCE($5, 3),$6,$7,$8)
       ON CONFLICT (ticket_id) DO UPDATE SET state = EXCLUDED.state, detail = EXCLUDED.detail, updated_at = EXCLUDED.updated_at,
         priority_level = COALESCE($5, ticket_digest.priority_level)
       WHERE ticket_digest.updated_at <= EXCLUDED.updated_at`,
      [evt.ticketId, client, ticket.summary.slice(0, 200), ticket.receivedAt, d.priorityLevel, d.state, d.detail?.slice(0, 300) ?? null, evt.occurredAt]);
  },
};
