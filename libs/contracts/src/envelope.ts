import { z } from 'zod';

/**
 * Every message on a `desk.*` subject is an envelope around a versioned payload.
 * The W3C `traceparent` travels in NATS headers, not here, so payload schemas stay business-only.
 */
export const EnvelopeMeta = z.object({
  /** Unique per event; also the JetStream `Nats-Msg-Id`, so a re-publish is deduplicated by the server. */
  eventId: z.string().uuid(),
  /** The subject name the event was published on (without version suffix is not allowed: it is the full subject). */
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.string().datetime({ offset: true }),
  /** The MSP client (PSA company identifier) the ticket belongs to; null while still unknown (e.g. before triage). */
  mspClientId: z.string().min(1).nullable(),
  /** The desk's own ticket id (uuid), stable across every stage and every PSA. */
  ticketId: z.string().uuid(),
  /** Groups every event caused by one inbound delivery. */
  correlationId: z.string().min(1),
  /** The eventId of the event whose handling produced this one, if any. */
  causationId: z.string().uuid().nullable().default(null),
});
export type EnvelopeMeta = z.infer<typeof EnvelopeMeta>;

export function envelopeSchema<P extends z.ZodTypeAny>(payload: P) {
  return EnvelopeMeta.extend({ payload });
}

export type Envelope<P> = EnvelopeMeta & { payload: P };
