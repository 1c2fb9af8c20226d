import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { rawBodyOf } from '../../core/mount';

/** Header of the generic paging webhook: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export const PAGING_SIGNATURE_HEADER = 'x-desk-signature';
/** Signatures older (or newer) than this are replays. */
const TOLERANCE_S = 300;

const secret = (): string => process.env.SANDBOX_PAGING_SECRET ?? 'sandbox-paging-secret';

export function verifyPagingSignature(header: string | undefined, rawBody: string, key: string, nowMs = Date.now()): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((kv) => kv.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowMs / 1000 - t) > TOLERANCE_S) return false;
  const want = Buffer.from(createHmac('sha256', key).update(`${t}.${rawBody}`).digest('hex'));
  const got = Buffer.from(parts.v1);
  return want.length === got.length && timingSafeEqual(want, got);
}

/**
 * A generic paging tool's event endpoint (`/hooks/paging[/service]`): JSON `{summary, severity, text?,
 * source?, dedupKey?, recipient?}`, signed as above; answers 202 `{status:"accepted", id, dedupKey}`.
 */
export function mountPagingHook(ctx: SandboxContext): Router {
  const r = Router();
  const handle = (service: string) => async (req: import('express').Request, res: import('express').Response) => {
    if (!verifyPagingSignature(req.get(PAGING_SIGNATURE_HEADER), rawBodyOf(req), secret())) {
      return void res.status(401).json({ status: 'rejected', message: 'invalid or expired signature' });
    }
    res.locals.principal = service;
    const b = (req.body ?? {}) as Record<string, unknown>;
    const severities = ['critical', 'error', 'warning', 'info'];
    if (typeof b.summary !== 'string' || !b.summary.trim()) return void res.status(400).json({ status: 'invalid', message: 'summary is required' });
    if (b.severity !== undefined && !severities.includes(String(b.severity))) return void res.status(400).json({ status: 'invalid', message: `severity must be one of ${severities.join(', ')}` });
    const dedupKey = typeof b.dedupKey === 'string' && b.dedupKey ? b.dedupKey : randomUUID();
    await ctx.outbox.add({
      channel: 'webhook', provider: 'paging', to: typeof b.recipient === 'string' && b.recipient ? b.recipient : service, from: typeof b.source === 'string' ? b.source : null,
      subject: b.summary, body: [b.summary, typeof b.text === 'string' ? b.text : ''].filter(Boolean).join('\n'), status: 'accepted', principal: service,
    });
    res.status(202).json({ status: 'accepted', id: randomUUID(), dedupKey });
  };
  r.post('/', handle('oncall'));
  r.post('/:service', (req, res) => handle(String(req.params.service))(req, res));
  return r;
}
