import { EntityManager } from 'typeorm';
import { InboundTicket, TicketCategory, TriageResult } from '@desk/contracts';
import { CaseState, Stage } from '../domain/workflow';
import { Plan } from '../domain/plan-types';

/** What later stages need to publish about the ticket (no secrets: the plan and the ticket as received). */
export interface CaseContext {
  ticket: InboundTicket;
  triage: TriageResult;
  category: TicketCategory;
  documents: string[];
  eventId: string;
}

export interface StoredCase {
  state: CaseState;
  clientIdentifier: string;
  correlationId: string;
  context: CaseContext;
  createdAt: string;
}

interface Row {
  ticket_id: string; client_identifier: string; correlation_id: string; stage: Stage; plan: Plan; context: CaseContext;
  technician_approved_by: string | null; approval_by: string | null; approval_requested_at: Date | null;
  code_salt: string | null; code_hash: string | null; code_expires_at: Date | null; code_attempts: number;
  code_recipient_contact_id: string | null; code_sent_to_phone: string | null; code_verified_at: Date | null; created_at: Date;
  code_message_id: string | null; code_delivery: 'pending' | 'delivered' | 'failed' | null;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

function toCase(r: Row): StoredCase {
  const code = r.code_hash && r.code_salt && r.code_expires_at && r.code_recipient_contact_id
    ? {
      salt: r.code_salt, hash: r.code_hash, expiresAt: iso(r.code_expires_at)!, attempts: r.code_attempts,
      recipientContactId: r.code_recipient_contact_id, sentToPhone: r.code_sent_to_phone ?? '', verifiedAt: iso(r.code_verified_at),
      messageId: r.code_message_id, delivery: r.code_delivery,
    }
    : null;
  return {
    state: {
      ticketId: r.ticket_id, stage: r.stage, plan: r.plan, technicianApprovedBy: r.technician_approved_by,
      approvalBy: r.approval_by, approvalRequestedAt: iso(r.approval_requested_at), code,
    },
    clientIdentifier: r.client_identifier, correlationId: r.correlation_id, context: r.context, createdAt: iso(r.created_at)!,
  };
}

export class CaseRepository {
  /**
   * Locks the row for the rest of the transaction: replies for one ticket are decided one at a time.
   * A row another transaction holds is not waited for (that would pin a pool connection): `busy`.
   */
  async lock(tx: EntityManager, ticketId: string): Promise<StoredCase | null | 'busy'> {
    const rows = (await tx.query('SELECT * FROM ticket_case WHERE ticket_id = $1 FOR UPDATE SKIP LOCKED', [ticketId])) as Row[];
    if (rows[0]) return toCase(rows[0]);
    const exists = (await tx.query('SELECT 1 FROM ticket_case WHERE ticket_id = $1', [ticketId])) as unknown[];
    return exists.length > 0 ? 'busy' : null;
  }

  async get(tx: EntityManager, ticketId: string): Promise<StoredCase | null> {
    const rows = (await tx.query('SELECT * FROM ticket_case WHERE ticket_id = $1', [ticketId])) as Row[];
    return rows[0] ? toCase(rows[0]) : null;
  }

  async insert(tx: EntityManager, c: { state: CaseState; clientIdentifier: string; correlationId: string; context: CaseContext }): Promise<boolean> {
    const res = (await tx.query(
      `INSERT INTO ticket_case (ticket_id, client_identifier, correlation_id, stage, mode, plan, context)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb) ON CONFLICT (ticket_id) DO NOTHING RETURNING ticket_id`,
      [c.state.ticketId, c.clientIdentifier, c.correlationId, c.state.stage, c.state.plan.mode, JSON.stringify(c.state.plan), JSON.stringify(c.context)],
    )) as unknown[];
    return res.length > 0;
  }

  async save(tx: EntityManager, s: CaseState): Promise<void> {
    const c = s.code;
    await tx.query(
      `UPDATE ticket_case SET stage = $2, plan = $3::jsonb, technician_approved_by = $4, approval_by = $5, approval_requested_at = $6,
         code_salt = $7, code_hash = $8, code_expires_at = $9, code_attempts = $10, code_recipient_contact_id = $11,
         code_sent_to_phone = $12, code_verified_at = $13, code_message_id = $14, code_delivery = $15, updated_at = now()
       WHERE ticket_id = $1`,
      [s.ticketId, s.stage, JSON.stringify(s.plan), s.technicianApprovedBy, s.approvalBy, s.approvalRequestedAt,
        c?.salt ?? null, c?.hash ?? null, c?.expiresAt ?? null, c?.attempts ?? 0, c?.recipientContactId ?? null,
        c?.sentToPhone ?? null, c?.verifiedAt ?? null, c?.messageId ?? null, c?.delivery ?? null],
    );
  }

  async list(tx: EntityManager, stage: Stage): Promise<StoredCase[]> {
    const rows = (await tx.query('SELECT * FROM ticket_case WHERE stage = $1 ORDER BY created_at', [stage])) as Row[];
    return rows.map(toCase);
  }

  /**
   * Waiting cases with something due: a code expired or its SMS not yet confirmed by the carrier, an
   * approval past its wait (the plan's own, else the default), a scheduled time reached.
   */
  async due(tx: EntityManager, defaultApprovalTtlMs: number): Promise<string[]> {
    const rows = (await tx.query(
      `SELECT ticket_id FROM ticket_case
        WHERE (stage = 'awaiting_verification' AND (code_expires_at < now() OR code_delivery = 'pending'))
           OR (stage = 'awaiting_approval' AND approval_requested_at < now() - (COALESCE(plan->'verification'->>'approvalTtlMs', $1::text) || ' milliseconds')::interval)
           OR (stage = 'scheduled' AND (plan->>'notBefore')::timestamptz <= now())
        LIMIT 50`,
      [String(defaultApprovalTtlMs)],
    )) as Array<{ ticket_id: string }>;
    return rows.map((r) => r.ticket_id);
  }
}
