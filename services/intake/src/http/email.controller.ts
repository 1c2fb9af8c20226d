import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AdapterRegistry } from '@desk/adapters';
import { cleanSubject, parseInboundEmail } from '../domain/email';
import { IntakeRejection } from '../domain/rejection';
import { verifySharedToken } from '../domain/signatures';
import { Deliveries } from '../adapters/deliveries';
import { IntakeStore } from '../adapters/intake-store';
import { INTAKE_ENV } from '../tokens';
import type { IntakeEnv } from '../config';
import { UnitOfWork } from '@desk/platform';
import { acceptedBody, headerValue, IntakeHttp } from './intake-http';
import { auditHeaders, mediaType, readRawBody, requireMediaType } from './raw-body';

/**
 * Inbound mail as inbound-mail services deliver it: the raw RFC 822 message as the body. A reply (by
 * In-Reply-To / References, or a ticket number in the subject) threads onto its ticket; anything else
 * is a new ticket; auto-replies and bounces are stored for audit and otherwise ignored.
 */
const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

@Controller('inbound')
export class EmailController {
  constructor(
    private readonly http: IntakeHttp,
    private readonly deliveries: Deliveries,
    private readonly uow: UnitOfWork,
    private readonly registry: AdapterRegistry,
    @Inject(INTAKE_ENV) private readonly env: IntakeEnv,
  ) {}

  @Post('email')
  async email(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.http.handle('email', res, async () => {
      if (this.env.INTAKE_EMAIL_TOKEN) {
        const v = verifySharedToken(headerValue(req, 'x-desk-mail-token') ?? headerValue(req, 'authorization'), this.env.INTAKE_EMAIL_TOKEN, 'mail token');
        if (!v.ok) throw new IntakeRejection(401, v.reason);
      }
      const raw = await readRawBody(req, this.env.INTAKE_MAX_BODY_BYTES);
      requireMediaType(req, ['message/rfc822', 'text/plain']);
      const verdict = await parseInboundEmail(raw);
      const base = { channel: 'email', idempotencyKey: verdict.kind === 'ignore' ? verdict.messageId : verdict.mail.messageId, contentType: mediaType(req), headers: auditHeaders(req), body: raw.toString('utf8') };
      if (verdict.kind === 'ignore') return acceptedBody(await this.deliveries.ignored({ ...base, clientIdentifier: null }, verdict.reason));

      const mail = verdict.mail;
      const client = this.registry.clientByEmail(mail.fromEmail!)?.identifier ?? null;
      const thread = await this.uow.run(async (ctx) => {
        const byId = await IntakeStore.ticketForMessageIds(ctx.tx, mail.threadIds);
        if (byId) return IntakeStore.linkByTicket(ctx.tx, byId);
        // The desk's own outbound mail may name its ticket in the Message-ID (<ticket.{uuid}.{nonce}@…>).
        for (const id of mail.threadIds.flatMap((t) => t.match(UUID_IN_TEXT) ?? [])) {
          const link = await IntakeStore.linkByTicket(ctx.tx, id.toLowerCase());
          if (link) return link;
        }
        return IntakeStore.linkByPsaNumber(ctx.tx, mail.ticketNumbers, client ? [client] : []);
      });
      if (thread) {
        const accepted = await this.deliveries.reply({ ...base, clientIdentifier: thread.clientIdentifier ?? client }, thread.ticketId, thread.clientIdentifier ?? client, {
          psa: thread.psaSystem && thread.psaTicketId ? { system: thread.psaSystem as 'connectwise' | 'halopsa' | 'autotask', id: thread.psaTicketId, number: thread.psaNumber } : null,
          channel: 'email', kind: 'message', fromEmail: mail.fromEmail, body: mail.newText || mail.text, receivedAt: new Date().toISOString(),
        }, (ctx) => IntakeStore.rememberMessageIds(ctx.tx, thread.ticketId, [mail.messageId]));
        return acceptedBody(accepted);
      }
      const description = mail.forwarded ? `${mail.text}\n\n(forwarded by ${mail.fromEmail})` : mail.text;
      const accepted = await this.deliveries.newTicket({ ...base, clientIdentifier: client }, {
        channel: 'email', psa: null, clientIdentifier: client, summary: cleanSubject(mail.subject).slice(0, 200),
        description: description.slice(0, 20000) || '(empty message)', fromEmail: mail.fromEmail, fromName: mail.fromName,
        receivedAt: new Date().toISOString(),
        attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256 })),
      }, (ctx, ticketId) => IntakeStore.rememberMessageIds(ctx.tx, ticketId, [mail.messageId]));
      return acceptedBody(accepted);
    });
  }
}
