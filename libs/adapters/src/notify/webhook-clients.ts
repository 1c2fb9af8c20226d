import { createHmac } from 'node:crypto';
import { HttpClient } from '../http/http-client';
import { deliveryFailure } from './http-failure';
import { NotifyDeliveryError } from './notify-errors';
import type { NotifyClient, NotifyMessage, NotifyReceipt, NotifyTarget } from './notify-client';
import type { ProviderOptions } from './twilio-sms-client';

const client = (vendor: string, opts: ProviderOptions) =>
  new HttpClient({ vendor, baseUrl: 'http://localhost', timeoutMs: opts.timeoutMs, onCall: opts.observe, retry: { attempts: 2, baseDelayMs: 300, maxDelayMs: 2000, ...opts.retry } });

/** Chat channels are read by many people: secrets never go there, whoever asks. */
function refuseSecrets(vendor: string, message: NotifyMessage): void {
  if (message.sensitive) throw new NotifyDeliveryError(`${vendor} is a shared channel: sensitive content refused`, vendor, null, 'channel_not_allowed');
}

function urlOf(target: NotifyTarget, channel: 'teams' | 'slack' | 'webhook', vendor: string): string {
  if (target.channel !== channel) throw new NotifyDeliveryError(`${vendor} cannot deliver to ${target.channel}`, vendor, null, 'channel_not_configured');
  return target.channel === 'webhook' ? target.url : (target as { webhookUrl: string }).webhookUrl;
}

/** Microsoft Teams incoming webhook with an Adaptive Card (title + text). */
export class TeamsWebhookClient implements NotifyClient {
  readonly provider = 'teams';
  readonly channels = ['teams'] as const;
  private readonly http: HttpClient;
  constructor(opts: ProviderOptions = {}) {
    this.http = client('teams', opts);
  }

  async send(target: NotifyTarget, message: NotifyMessage): Promise<NotifyReceipt> {
    refuseSecrets('teams', message);
    const url = urlOf(target, 'teams', 'teams');
    const body = [
      ...(message.subject ? [{ type: 'TextBlock', text: message.subject, weight: 'Bolder', size: 'Medium', wrap: true, ...(message.severity === 'critical' || message.severity === 'error' ? { color: 'Attention' } : {}) }] : []),
      { type: 'TextBlock', text: message.body, wrap: true },
    ];
    try {
      const res = await this.http.request<unknown>({
        method: 'POST', path: url,
        json: { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body } }] },
      });
      // Connector webhooks answer 200 with an error sentence instead of "1" when Teams refused the card.
      if (res.status === 200 && res.text && res.text.trim() !== '1' && /fail|error/i.test(res.text)) {
        throw new NotifyDeliveryError(`teams refused the card: ${res.text.slice(0, 200)}`, 'teams', res.status, 'rejected');
      }
      return { providerMessageId: null, status: 'sent', detail: res.text.slice(0, 100) || String(res.status) };
    } catch (e) {
      throw deliveryFailure(e, 'teams');
    }
  }
}

/** Slack incoming webhook with Block Kit (header + mrkdwn section) and a plain-text fallback. */
export class SlackWebhookClient implements NotifyClient {
  readonly provider = 'slack';
  readonly channels = ['slack'] as const;
  private readonly http: HttpClient;
  constructor(opts: ProviderOptions = {}) {
    this.http = client('slack', opts);
  }

  async send(target: NotifyTarget, message: NotifyMessage): Promise<NotifyReceipt> {
    refuseSecrets('slack', message);
    const url = urlOf(target, 'slack', 'slack');
    const blocks = [
      ...(message.subject ? [{ type: 'header', text: { type: 'plain_text', text: message.subject.slice(0, 150), emoji: true } }] : []),
      { type: 'section', text: { type: 'mrkdwn', text: message.body.slice(0, 3000) } },
    ];
    try {
      const res = await this.http.request<unknown>({ method: 'POST', path: url, json: { text: message.subject ? `${message.subject}: ${message.body}` : message.body, blocks } });
      return { providerMessageId: null, status: 'sent', detail: res.text.slice(0, 100) };
    } catch (e) {
      throw deliveryFailure(e, 'slack', (_s, body) => (body ? { reason: 'rejected', code: body.trim().slice(0, 50), detail: `rejected: ${body.trim().slice(0, 100)}` } : null));
    }
  }
}

/** Header of the signed paging webhook: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export const PAGING_SIGNATURE_HEADER = 'X-Desk-Signature';

export function signPagingPayload(secret: string, rawBody: string, unixSeconds = Math.floor(Date.now() / 1000)): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex')}`;
}

/** A generic paging tool's event webhook, signed so the receiver can trust it came from the desk. */
export class SignedWebhookPager implements NotifyClient {
  readonly provider = 'paging';
  readonly channels = ['webhook'] as const;
  private readonly http: HttpClient;
  constructor(
    private readonly secret: string,
    opts: ProviderOptions = {},
  ) {
    this.http = client('paging', opts);
  }

  async send(target: NotifyTarget, message: NotifyMessage): Promise<NotifyReceipt> {
    refuseSecrets('paging', message);
    const url = urlOf(target, 'webhook', 'paging');
    const raw = JSON.stringify({
      summary: message.subject ?? message.body.split('\n')[0].slice(0, 200), text: message.body, severity: message.severity ?? 'info',
      source: 'msp-service-desk', ...(message.dedupKey ? { dedupKey: message.dedupKey } : {}), sentAt: new Date().toISOString(),
    });
    try {
      // Signed per attempt would be better for long retries; the tolerance (5 min) covers ours.
      const res = await this.http.request<{ id?: unknown; dedupKey?: unknown }>({
        method: 'POST', path: url, rawBody: raw, headers: { 'content-type': 'application/json', [PAGING_SIGNATURE_HEADER]: signPagingPayload(this.secret, raw) },
      });
      return { providerMessageId: typeof res.body?.id === 'string' ? res.body.id : null, status: 'sent', detail: typeof res.body?.dedupKey === 'string' ? res.body.dedupKey : null };
    } catch (e) {
      throw deliveryFailure(e, 'paging');
    }
  }
}
