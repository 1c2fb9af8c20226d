import { AsyncLocalStorage } from 'node:async_hooks';

/** The ticket being handled on this async path, so every log line carries `ticket_id` without threading it. */
const store = new AsyncLocalStorage<{ ticketId: string }>();

export function withTicket<T>(ticketId: string, fn: () => T): T {
  return store.run({ ticketId }, fn);
}

export function currentTicketId(): string | undefined {
  return store.getStore()?.ticketId;
}
