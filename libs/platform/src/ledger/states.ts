/** Lifecycle states of a desk ticket; first-response and resolution times are computed from their timestamps. */
export const TICKET_STATES = [
  'received', 'triaged', 'planned', 'awaiting_verification', 'awaiting_approval', 'proposed', 'executing',
  'verifying', 'resolved', 'escalated', 'waiting_on_client', 'closed', 'duplicate',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];

/** States after which the desk does nothing more on its own. */
export const FINAL_STATES: readonly TicketState[] = ['resolved', 'escalated', 'closed', 'duplicate'];
