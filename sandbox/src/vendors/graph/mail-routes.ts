import type { Router } from 'express';
import { convert } from 'html-to-text';
import type { SandboxContext } from '../../core/context';
import { bounces, loadRules } from '../../admin/outbox-rules';
import { badRequest, graphError } from './errors';
import { route } from './graph-auth';
import { findUserOr404 } from './users-routes';

interface Recipient {
  emailAddress?: { address?: unknown; name?: unknown };
}
interface SendMailBody {
  message?: {
    subject?: unknown;
    body?: { contentType?: unknown; content?: unknown };
    toRecipients?: Recipient[];
    ccRecipients?: Recipient[];
    bccRecipients?: Recipient[];
  };
  saveToSentItems?: unknown;
}

const addresses = (xs: Recipient[] | undefined): string[] =>
  (Array.isArray(xs) ? xs : []).map((r) => r.emailAddress?.address).filter((a): a is string => typeof a === 'string');

/** `POST /users/{id}/sendMail`: 202 and one outbox message per recipient (bounces become NDRs, not errors). */
export function mountMailRoutes(ctx: SandboxContext, r: Router): void {
  r.post('/users/:id/sendMail', route(async (req, res, dir) => {
    const b = (req.body ?? {}) as SendMailBody;
    // The message may carry a code or a temporary password: the call log keeps only its envelope.
    res.locals.callBody = { message: { subject: b.message?.subject ?? null, toRecipients: b.message?.toRecipients ?? [], body: '[redacted]' } };
    const sender = await findUserOr404(dir, req, res);
    if (!sender) return;
    if (!b.message || typeof b.message !== 'object') return badRequest(res, 'Empty Payload, JSON content expected.', 'ErrorInvalidRequest');
    const to = [...addresses(b.message.toRecipients), ...addresses(b.message.ccRecipients), ...addresses(b.message.bccRecipients)];
    if (!to.length) return graphError(res, 400, 'ErrorInvalidRecipients', 'At least one recipient is not valid., Recipient is missing.');
    const bad = to.find((a) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(a));
    if (bad) return graphError(res, 400, 'ErrorInvalidRecipients', `At least one recipient is not valid., Recipient '${bad}' is not resolved.`);
    if (!sender.accountEnabled) return graphError(res, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    const content = typeof b.message.body?.content === 'string' ? b.message.body.content : '';
    const text = String(b.message.body?.contentType ?? 'Text').toLowerCase() === 'html' ? convert(content, { wordwrap: false }) : content;
    const rules = await loadRules(ctx.store);
    const subject = typeof b.message.subject === 'string' ? b.message.subject : null;
    for (const address of to) {
      const bounced = bounces(rules, address);
      await ctx.outbox.add({ channel: 'email', provider: 'graph', to: address.toLowerCase(), from: sender.upn, subject, body: text, status: bounced ? 'bounced' : 'delivered', principal: dir.tenant.domain });
      // Exchange reports a bounce as a non-delivery report in the sender's mailbox, not as an API error.
      if (bounced) {
        await ctx.outbox.add({
          channel: 'email', provider: 'graph', to: sender.upn.toLowerCase(), from: `MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@${dir.tenant.domain}`,
          subject: `Undeliverable: ${subject ?? ''}`, status: 'delivered', principal: dir.tenant.domain,
          body: `Your message to ${address} couldn't be delivered.\nRemote server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'.`,
        });
      }
    }
    res.status(202).end();
  }));
}
