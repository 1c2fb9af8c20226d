import type { EventOrigin, PayloadInput, Subject } from '@desk/contracts';
import type { EntityManager } from 'typeorm';
import type { AuditInput } from '../ledger/audit.service';
import type { TicketState } from '../ledger/states';
import type { DeskContext, UowContext } from './context';

/**
 * One transaction with publish/transition/audit for one ticket, whether the work started from an event
 * (a handler's DeskContext) or from a timer / HTTP call (a UnitOfWork): domain services take this and
 * need not know which.
 */
export interface TicketScope {
  tx: EntityManager;
  ticketId: string;
  /** Redelivery count of the message being handled (1 outside handlers). */
  deliveryCount: number;
  /** The event that caused this work, if any (for causation). */
  causationId: string | null;
  publish<S extends Subject>(subject: S, origin: EventOrigin, payload: PayloadInput<S>): Promise<unknown>;
  transition(state: TicketState, reason: string): Promise<void>;
  audit(entry: AuditInput): Promise<unknown>;
}

export function fromHandler(ctx: DeskContext): TicketScope {
  return {
    tx: ctx.tx, ticketId: ctx.ticketId, deliveryCount: ctx.deliveryCount, causationId: ctx.envelope.eventId,
    publish: (s, o, p) => ctx.publish(s, o, p),
    transition: (st, r) => ctx.transition(st, r),
    audit: (e) => ctx.audit(e),
  };
}

export function fromUow(ctx: UowContext, ticketId: string): TicketScope {
  return {
    tx: ctx.tx, ticketId, deliveryCount: 1, causationId: null,
    publish: (s, o, p) => ctx.publish(s, o, p),
    transition: (st, r) => ctx.transition(ticketId, st, r),
    audit: (e) => ctx.audit(ticketId, e),
  };
}
