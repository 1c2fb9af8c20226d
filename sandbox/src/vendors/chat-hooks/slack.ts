import { Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { blockKitText } from './card-text';

/**
 * A Slack incoming webhook (`/hooks/slack/services/T…/B…/…`, the path of hooks.slack.com): JSON with
 * `text` and/or Block Kit `blocks`; answers `200 ok`, or Slack's plain-text errors (`invalid_payload`,
 * `no_text`, `no_service`).
 */
export function mountSlackHooks(ctx: SandboxContext): Router {
  const r = Router();
  r.post('/services/:team/:bot/:secret', async (req, res) => {
    const channel = `${String(req.params.team)}/${String(req.params.bot)}`;
    res.locals.principal = channel;
    const p = req.body as unknown;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) return void res.status(400).type('text/plain').send('invalid_payload');
    const body = p as Record<string, unknown>;
    if (body.blocks !== undefined && !Array.isArray(body.blocks)) return void res.status(400).type('text/plain').send('invalid_blocks');
    const lines = [...(typeof body.text === 'string' && body.text ? [body.text] : []), ...blockKitText(body.blocks)];
    if (!lines.length) return void res.status(400).type('text/plain').send('no_text');
    await ctx.outbox.add({ channel: 'slack', provider: 'slack', to: channel, from: typeof body.username === 'string' ? body.username : null, subject: null, body: lines.join('\n'), status: 'delivered', principal: channel });
    res.status(200).type('text/plain').send('ok');
  });
  r.use((_req, res) => void res.status(404).type('text/plain').send('no_service'));
  return r;
}
