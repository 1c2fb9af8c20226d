import { randomBytes } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { VendorCallObserver } from '../observe';
import { NotifyDeliveryError } from './notify-errors';
import type { NotifyClient, NotifyMessage, NotifyReceipt, NotifyTarget } from './notify-client';

export interface SmtpEmailConfig {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  message?: string;
}

/**
 * Email through an SMTP relay (nodemailer). The relay's answer is the delivery result: 5xx at RCPT is a
 * bounce for that recipient, other 5xx a permanent refusal, 4xx a deferral, no connection "unavailable".
 */
export class SmtpEmailClient implements NotifyClient {
  readonly provider = 'smtp';
  readonly channels = ['email'] as const;
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(
    private readonly cfg: SmtpEmailConfig,
    private readonly opts: { observe?: VendorCallObserver; timeoutMs?: number } = {},
  ) {
    this.transport = nodemailer.createTransport({
      host: cfg.host, port: cfg.port, secure: cfg.secure,
      auth: cfg.user ? { user: cfg.user, pass: cfg.password ?? '' } : undefined,
      connectionTimeout: opts.timeoutMs ?? 15_000, greetingTimeout: opts.timeoutMs ?? 15_000, socketTimeout: opts.timeoutMs ?? 30_000,
      logger: false, debug: false,
    });
  }

  async send(target: NotifyTarget, message: NotifyMessage): Promise<NotifyReceipt> {
    if (target.channel !== 'email') throw new NotifyDeliveryError(`smtp cannot deliver to ${target.channel}`, 'smtp', null, 'channel_not_configured');
    const started = Date.now();
    let code: number | null = null;
    try {
      const domain = this.cfg.from.split('@')[1]?.replace(/[^A-Za-z0-9.-]/g, '') || 'desk.invalid';
      const messageId = message.threadId ? `<ticket.${message.threadId}.${randomBytes(6).toString('hex')}@${domain}>` : undefined;
      const info = await this.transport.sendMail({ from: this.cfg.from, to: target.address, subject: message.subject ?? '', text: message.body, messageId });
      code = Number(/^(\d{3})/.exec(info.response ?? '')?.[1] ?? 250);
      if (info.rejected.length) throw new NotifyDeliveryError(`smtp bounced ${info.rejected.map(String).join(', ')}`, 'smtp', code, 'bounced', String(code));
      return { providerMessageId: info.messageId ?? null, status: 'sent', detail: info.response ?? null };
    } catch (e) {
      if (e instanceof NotifyDeliveryError) throw e;
      const err = e as SmtpError;
      code = err.responseCode ?? null;
      throw smtpFailure(err);
    } finally {
      this.opts.observe?.({ vendor: 'smtp', method: 'SMTP', path: `${this.cfg.host}:${this.cfg.port}`, status: code, ms: Date.now() - started });
    }
  }

  close(): void {
    this.transport.close();
  }
}

function smtpFailure(err: SmtpError): NotifyDeliveryError {
  const code = err.responseCode ?? null;
  // The relay's reply line only (never nodemailer's message, which may quote the envelope at length).
  const reply = (err.response ?? '').split('\n')[0].slice(0, 200);
  if (err.code === 'EENVELOPE' && err.command === 'API') return new NotifyDeliveryError('smtp: the address is not a valid recipient', 'smtp', null, 'invalid_recipient', 'EENVELOPE');
  if (code === null) return new NotifyDeliveryError(`smtp relay unreachable (${err.code ?? 'error'})`, 'smtp', null, 'provider_unavailable', err.code ?? null, true);
  if (code === 535 || code === 530) return new NotifyDeliveryError(`smtp authentication refused: ${reply}`, 'smtp', code, 'auth', String(code));
  if (code >= 400 && code < 500) return new NotifyDeliveryError(`smtp deferred: ${reply}`, 'smtp', code, 'deferred', String(code), true);
  if (err.command === 'RCPT TO') return new NotifyDeliveryError(`smtp bounced: ${reply}`, 'smtp', code, 'bounced', String(code));
  return new NotifyDeliveryError(`smtp refused: ${reply}`, 'smtp', code, 'rejected', String(code));
}
