import { DataSource, EntityManager } from 'typeorm';
import { qualified } from '../database/sql';
import { trace } from '@opentelemetry/api';
import { TICKET_STATES, TicketState } from './states';

export interface TransitionRow {
  ticketId: string;
  state: TicketState;
  service: string;
  reason: string | null;
  traceId: string | null;
  eventId: string | null;
  at: Date;
}

/** Writes `desk_ledger.ticket_transition` (history) and `ticket_state` (current) in the caller's transaction. */
export class LifecycleLedger {
  private readonly transitions: string;
  private readonly states: string;

  constructor(private readonly ds: DataSource, schema: string, private readonly service: string) {
    this.transitions = qualified(schema, 'ticket_transition');
    this.states = qualified(schema, 'ticket_state');
  }

  async transition(tx: EntityManager, ticketId: string, state: TicketState, reason: string | null, eventId: string | null = null): Promise<void> {
    if (!TICKET_STATES.includes(state)) throw new Error(`unknown ticket state ${String(state)}`);
    const sc = trace.getActiveSpan()?.spanContext();
    const traced = sc && sc.traceId !== '00000000000000000000000000000000';
    const traceId = traced ? sc.traceId : null;
    const spanId = traced ? sc.spanId : null;
    // One round trip for history + current state: this runs in every handler on the hot path.
    await tx.query(
      `WITH t AS (
         INSERT INTO ${this.transitions} (ticket_id, state, service, reason, trace_id, event_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING at)
       INSERT INTO ${this.states} (ticket_id, state, service, reason, trace_id, span_id, first_at, updated_at)
       SELECT $1, $2, $3, $4, $5, $7, t.at, t.at FROM t
       ON CONFLICT (ticket_id) DO UPDATE SET state = EXCLUDED.state, service = EXCLUDED.service,
         reason = EXCLUDED.reason, trace_id = EXCLUDED.trace_id, span_id = EXCLUDED.span_id, updated_at = EXCLUDED.updated_at`,
      [ticketId, state, this.service, reason, traceId, eventId, spanId],
    );
  }

  /** The trace the ticket's latest transition was part of (to continue it from a timer or a poll). */
  async traceOf(tx: EntityManager, ticketId: string): Promise<{ traceId: string; spanId: string } | null> {
    const rows = (await tx.query(`SELECT trace_id, span_id FROM ${this.states} WHERE ticket_id = $1`, [ticketId])) as Array<{ trace_id: string | null; span_id: string | null }>;
    const r = rows[0];
    return r?.trace_id && r.span_id ? { traceId: r.trace_id, spanId: r.span_id } : null;
  }

  async history(ticketId: string): Promise<TransitionRow[]> {
    const rows = (await this.ds.query(
      `SELECT ticket_id, state, service, reason, trace_id, event_id, at FROM ${this.transitions} WHERE ticket_id = $1 ORDER BY at, id`,
      [ticketId],
    )) as Array<{ ticket_id: string; state: TicketState; service: string; reason: string | null; trace_id: string | null; event_id: string | null; at: Date }>;
    return rows.map((r) => ({ ticketId: r.ticket_id, state: r.state, service: r.service, reason: r.reason, traceId: r.trace_id, eventId: r.event_id, at: r.at }));
  }

  async current(ticketId: string): Promise<TicketState | null> {
    const rows = (await this.ds.query(`SELECT state FROM ${this.states} WHERE ticket_id = $1`, [ticketId])) as Array<{ state: TicketState }>;
    return rows[0]?.state ?? null;
  }
}
