import { HttpClient } from '../http/http-client';
import { GraphTokenProvider } from '../identity/graph-token';
import { deliveryFailure } from './http-failure';
import { NotifyDeliveryError } from './notify-errors';
import type { NotifyClient, NotifyMessage, NotifyReceipt, NotifyTarget } from './notify-client';
import type { ProviderOptions } from './twilio-sms-client';

export interface GraphMailConfig {
  graphBaseUrl: string;
  loginBaseUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Mailbox the mail is sent from (UPN), e.g. the MSP's service desk mailbox. */
  sender: string;
}

/**
 * Email through Microsoft Graph `POST /users/{sender}/sendMail` (app-only, Mail.Send). Graph answers 202
 * once accepted; bounces come back later as NDRs to the sender's mailbox, not as errors here.
 */
export class GraphMailClient implements NotifyClient {
  readonly provider = 'graph';
  readonly channels = ['email'] as const;
  private readonly http: HttpClient;

  constructor(
    private readonly cfg: GraphMailConfig,
    opts: ProviderOptions = {},
  ) {
    const tokens = new GraphTokenProvider(cfg, opts);
    this.http = new HttpClient({
      vendor: 'graph', baseUrl: cfg.graphBaseUrl, timeoutMs: opts.timeoutMs, onCall: opts.observe,
      retry: { attempts: 2, baseDelayMs: 300, maxDelayMs: 2000, ...opts.retry }, authorize: (force) => tokens.headers(force),
    });
  }

  async send(target: NotifyTarget, message: NotifyMessage): Promise<NotifyReceipt> {
    if (target.channel !== 'email') throw new NotifyDeliveryError(`graph mail cannot deliver to ${target.channel}`, 'graph', null, 'channel_not_configured');
    try {
      await this.http.request({
        method: 'POST', path: `/users/${encodeURIComponent(this.cfg.sender)}/sendMail`,
        json: {
          message: { subject: message.subject ?? '', body: { contentType: 'Text', content: message.body }, toRecipients: [{ emailAddress: { address: target.address } }] },
          // A code or a temporary password must not linger in the desk mailbox's Sent Items.
          saveToSentItems: !message.sensitive,
        },
      });
      return { providerMessageId: null, status: 'sent', detail: 'accepted by Graph (202)' };
    } catch (e) {
      throw deliveryFailure(e, 'graph', (_status, body) => {
        const code = /"code"\s*:\s*"([^"]+)"/.exec(body ?? '')?.[1] ?? null;
        if (code === 'ErrorInvalidRecipients') return { reason: 'invalid_recipient', code, detail: `invalid recipient (${code})` };
        return null;
      });
    }
  }
}
