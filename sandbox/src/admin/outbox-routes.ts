import { Router, type Response } from 'express';
import type { SandboxContext } from '../core/context';
import { deliverInboundEmail, deliverInboundSms, NoInboundTarget } from './outbox-inbound';
import { defaultRules, saveRules, loadRules, type DeliveryRules } from './outbox-rules';
import { keepTargetsOnReset, loadTargets, saveTargets } from './outbox-targets';

const RULE_LISTS = ['smsInvalid', 'smsUndeliverable', 'smsFailed', 'emailBounce', 'emailDefer'] as const;
type RuleList = (typeof RULE_LISTS)[number];
const bad = (res: Response, message: string) => void res.status(400).json({ message });
const isUrl = (v: unknown): v is string => typeof v === 'string' && /^https?:\/\/\S+$/.test(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** `/admin/outbox/rules`: which recipients fail and how (the outbox itself is `GET /admin/outbox`). */
export function mountOutboxAdmin(ctx: SandboxContext): Router {
  const r = Router();
  r.get('/rules', async (_req, res) => {
    res.json(await loadRules(ctx.store));
  });
  r.post('/rules', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const patch: Partial<DeliveryRules> = {};
    for (const [k, v] of Object.entries(b)) {
      if (k === 'smtpReject') {
        const rule = v as { code?: unknown; count?: unknown } | null;
        if (rule === null) { patch.smtpReject = null; continue; }
        const code = Number(rule?.code);
        const count = rule?.count === undefined || rule?.count === null ? null : Number(rule.count);
        if (!Number.isInteger(code) || code < 400 || code > 599) return bad(res, 'smtpReject.code must be an SMTP 4xx/5xx code');
        if (count !== null && (!Number.isInteger(count) || count < 1)) return bad(res, 'smtpReject.count must be a positive integer or null');
        patch.smtpReject = { code, count };
        continue;
      }
      if (!RULE_LISTS.includes(k as RuleList)) return bad(res, `unknown rule ${k}; expected smtpReject or one of ${RULE_LISTS.join(', ')}`);
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return bad(res, `${k} must be an array of strings`);
      patch[k as RuleList] = v as string[];
    }
    res.json(await saveRules(ctx.store, patch));
  });
  r.delete('/rules', async (_req, res) => {
    res.json(await saveRules(ctx.store, defaultRules()));
  });
  return r;
}

/** `/admin/inbound/*`: play the user's side — reply by SMS or email to the desk. */
export function mountInboundAdmin(ctx: SandboxContext): Router {
  keepTargetsOnReset(ctx.store);
  const r = Router();
  r.get('/targets', async (_req, res) => {
    res.json(await loadTargets(ctx.store));
  });
  r.post('/targets', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    for (const k of ['sms', 'email'] as const) {
      if (b[k] !== undefined && b[k] !== null && !isUrl(b[k])) return bad(res, `${k} must be an http(s) URL or null`);
    }
    if (b.emailToken !== undefined && b.emailToken !== null && typeof b.emailToken !== 'string') return bad(res, 'emailToken must be a string or null');
    res.json(await saveTargets(ctx.store, { sms: b.sms as string | null | undefined, email: b.email as string | null | undefined, emailToken: b.emailToken as string | null | undefined }));
  });
  r.post('/sms', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const from = text(b.from);
    const body = typeof b.body === 'string' ? b.body : null;
    if (!from || body === null) return bad(res, 'body must be {"from": "+1...", "to"?: "+1...", "body": "..."}');
    try {
      const out = await deliverInboundSms(ctx, { from, to: text(b.to) ?? '+15550199', body, accountSid: text(b.accountSid) ?? undefined });
      res.status(out.status === 0 ? 502 : 200).json({ delivered: out.status >= 200 && out.status < 300, ...out });
    } catch (e) {
      if (e instanceof NoInboundTarget) return void res.status(409).json({ message: e.message });
      throw e;
    }
  });
  r.post('/email', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const from = text(b.from);
    if (!from) return bad(res, 'body must be {"from", "to"?, "subject"?, "text", "inReplyTo"?}');
    try {
      const out = await deliverInboundEmail(ctx, {
        from, to: text(b.to) ?? 'servicedesk@harborline-it.example', subject: text(b.subject) ?? '', text: typeof b.text === 'string' ? b.text : '', inReplyTo: text(b.inReplyTo),
      });
      res.status(out.status === 0 ? 502 : 200).json({ delivered: out.status >= 200 && out.status < 300, ...out });
    } catch (e) {
      if (e instanceof NoInboundTarget) return void res.status(409).json({ message: e.message });
      throw e;
    }
  });
  return r;
}
