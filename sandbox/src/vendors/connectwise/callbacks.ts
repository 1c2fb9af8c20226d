import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { CW_API_MEMBER, CW_COMPANY_ID, cwError, type Doc, href, invalid, listResponse, notFound } from './common';

export const CALLBACK_KIND = 'cw.callback';
const KEY_KIND = 'cw.callbackKey';
/** Path (under the sandbox base) that serves signing keys, shaped like the vendor's key_url. */
export const KEY_PATH = '/cw/v4_6_release/system/callbackkey/index.rails';

/** Callback registrations: `POST /system/callbacks` `{url, objectId, type, level, description, inactiveFlag}`. */
export function callbackRoutes(ctx: SandboxContext): Router {
  ctx.store.keepOnReset(CALLBACK_KIND);
  ctx.store.keepOnReset(KEY_KIND);
  const r = express.Router();
  r.get('/system/callbacks', async (req, res) => listResponse(req, res, await ctx.store.list<Doc>(CALLBACK_KIND)));
  r.post('/system/callbacks', async (req, res) => {
    const b = (req.body ?? {}) as Doc;
    if (typeof b.url !== 'string' || !b.url) return invalid(res, 'callback', 'url', 'The url field is required.');
    if (typeof b.type !== 'string' || !b.type) return invalid(res, 'callback', 'type', 'The type field is required.');
    if (typeof b.level !== 'string' || !b.level) return invalid(res, 'callback', 'level', 'The level field is required.');
    if (b.objectId === undefined || !Number.isFinite(Number(b.objectId))) return invalid(res, 'callback', 'objectId', 'The objectId field is required.');
    const id = await ctx.store.nextId(CALLBACK_KIND);
    const doc: Doc = {
      id, description: typeof b.description === 'string' ? b.description : null, url: b.url, objectId: Number(b.objectId),
      type: b.type, level: b.level, memberId: b.memberId ?? null, payloadVersion: b.payloadVersion ?? null,
      inactiveFlag: b.inactiveFlag === true, isSoapCallbackFlag: false, isSelfSuppressedFlag: false, connectWiseID: randomUUID(),
      _info: { lastUpdated: new Date().toISOString(), updatedBy: CW_API_MEMBER },
    };
    await ctx.store.put(CALLBACK_KIND, String(id), doc);
    res.status(201).json(doc);
  });
  r.get('/system/callbacks/:id', async (req, res) => {
    const d = await ctx.store.get<Doc>(CALLBACK_KIND, req.params.id);
    return d ? void res.json(d) : notFound(res, 'Callback', req.params.id);
  });
  r.delete('/system/callbacks/:id', async (req, res) => {
    return (await ctx.store.delete(CALLBACK_KIND, req.params.id)) ? void res.status(204).end() : notFound(res, 'Callback', req.params.id);
  });
  return r;
}

/** `GET key_url` → `{"signing_key": "..."}` (no auth: the receiver fetches it by URL). */
export function keyRoutes(ctx: SandboxContext): Router {
  const r = express.Router();
  r.get('/', async (req, res) => {
    const id = String((req.query as Record<string, unknown>).id ?? '');
    const k = await ctx.store.get<{ signing_key: string }>(KEY_KIND, id);
    if (!k) return cwError(res, 404, 'NotFound', 'Signing key not found.');
    res.json({ signing_key: k.signing_key });
  });
  return r;
}

async function currentKey(ctx: SandboxContext): Promise<{ id: string; signing_key: string }> {
  const [k] = await ctx.store.list<{ id: string; signing_key: string }>(KEY_KIND, { limit: 1 });
  if (k) return k;
  const key = { id: randomUUID(), signing_key: randomBytes(24).toString('base64') };
  await ctx.store.put(KEY_KIND, key.id, key);
  return key;
}

export function signCallback(signingKey: string, rawBody: string): string {
  const key = createHash('sha256').update(signingKey).digest();
  return createHmac('sha256', key).update(rawBody).digest('base64');
}

function levelMatches(cb: Doc, ticket: Doc): boolean {
  const objectId = Number(cb.objectId);
  const ref = (k: string) => Number((ticket[k] as Doc | null | undefined)?.id);
  switch (String(cb.level).toLowerCase()) {
    case 'owner': return true; // owner-level ticket callbacks cover every ticket
    case 'board': return ref('board') === objectId;
    case 'status': return ref('status') === objectId;
    case 'company': return ref('company') === objectId;
    default: return false;
  }
}

/** Delivers the vendor's callback payload to every active ticket callback whose level matches. */
/** `memberId` is who made the change: the API member for API calls, `Portal` for a client's own ticket. */
export async function fireTicketCallbacks(ctx: SandboxContext, action: 'added' | 'updated' | 'deleted', ticket: Doc, memberId: string = CW_API_MEMBER): Promise<void> {
  const cbs = (await ctx.store.list<Doc>(CALLBACK_KIND)).filter((c) => String(c.type).toLowerCase() === 'ticket' && !c.inactiveFlag && levelMatches(c, ticket));
  if (!cbs.length) return;
  const key = await currentKey(ctx);
  await Promise.all(cbs.map(async (cb) => {
    const payload = {
      MessageId: randomUUID(), FromUrl: href(ctx, ''), CompanyId: CW_COMPANY_ID, MemberId: memberId, Action: action, Type: 'ticket',
      ID: ticket.id, Entity: action === 'deleted' ? null : JSON.stringify(ticket),
      Metadata: { key_url: `${ctx.baseUrl}${KEY_PATH}?companyName=${CW_COMPANY_ID}&id=${key.id}` }, CallbackObjectRecId: cb.id,
    };
    const body = JSON.stringify(payload);
    const url = new URL(String(cb.url));
    url.searchParams.set('action', action);
    url.searchParams.set('id', String(ticket.id));
    // The vendor appends ?action=&id= to the registered URL, which receivers use for routing.
    await ctx.deliverWebhook({ vendor: 'connectwise', url: url.toString(), headers: { 'x-content-signature': signCallback(key.signing_key, body) }, body });
  }));
}
