import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { type Doc, badRequest, nowIso } from './common';

export const WEBHOOK_KIND = 'halo.webhook';

/** `POST /api/Webhook` (array) registers outgoing webhooks; GET lists; DELETE /Webhook/{id}. */
export function webhookRoutes(ctx: SandboxContext): Router {
  ctx.store.keepOnReset(WEBHOOK_KIND);
  const r = express.Router();
  r.get('/Webhook', async (_req, res) => res.json(await ctx.store.list<Doc>(WEBHOOK_KIND)));
  r.get('/Webhook/:id', async (req, res) => {
    const w = await ctx.store.get<Doc>(WEBHOOK_KIND, req.params.id);
    return w ? void res.json(w) : void res.status(404).json('Not Found');
  });
  r.post('/Webhook', async (req, res) => {
    if (!Array.isArray(req.body)) return badRequest(res, 'Request body must be an array');
    const out: Doc[] = [];
    for (const raw of req.body as Doc[]) {
      if (typeof raw.url !== 'string' || !raw.url) return badRequest(res, 'url is required');
      const id = typeof raw.id === 'string' && raw.id ? raw.id : randomUUID();
      const doc: Doc = {
        id, name: typeof raw.name === 'string' ? raw.name : 'Webhook', url: raw.url, type: raw.type ?? 0, method: raw.method ?? 0,
        content_type: raw.content_type ?? 'application/json', authentication_type: raw.authentication_type ?? (raw.basic_username ? 1 : 0),
        basic_username: raw.basic_username ?? null, basic_password: raw.basic_password ?? null, active: raw.active !== false,
        events: Array.isArray(raw.events) ? raw.events : [], payload_type: raw.payload_type ?? 0, custom_payload: raw.custom_payload === true,
        last_status: null,
      };
      await ctx.store.put(WEBHOOK_KIND, id, doc);
      out.push(doc);
    }
    res.status(201).json(out.length === 1 ? out[0] : out);
  });
  r.delete('/Webhook/:id', async (req, res) => {
    return (await ctx.store.delete(WEBHOOK_KIND, req.params.id)) ? void res.status(200).end() : void res.status(404).json('Not Found');
  });
  return r;
}

/** POSTs `{id, event, ticket_id, ticket, action?}` to every active webhook, with its Basic credentials. */
export async function fireHaloWebhooks(ctx: SandboxContext, event: 'New Ticket Logged' | 'Ticket Updated' | 'Action Added', ticket: Doc, action?: Doc): Promise<void> {
  const hooks = (await ctx.store.list<Doc>(WEBHOOK_KIND)).filter((w) => w.active !== false);
  await Promise.all(hooks.map(async (w) => {
    const body = JSON.stringify({ id: randomUUID(), event, datetime: nowIso(), ticket_id: ticket.id, ticket, ...(action ? { action } : {}) });
    const headers: Record<string, string> = {};
    if (w.basic_username) headers.authorization = `Basic ${Buffer.from(`${String(w.basic_username)}:${String(w.basic_password ?? '')}`).toString('base64')}`;
    await ctx.deliverWebhook({ vendor: 'halopsa', url: String(w.url), headers, body });
  }));
}
