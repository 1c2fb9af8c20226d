import { z } from 'zod';
import { PsaSystem } from '@desk/contracts';
import { describeIssues, IntakeRejection } from './rejection';
import { sha256Hex } from './signatures';

/** What intake keeps from a PSA callback: little, since the full ticket is fetched afterwards. */
export interface PsaCallback {
  system: PsaSystem;
  psaTicketId: string;
  action: 'added' | 'updated' | 'deleted';
  /** The vendor's delivery id (MessageId / Guid), or a hash of the body when the vendor sends none. */
  deliveryId: string;
  /** Who made the change, as the vendor names it (member identifier, agent id, resource id). */
  actor: string | null;
  eventTime: string | null;
  ticketNumber: string | null;
}

const idLike = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));

export const ConnectWiseCallbackBody = z.object({
  MessageId: z.string().min(1).optional(),
  FromUrl: z.string().optional(),
  CompanyId: z.string().optional(),
  MemberId: z.string().nullable().optional(),
  Action: z.string().min(1),
  Type: z.string().min(1),
  ID: idLike,
  Entity: z.string().nullable().optional(),
  Metadata: z.object({ key_url: z.string().url() }),
  CallbackObjectRecId: z.union([z.string(), z.number()]).optional(),
});
export type ConnectWiseCallbackBody = z.infer<typeof ConnectWiseCallbackBody>;

export const AutotaskWebhookBody = z.object({
  Action: z.enum(['Create', 'Update', 'Delete', 'Deactivated']),
  Guid: z.string().min(1),
  EntityType: z.string().min(1),
  Id: idLike,
  Fields: z.record(z.string(), z.unknown()).optional().default({}),
  EventTime: z.string().optional(),
  SequenceNumber: z.union([z.number(), z.string()]).optional(),
  PersonID: z.union([z.number(), z.string()]).nullable().optional(),
});

/** Halo's delivery keys vary with the payload template; the ticket id is all intake relies on. */
export const HaloWebhookBody = z
  .object({
    event: z.string().optional(),
    ticket_id: idLike.optional(),
    ticket: z.object({ id: idLike }).passthrough().optional(),
    action: z.object({ who: z.string().nullable().optional(), who_agentid: z.union([z.string(), z.number()]).nullable().optional() }).passthrough().optional(),
    who: z.string().nullable().optional(),
    webhook_id: z.string().optional(),
    delivery_id: z.string().optional(),
  })
  .passthrough()
  .refine((b) => b.ticket?.id !== undefined || b.ticket_id !== undefined, { message: 'ticket.id (or ticket_id) is required', path: ['ticket', 'id'] });

export function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) throw new IntakeRejection(400, 'empty body: a JSON object was expected');
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (e) {
    throw new IntakeRejection(400, `malformed JSON: ${(e as Error).message}`);
  }
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new IntakeRejection(422, `${what}: ${describeIssues(r.error.issues)}`);
  return r.data;
}

export function parseConnectWiseCallback(raw: Buffer): { body: ConnectWiseCallbackBody; callback: PsaCallback } {
  const body = parseWith(ConnectWiseCallbackBody, parseJson(raw), 'ConnectWise callback');
  if (body.Type.toLowerCase() !== 'ticket') throw new IntakeRejection(422, `ConnectWise callback: Type "${body.Type}" is not a ticket callback`);
  const action = body.Action.toLowerCase();
  if (action !== 'added' && action !== 'updated' && action !== 'deleted') throw new IntakeRejection(422, `ConnectWise callback: Action "${body.Action}" is unknown`);
  return {
    body,
    callback: {
      system: 'connectwise',
      psaTicketId: body.ID,
      action,
      deliveryId: body.MessageId ?? sha256Hex(raw),
      actor: body.MemberId ?? null,
      eventTime: null,
      ticketNumber: null,
    },
  };
}

export function parseAutotaskWebhook(raw: Buffer): PsaCallback {
  const body = parseWith(AutotaskWebhookBody, parseJson(raw), 'Autotask webhook');
  if (body.EntityType.toLowerCase() !== 'ticket') throw new IntakeRejection(422, `Autotask webhook: EntityType "${body.EntityType}" is not Ticket`);
  const action = body.Action === 'Create' ? 'added' : body.Action === 'Delete' || body.Action === 'Deactivated' ? 'deleted' : 'updated';
  const num = body.Fields['TicketNumber'];
  return {
    system: 'autotask',
    psaTicketId: body.Id,
    action,
    deliveryId: body.Guid,
    actor: body.PersonID === undefined || body.PersonID === null ? null : String(body.PersonID),
    eventTime: body.EventTime ?? null,
    ticketNumber: typeof num === 'string' ? num : null,
  };
}

export function parseHaloWebhook(raw: Buffer): PsaCallback {
  const body = parseWith(HaloWebhookBody, parseJson(raw), 'HaloPSA webhook');
  const ticketId = body.ticket?.id ?? body.ticket_id!;
  const ev = (body.event ?? '').toLowerCase();
  const action = /new|logged|creat/.test(ev) ? 'added' : /delet/.test(ev) ? 'deleted' : 'updated';
  const who = body.action?.who ?? body.who ?? null;
  return {
    system: 'halopsa',
    psaTicketId: ticketId,
    action,
    // Halo sends no delivery id of its own on every template: the body hash makes a re-delivery identical.
    deliveryId: body.delivery_id ?? sha256Hex(raw),
    actor: who,
    eventTime: null,
    ticketNumber: null,
  };
}
