import { randomUUID } from 'node:crypto';
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AdapterRegistry } from '@desk/adapters';
import { UnitOfWork } from '@desk/platform';
import { normalisePhone, parseForm, parseTwilioInbound } from '../domain/sms';
import { routeCodeReply, type CodeRoute } from '../domain/code-reply';
import { IntakeRejection } from '../domain/rejection';
import { verifyTwilio } from '../domain/signatures';
import { ticketNumbersInSubject } from '../domain/email';
import { Deliveries } from '../adapters/deliveries';
import { IntakeStore } from '../adapters/intake-store';
import { INTAKE_ENV } from '../tokens';
import type { IntakeEnv } from '../config';
import { acceptedBody, headerValue, IntakeHttp } from './intake-http';
import { auditHeaders, readRawBody, requireMediaType } from './raw-body';

/**
 * Twilio inbound SMS (a user answering a verification code). Verified with the auth token of the account
 * the message was sent to; published as a ticket reply carrying `fromPhone`, which the executor matches
 * against the number on file (never trusted on its own). Twilio expects TwiML: an empty <Response/>.
 */
@Controller('inbound')
export class SmsController {
  constructor(
    private readonly http: IntakeHttp,
    private readonly deliveries: Deliveries,
    private readonly registry: AdapterRegistry,
    private readonly uow: UnitOfWork,
    @Inject(INTAKE_ENV) private readonly env: IntakeEnv,
  ) {}

  @Post('sms')
  async sms(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.http.handle('sms', res, async () => {
      const raw = await readRawBody(req, this.env.INTAKE_MAX_BODY_BYTES);
      requireMediaType(req, ['application/x-www-form-urlencoded']);
      const params = parseForm(raw);
      const msg = parseTwilioInbound(params);
      const client = this.registry.clients().find((c) => c.notify.sms?.accountSid === msg.AccountSid);
      if (!client?.notify.sms) throw new IntakeRejection(401, 'AccountSid is not a configured Twilio account');
      // The signature covers the URL Twilio was configured with: the public URL, or (direct, no proxy) the one it called.
      const urls = [`${this.env.INTAKE_PUBLIC_URL.replace(/\/+$/, '')}${req.originalUrl}`, `${req.protocol}://${req.get('host') ?? ''}${req.originalUrl}`];
      const sig = headerValue(req, 'x-twilio-signature');
      const verdicts = urls.map((u) => verifyTwilio(client.notify.sms!.authToken, u, params, sig));
      if (!verdicts.some((v) => v.ok)) throw new IntakeRejection(401, verdicts[0]!.ok ? 'invalid signature' : verdicts[0]!.reason);
      // A ticket number in the text threads it; otherwise the ticket waiting for a code sent to this phone
      // (several waiting: the one whose code the digits are).
      const phone = normalisePhone(msg.From);
      const target = await this.uow.run(async (ctx): Promise<CodeRoute | null> => {
        // Only the clients whose messages this Twilio account carries: a number never crosses to another MSP client.
        const sharing = this.registry.clients().filter((c) => c.notify.sms?.accountSid === msg.AccountSid).map((c) => c.identifier);
        const link = await IntakeStore.linkByPsaNumber(ctx.tx, ticketNumbersInSubject(msg.Body), sharing);
        if (link) return { kind: 'one', ticketId: link.ticketId, clientIdentifier: link.clientIdentifier ?? client.identifier, why: 'ticket number' };
        return routeCodeReply(msg.Body, await IntakeStore.ticketsAwaitingCodeFrom(ctx.tx, `${this.env.DB_SCHEMA_PREFIX}executor`, phone.replace(/\D/g, '')));
      });
      const delivery = { channel: 'sms', idempotencyKey: msg.MessageSid, clientIdentifier: client.identifier, contentType: 'application/x-www-form-urlencoded', headers: auditHeaders(req), body: raw.toString('utf8') };
      const reply = { psa: null, channel: 'sms' as const, kind: 'message' as const, fromEmail: null, fromPhone: phone, body: msg.Body, receivedAt: new Date().toISOString() };
      if (target?.kind === 'each') return acceptedBody(await this.deliveries.replyToEach(delivery, target.targets, reply, target.why));
      // No waiting ticket: still recorded and published (on a fresh id) so nothing a user sent is lost.
      return acceptedBody(await this.deliveries.reply(delivery, target?.ticketId ?? randomUUID(), target?.clientIdentifier ?? client.identifier, reply));
    });
  }
}
