import { Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { adaptiveCardText } from './card-text';

type Payload = Record<string, unknown>;

/**
 * A Teams incoming webhook (`/hooks/teams/{channel}`): accepts an Adaptive Card message
 * (`{type:"message", attachments:[{contentType:"application/vnd.microsoft.card.adaptive", content}]}`)
 * or a legacy MessageCard (`text`/`summary`/`sections`), answers `200 1` like the connector does.
 */
export function mountTeamsHooks(ctx: SandboxContext): Router {
  const r = Router();
  r.post('/:channel', async (req, res) => {
    const channel = String(req.params.channel);
    res.locals.principal = channel;
    const p = (req.body ?? {}) as Payload;
    if (typeof p !== 'object' || Array.isArray(p)) return void res.status(400).type('text/plain').send('Bad payload received by generic incoming webhook.');
    let lines: string[];
    let subject: string | null;
    if (Array.isArray(p.attachments)) {
      const cards = p.attachments.filter((a): a is Payload => typeof a === 'object' && a !== null && (a as Payload).contentType === 'application/vnd.microsoft.card.adaptive');
      if (!cards.length || cards.some((c) => typeof c.content !== 'object' || (c.content as Payload).type !== 'AdaptiveCard')) {
        return void res.status(400).type('text/plain').send('Bad payload received by generic incoming webhook.');
      }
      lines = cards.flatMap((c) => adaptiveCardText(c.content));
      subject = lines[0] ?? null;
    } else if (typeof p.text === 'string' || typeof p.summary === 'string') {
      subject = typeof p.title === 'string' ? p.title : typeof p.summary === 'string' ? p.summary : null;
      const sections = Array.isArray(p.sections) ? (p.sections as Payload[]) : [];
      lines = [typeof p.text === 'string' ? p.text : '', ...sections.flatMap((s) => [String(s.activityTitle ?? ''), String(s.text ?? ''), ...((Array.isArray(s.facts) ? s.facts : []) as Payload[]).map((f) => `${String(f.name)}: ${String(f.value)}`)])].filter(Boolean);
    } else {
      return void res.status(400).type('text/plain').send('Summary or Text is required.');
    }
    await ctx.outbox.add({ channel: 'teams', provider: 'teams', to: channel, from: null, subject, body: lines.join('\n'), status: 'delivered', principal: channel });
    res.status(200).type('text/plain').send('1');
  });
  return r;
}
