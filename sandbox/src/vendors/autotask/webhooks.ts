import { createHmac, randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { type Doc, atErrors, nowIso, queryResponse } from './common';

export const WEBHOOK_KIND = 'at.ticketWebhook';
export const WEBHOOK_FIELD_KIND = 'at.ticketWebhookField';

/** Field ids a webhook can subscribe to (`POST /TicketWebhooks/{id}/Fields {fieldID}`), as the sandbox numbers them. */
export const WEBHOOK_FIELD_IDS: Record<number, string> = {
  1: 'title', 2: 'status', 3: 'priority', 4: 'queueID', 5: 'assignedResourceID', 6: 'description', 7: 'companyID', 8: 'contactID',
  9: 'ticketNumber', 10: 'resolution', 11: 'problemTicketId',
};
const WEBHOOK_FIELDS = ['id', 'name', 'webhookUrl', 'deactivationUrl', 'isActive', 'isReady', 'isSubscribedToCreateEvents', 'isSubscribedToUpdateEvents', 'isSubscribedToDeleteEvents', 'notificationEmailAddress', 'sendThresholdExceededNotification', 'ownerResourceID'];

export function signAutotask(secret: string, rawBody: string): string {
  return `sha1=${createHmac('sha1', secret).update(rawBody).digest('base64')}`;
}

export function webhookRoutes(ctx: SandboxContext): Router {
  ctx.store.keepOnReset(WEBHOOK_KIND);
  ctx.store.keepOnReset(WEBHOOK_FIELD_KIND);
  const r = express.Router();
  // The secret is write-only: never returned by queries.
  const publicView = async () => (await ctx.store.list<Doc>(WEBHOOK_KIND)).map(({ secretKey: _s, ...w }) => w);
  r.post('/TicketWebhooks', async (req, res) => {
    const b = (req.body ?? {}) as Doc;
    res.locals.callBody = { ...b, secretKey: b.secretKey ? '***' : undefined };
    for (const f of ['name', 'webhookUrl', 'secretKey', 'deactivationUrl']) if (typeof b[f] !== 'string' || !b[f]) return atErrors(res, 500, `Missing Required Field: ${f}`);
    const id = await ctx.store.nextId(WEBHOOK_KIND);
    await ctx.store.put(WEBHOOK_KIND, String(id), {
      id, name: b.name, webhookUrl: b.webhookUrl, deactivationUrl: b.deactivationUrl, secretKey: b.secretKey, isActive: b.isActive !== false,
      isReady: b.isReady !== false, isSubscribedToCreateEvents: b.isSubscribedToCreateEvents === true, isSubscribedToUpdateEvents: b.isSubscribedToUpdateEvents === true,
      isSubscribedToDeleteEvents: b.isSubscribedToDeleteEvents === true, notificationEmailAddress: b.notificationEmailAddress ?? null,
      sendThresholdExceededNotification: b.sendThresholdExceededNotification === true, ownerResourceID: b.ownerResourceID ?? null, sequence: 0,
    });
    res.json({ itemId: id });
  });
  r.post('/TicketWebhooks/query', async (req, res) => queryResponse(ctx, req, res, 'TicketWebhook', '/TicketWebhooks', await publicView(), WEBHOOK_FIELDS));
  r.get('/TicketWebhooks/:id', async (req, res) => res.json({ item: (await publicView()).find((w) => String(w.id) === req.params.id) ?? null }));
  r.delete('/TicketWebhooks/:id', async (req, res) => {
    if (!(await ctx.store.delete(WEBHOOK_KIND, req.params.id))) return atErrors(res, 500, `TicketWebhook ${req.params.id} does not exist or is invalid.`);
    res.json({ itemId: Number(req.params.id) });
  });
  r.post('/TicketWebhooks/:id/Fields', async (req, res) => {
    const hook = await ctx.store.get<Doc>(WEBHOOK_KIND, req.params.id);
    if (!hook) return atErrors(res, 500, 'Reference value on field: webhookID of type: TicketWebhook does not exist or is invalid.');
    const b = (req.body ?? {}) as Doc;
    const fieldID = Number(b.fieldID);
    if (!WEBHOOK_FIELD_IDS[fieldID]) return atErrors(res, 500, `Value ${String(b.fieldID)} for field fieldID is not valid.`);
    const id = await ctx.store.nextId(WEBHOOK_FIELD_KIND);
    await ctx.store.put(WEBHOOK_FIELD_KIND, String(id), { id, webhookID: hook.id, fieldID, isDisplayAlwaysField: b.isDisplayAlwaysField === true, isSubscribedField: b.isSubscribedField !== false });
    res.json({ itemId: id });
  });
  r.get('/TicketWebhooks/:id/Fields', async (req, res) => {
    const items = await ctx.store.list<Doc>(WEBHOOK_FIELD_KIND, { where: { webhookID: Number(req.params.id) } });
    res.json({ items, pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl: null } });
  });
  return r;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Sends `{Action, Guid, EntityType, Id, Fields, EventTime, SequenceNumber, PersonID}` signed with
 * `X-Hook-Signature: sha1=base64(HMAC-SHA1(SecretKey, body))`. An update is sent only when a subscribed
 * field changed (or, with no field subscriptions, any field); `Fields` carries the changed subscribed fields
 * plus the always-displayed ones.
 */
/** `personId` is the resource who made the change (null when a contact did, e.g. from the portal). */
export async function fireTicketWebhooks(ctx: SandboxContext, action: 'Create' | 'Update' | 'Delete', ticket: Doc, changed: string[] | null, personId: unknown = null): Promise<void> {
  const hooks = (await ctx.store.list<Doc>(WEBHOOK_KIND)).filter((w) => w.isActive && w.isReady !== false
    && (action === 'Create' ? w.isSubscribedToCreateEvents : action === 'Update' ? w.isSubscribedToUpdateEvents : w.isSubscribedToDeleteEvents));
  for (const w of hooks) {
    const subs = await ctx.store.list<{ fieldID: number; isDisplayAlwaysField: boolean; isSubscribedField: boolean }>(WEBHOOK_FIELD_KIND, { where: { webhookID: w.id } });
    const subscribed = subs.filter((s) => s.isSubscribedField).map((s) => WEBHOOK_FIELD_IDS[s.fieldID]);
    const always = subs.filter((s) => s.isDisplayAlwaysField).map((s) => WEBHOOK_FIELD_IDS[s.fieldID]);
    let names: string[];
    if (action === 'Update') {
      const relevant = subscribed.length ? (changed ?? []).filter((c) => subscribed.includes(c)) : changed ?? [];
      if (!relevant.length) continue;
      names = [...new Set([...relevant, ...always, 'ticketNumber'])];
    } else names = [...new Set([...subscribed, ...always, 'ticketNumber'])];
    const seq = Number(w.sequence ?? 0) + 1;
    await ctx.store.patch(WEBHOOK_KIND, String(w.id), { sequence: seq });
    const body = JSON.stringify({
      Action: action, Guid: randomUUID(), EntityType: 'Ticket', Id: ticket.id,
      Fields: Object.fromEntries(names.map((n) => [cap(n), ticket[n] ?? null])), EventTime: nowIso(), SequenceNumber: seq, PersonID: personId ?? null,
    });
    await ctx.deliverWebhook({ vendor: 'autotask', url: String(w.webhookUrl), headers: { 'X-Hook-Signature': signAutotask(String(w.secretKey), body) }, body });
  }
}
