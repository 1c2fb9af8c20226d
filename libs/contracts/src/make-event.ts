import { randomUUID } from 'node:crypto';
import { Envelope, EnvelopeMeta } from './envelope';
import { EnvelopeSchemas, PayloadInput, PayloadOf, Subject, subjectVersion } from './subjects';

export interface EventOrigin {
  ticketId: string;
  mspClientId: string | null;
  correlationId: string;
  causationId?: string | null;
}

/** Builds and validates an envelope: a producer can never publish what a consumer would reject. */
export function makeEvent<S extends Subject>(subject: S, origin: EventOrigin, payload: PayloadInput<S>): Envelope<PayloadOf<S>> {
  const meta: EnvelopeMeta = {
    eventId: randomUUID(),
    type: subject,
    version: subjectVersion(subject),
    occurredAt: new Date().toISOString(),
    mspClientId: origin.mspClientId,
    ticketId: origin.ticketId,
    correlationId: origin.correlationId,
    causationId: origin.causationId ?? null,
  };
  return EnvelopeSchemas[subject].parse({ ...meta, payload }) as Envelope<PayloadOf<S>>;
}

/** The origin for an event caused by `parent` (same ticket, client and correlation). */
export function causedBy(parent: EnvelopeMeta, mspClientId?: string | null): EventOrigin {
  return {
    ticketId: parent.ticketId,
    mspClientId: mspClientId === undefined ? parent.mspClientId : mspClientId,
    correlationId: parent.correlationId,
    causationId: parent.eventId,
  };
}
