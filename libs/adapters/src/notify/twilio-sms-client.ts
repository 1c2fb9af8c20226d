import { HttpClient, type RetryPolicy } from '../http/http-client';
import { VendorCallObserver } from '../observe';
import { deliveryFailure } from './http-failure';
import { NotifyDeliveryError } from './notify-errors';
import type { DeliveryStatus, NotifyClient, NotifyMessage, NotifyReceipt, NotifyTarget } from './notify-client';
import { toE164 } from './phone';

export interface TwilioSmsConfig {
  /** e.g. https://api.twilio.com (the adapter adds /2010-04-01/Accounts/...). */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  statusCallbackUrl: string | null;
}

export interface ProviderOptions {
  observe?: VendorCallObserver;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
}

/** Twilio error codes that mean "this number cannot get an SMS" (permanent for this recipient). */
const INVALID_NUMBER_CODES = new Set([21211, 21212, 21217, 21401, 21407, 21408, 21421, 21610, 21612, 21614]);

interface TwilioMessageResponse {
  sid?: unknown;
  status?: unknown;
  error_code?: unknown;
  error_message?: unknown;
}

/** SMS through Twilio's Messages resource (or any Twilio-compatible API): Basic auth with SID + token. */
export class TwilioSmsClient implements NotifyClient {
  readonly provider = 'twilio';
  readonly channels = ['sms'] as const;
  private readonly http: HttpClient;

  constructor(
    private readonly cfg: TwilioSmsConfig,
    opts: ProviderOptions = {},
  ) {
    this.http = new HttpClient({
      vendor: 'twilio', baseUrl: cfg.baseUrl, timeoutMs: opts.timeoutMs, onCall: opts.observe,
      // A 5xx after Twilio queued the message would send it twice on retry: retry only a little.
      retry: { attempts: 2, baseDelayMs: 300, maxDelayMs: 2000, ...opts.retry },
      headers: { authorization: `Basic ${Buffer.from(`${cfg.accountSid}:${cfg.authToken}`).toString('base64')}` },
    });
  }

  async status(sid: string): Promise<DeliveryStatus> {
    try {
      const res = await this.http.request<TwilioMessageResponse>({
        method: 'GET', path: `/2010-04-01/Accounts/${encodeURIComponent(this.cfg.accountSid)}/Messages/${encodeURIComponent(sid)}.json`,
      });
      return twilioDeliveryStatus(res.body);
    } catch (e) {
      throw deliveryFailure(e, 'twilio', () => null);
    }
  }

  async send(target: NotifyTarget, message: NotifyMessage): Promise<NotifyReceipt> {
    if (target.channel !== 'sms') throw new NotifyDeliveryError(`twilio cannot deliver to ${target.channel}`, 'twilio', null, 'channel_not_configured');
    const form = new URLSearchParams({ To: toE164(target.phone) ?? target.phone, From: this.cfg.from, Body: message.body });
    if (this.cfg.statusCallbackUrl) form.set('StatusCallback', this.cfg.statusCallbackUrl);
    try {
      const res = await this.http.request<TwilioMessageResponse>({
        method: 'POST', path: `/2010-04-01/Accounts/${encodeURIComponent(this.cfg.accountSid)}/Messages.json`,
        rawBody: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const status = String(res.body?.status ?? 'queued');
      return {
        providerMessageId: typeof res.body?.sid === 'string' ? res.body.sid : null,
        status: status === 'failed' || status === 'undelivered' ? 'failed' : status === 'sent' || status === 'delivered' ? 'sent' : 'queued',
        detail: status,
      };
    } catch (e) {
      throw deliveryFailure(e, 'twilio', (status, body) => {
        const parsed = parseTwilioError(body);
        // Twilio quotes the number; error text ends up in notes and logs, so only its last digits stay.
        const err = parsed ? { ...parsed, message: parsed.message.replace(/\+?\d[\d\s().-]{5,}\d/g, (n) => `…${n.replace(/\D/g, '').slice(-4)}`) } : null;
        if (err && INVALID_NUMBER_CODES.has(err.code)) return { reason: 'invalid_recipient', code: String(err.code), detail: `invalid number (${err.code}): ${err.message}` };
        if (err && (status === 401 || status === 403)) return { reason: 'auth', code: String(err.code), detail: `credentials refused (${err.code})` };
        if (err) return { reason: 'rejected', code: String(err.code), detail: `rejected (${err.code}): ${err.message}` };
        return null;
      });
    }
  }
}

/**
 * Twilio's message states: queued/accepted/sending/sent are on their way (`sent` is final only for
 * carriers without delivery receipts), delivered is final, undelivered and failed are failures with an
 * error code (30003 unreachable handset, 30005 unknown number, 30006 landline, 30007 filtered...).
 */
export function twilioDeliveryStatus(body: TwilioMessageResponse | null): DeliveryStatus {
  const status = String(body?.status ?? 'unknown');
  const errorCode = body?.error_code === null || body?.error_code === undefined ? null : String(body.error_code);
  const state = status === 'delivered' ? 'delivered' : status === 'undelivered' || status === 'failed' ? 'failed' : 'pending';
  const message = typeof body?.error_message === 'string' ? body.error_message : null;
  return { state, providerStatus: status, errorCode, detail: state === 'failed' ? `${status}${errorCode ? ` (error ${errorCode}${message ? `: ${message}` : ''})` : ''}` : null };
}

function parseTwilioError(body: string | null): { code: number; message: string } | null {
  try {
    const o = JSON.parse(body ?? '') as { code?: unknown; message?: unknown };
    return typeof o.code === 'number' ? { code: o.code, message: String(o.message ?? '') } : null;
  } catch {
    return null;
  }
}
