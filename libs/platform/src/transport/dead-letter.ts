import { EnvelopeMeta, Subjects, makeEvent } from '@desk/contracts';
import { PlatformCore } from '../core';
import { qualified } from '../database/sql';
import { inTransaction } from '../messaging/transaction';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export interface DeadLetterInput {
  subject: string;
  consumer: string;
  error: string;
  deliveries: number;
  raw: string;
  reason: 'schema' | 'exhausted' | 'non_retryable';
  /** Whatever of the envelope could be read, to tie the dead letter to its ticket. */
  meta: Partial<EnvelopeMeta>;
}

function uuidOrNull(v: unknown): string | null {
  return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ? v : null;
}

/**
 * Records a message the desk gave up on: a row in `<schema>.dead_letter` and DeadLetterV1 on
 * `desk.dlq.v1` (through the outbox, in the same transaction), so an operator sees and can replay it.
 */
export async function deadLetter(core: PlatformCore, d: DeadLetterInput): Promise<void> {
  const eventId = uuidOrNull(d.meta.eventId);
  const ticketId = uuidOrNull(d.meta.ticketId);
  const rows = await inTransaction(core.ds, async (tx) => {
    await tx.query(
      `INSERT INTO ${qualified(core.schema, 'dead_letter')} (consumer, subject, event_id, ticket_id, error, deliveries, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [d.consumer, d.subject, eventId, ticketId, d.error, d.deliveries, d.raw],
    );
    // A failing dead-letter consumer must not feed the dead-letter subject with its own failures.
    if (d.subject === Subjects.deadLetter) return [];
    const evt = makeEvent(Subjects.deadLetter, {
      ticketId: ticketId ?? NIL_UUID,
      mspClientId: typeof d.meta.mspClientId === 'string' && d.meta.mspClientId ? d.meta.mspClientId : null,
      correlationId: typeof d.meta.correlationId === 'string' && d.meta.correlationId ? d.meta.correlationId : 'dead-letter',
      causationId: eventId,
    }, { subject: d.subject, consumer: d.consumer, error: d.error, deliveries: d.deliveries, raw: d.raw });
    return [await core.outbox.write(tx, Subjects.deadLetter, evt.eventId, JSON.stringify(evt))];
  });
  await core.outbox.publish(rows);
  core.metrics.deadLettered.inc({ service: core.name, subject: d.subject, reason: d.reason });
  core.log.error({ subject: d.subject, consumer: d.consumer, event_id: eventId, reason: d.reason, deliveries: d.deliveries, error: d.error }, 'event dead-lettered');
}
