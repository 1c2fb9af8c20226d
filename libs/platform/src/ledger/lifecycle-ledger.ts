import { DataSource, EntityManager } from 'typeorm';
import { qualified } from '../database/sql';
import { currentTraceId } from '../tracing/tracing';
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
    const traceId = currentTraceId();
    // One round trip for history + current state: this runs in every handler on the hot path.
    await tx.query(
      `WITH t AS (
         INSERT INTO ${this.transitions} (ticket_id, state, service, reason, trace_id, event_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING at)
       INSERT INTO ${this.states} (ticket_id, state, service, reason, trace_id, first_at, updated_at)
       SELECT $1, $2, $3, $4, $5, t.at, t.at FROM t
       ON CONFLICT (ticket_id) DO UPDATE SET state = EXCLUDED.state, service = EXCLUDED.service,
         reason = EXCLUDED.reason, trace_id = EXCLUDED.trace_id, updated_at = EXCLUDED.updated_at`,
      [ticketId, state, this.service, reason, traceId, eventId],
    );
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
