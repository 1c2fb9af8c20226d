import { EntityManager } from 'typeorm';
import { ActionExecutedV1, Evidence } from '@desk/contracts';
import { CheckState } from '../domain/checks';

export interface CheckRow {
  idempotencyKey: string;
  ticketId: string;
  clientIdentifier: string | null;
  correlationId: string;
  eventId: string;
  executed: ActionExecutedV1;
  planStep: number;
  planSteps: number;
  status: 'pending' | 'passed' | 'failed';
  state: CheckState;
  attempts: number;
  evidence: Evidence[];
  deadline: string;
}

interface Row {
  idempotency_key: string; ticket_id: string; client_identifier: string | null; correlation_id: string; event_id: string;
  executed: ActionExecutedV1; plan_step: number; plan_steps: number; status: CheckRow['status']; state: CheckState;
  attempts: number; evidence: Evidence[]; deadline: Date;
}

const toRow = (r: Row): CheckRow => ({
  idempotencyKey: r.idempotency_key, ticketId: r.ticket_id, clientIdentifier: r.client_identifier, correlationId: r.correlation_id,
  eventId: r.event_id, executed: r.executed, planStep: r.plan_step, planSteps: r.plan_steps, status: r.status, state: r.state,
  attempts: r.attempts, evidence: r.evidence, deadline: new Date(r.deadline).toISOString(),
});

export class CheckRepository {
  async insert(tx: EntityManager, c: Omit<CheckRow, 'status' | 'state' | 'attempts' | 'evidence'>): Promise<boolean> {
    const res = (await tx.query(
      `INSERT INTO pending_check (idempotency_key, ticket_id, client_identifier, correlation_id, event_id, executed, plan_step, plan_steps, status, deadline)
       VALUES ($1,$2,$3,$4,$5,$6::jsonb,$7,$8,'pending',$9) ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
      [c.idempotencyKey, c.ticketId, c.clientIdentifier, c.correlationId, c.eventId, JSON.stringify(c.executed), c.planStep, c.planSteps, c.deadline],
    )) as unknown[];
    return res.length > 0;
  }

  async due(tx: EntityManager, limit: number): Promise<string[]> {
    const rows = (await tx.query(`SELECT idempotency_key FROM pending_check WHERE status = 'pending' AND next_at <= now() ORDER BY next_at LIMIT $1`, [limit])) as Array<{ idempotency_key: string }>;
    return rows.map((r) => r.idempotency_key);
  }

  /** Locks one pending check; another replica polling the same row skips it. */
  async lockPending(tx: EntityManager, key: string): Promise<CheckRow | null> {
    const rows = (await tx.query(`SELECT * FROM pending_check WHERE idempotency_key = $1 AND status = 'pending' FOR UPDATE SKIP LOCKED`, [key])) as Row[];
    return rows[0] ? toRow(rows[0]) : null;
  }

  async update(tx: EntityManager, key: string, u: { status: CheckRow['status']; state: CheckState; evidence: Evidence[]; nextInMs: number }): Promise<void> {
    await tx.query(
      `UPDATE pending_check SET status = $2, state = $3::jsonb, evidence = $4::jsonb, attempts = attempts + 1,
         next_at = now() + ($5::text || ' milliseconds')::interval, finished_at = CASE WHEN $2 = 'pending' THEN NULL ELSE now() END
       WHERE idempotency_key = $1`,
      [key, u.status, JSON.stringify(u.state), JSON.stringify(u.evidence), String(u.nextInMs)],
    );
  }

  async forTicket(tx: EntityManager, ticketId: string): Promise<CheckRow[]> {
    const rows = (await tx.query('SELECT * FROM pending_check WHERE ticket_id = $1 ORDER BY plan_step', [ticketId])) as Row[];
    return rows.map(toRow);
  }

  /** Claims the ticket's single outcome; false when it was already decided. */
  async claimOutcome(tx: EntityManager, ticketId: string, outcome: 'resolved' | 'escalated'): Promise<boolean> {
    const res = (await tx.query('INSERT INTO ticket_outcome (ticket_id, outcome) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING ticket_id', [ticketId, outcome])) as unknown[];
    return res.length > 0;
  }
}
