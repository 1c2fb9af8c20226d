import { NotifyConnection } from '../config/connections';
import { VendorCallObserver } from '../observe';
import type { RetryPolicy } from '../http/http-client';
import { GraphMailClient } from './graph-mail-client';
import { NotifyDeliveryError, scrub } from './notify-errors';
import type { DeliveryStatus, NotifyClient, NotifyMessage, NotifyReceipt, NotifyTarget } from './notify-client';
import { toE164 } from './phone';
import { RecipientRateLimiter, recipientLimitFromEnv, type RecipientRateLimit } from './rate-limit';
import { SmtpEmailClient } from './smtp-email-client';
import { TwilioSmsClient } from './twilio-sms-client';
import { SignedWebhookPager, SlackWebhookClient, TeamsWebhookClient } from './webhook-clients';

type Channel = NotifyTarget['channel'];

/** Picks the configured provider for each channel. */
export interface Notifier {
  send(target: NotifyTarget, message: NotifyMessage): Promise<NotifyReceipt>;
  /** Channels this client (or the MSP) has a provider for. */
  channels(): Channel[];
  /** The configured Teams / Slack / paging destination, for messages to the MSP's own people. */
  defaultTarget(channel: 'teams' | 'slack' | 'webhook'): NotifyTarget | null;
  /** Delivery state of a message sent on this channel; null when its provider does not report one. */
  deliveryStatus?(channel: Channel, providerMessageId: string): Promise<DeliveryStatus | null>;
}

export interface NotifierOptions {
  /** Per-recipient limit on person channels (SMS, email); null disables it; default from `DESK_NOTIFY_RECIPIENT_LIMIT`. */
  rateLimit?: RecipientRateLimit | null;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
}

/**
 * One client's delivery: routes each message to the provider configured for its channel and applies the
 * content rules every provider shares — per-recipient rate limit on SMS and email, message content kept
 * out of every error — and turns failures into `NotifyDeliveryError` with the provider's reason.
 */
export class ConfiguredNotifier implements Notifier {
  private readonly providers = new Map<Channel, NotifyClient>();
  private readonly limiter: RecipientRateLimiter | null;

  constructor(
    private readonly conn: NotifyConnection,
    observe?: VendorCallObserver,
    opts: NotifierOptions = {},
  ) {
    const p = { observe, retry: opts.retry, timeoutMs: opts.timeoutMs };
    if (conn.sms) this.providers.set('sms', new TwilioSmsClient(conn.sms, p));
    if (conn.email?.provider === 'smtp') this.providers.set('email', new SmtpEmailClient(conn.email, p));
    if (conn.email?.provider === 'graph') this.providers.set('email', new GraphMailClient(conn.email, p));
    if (conn.teamsWebhookUrl) this.providers.set('teams', new TeamsWebhookClient(p));
    if (conn.slackWebhookUrl) this.providers.set('slack', new SlackWebhookClient(p));
    if (conn.pagingWebhook) this.providers.set('webhook', new SignedWebhookPager(conn.pagingWebhook.secret, p));
    const limit = opts.rateLimit === undefined ? recipientLimitFromEnv() : opts.rateLimit;
    this.limiter = limit ? new RecipientRateLimiter(limit) : null;
  }

  channels(): Channel[] {
    return [...this.providers.keys()];
  }

  defaultTarget(channel: 'teams' | 'slack' | 'webhook'): NotifyTarget | null {
    if (channel === 'teams') return this.conn.teamsWebhookUrl ? { channel, webhookUrl: this.conn.teamsWebhookUrl } : null;
    if (channel === 'slack') return this.conn.slackWebhookUrl ? { channel, webhookUrl: this.conn.slackWebhookUrl } : null;
    return this.conn.pagingWebhook ? { channel, url: this.conn.pagingWebhook.url } : null;
  }

  async deliveryStatus(channel: Channel, providerMessageId: string): Promise<DeliveryStatus | null> {
    const provider = this.providers.get(channel);
    return provider?.status ? provider.status(providerMessageId) : null;
  }

  async send(target: NotifyTarget, message: NotifyMessage): Promise<NotifyReceipt> {
    const provider = this.providers.get(target.channel);
    if (!provider) throw new NotifyDeliveryError(`no ${target.channel} provider configured`, 'notify', null, 'channel_not_configured');
    const key = recipientKey(target);
    if (key && this.limiter && !this.limiter.tryTake(key)) {
      const wait = Math.ceil(this.limiter.retryAfterMs(key) / 1000);
      throw new NotifyDeliveryError(`too many messages to this ${target.channel} recipient; next allowed in ${wait}s`, provider.provider, null, 'recipient_rate_limited', null, true);
    }
    try {
      return await provider.send(target, message);
    } catch (e) {
      const err = e instanceof NotifyDeliveryError ? e : new NotifyDeliveryError(`${provider.provider}: ${(e as Error).message}`, provider.provider, null, 'provider_unavailable', null, true);
      if (message.sensitive) err.message = scrub(err.message, message.body);
      throw err;
    }
  }
}

/** Rate-limit key of a person channel (normalised), null for shared channels (chat, paging: never throttled). */
function recipientKey(t: NotifyTarget): string | null {
  if (t.channel === 'sms') return `sms:${toE164(t.phone) ?? t.phone}`;
  if (t.channel === 'email') return `email:${t.address.trim().toLowerCase()}`;
  return null;
}

export function createNotifier(conn: NotifyConnection, observe?: VendorCallObserver, opts?: NotifierOptions): Notifier {
  return new ConfiguredNotifier(conn, observe, opts);
}
