import { createHmac, timingSafeEqual } from 'node:crypto';
import { toE164 } from './phone';

type FormInput = URLSearchParams | string | Record<string, string | string[] | undefined>;

function toParams(form: FormInput): Record<string, string> {
  if (typeof form === 'string') return Object.fromEntries(new URLSearchParams(form));
  if (form instanceof URLSearchParams) return Object.fromEntries(form);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) if (v !== undefined) out[k] = Array.isArray(v) ? (v[0] ?? '') : v;
  return out;
}

function sign(url: string, params: Record<string, string>, authToken: string): Buffer {
  const data = Object.keys(params).sort().reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest();
}

/** The same URL with and without the scheme's default port: Twilio signs whichever form it called. */
function urlVariants(url: string): string[] {
  const m = /^(https?):\/\/([^/:?#]+)(?::(\d+))?(.*)$/i.exec(url);
  if (!m) return [url];
  const [, scheme, host, port, rest] = m;
  const def = scheme.toLowerCase() === 'https' ? '443' : '80';
  if (port === undefined) return [url, `${scheme}://${host}:${def}${rest}`];
  return port === def ? [url, `${scheme}://${host}${rest}`] : [url];
}

/**
 * Checks `X-Twilio-Signature` as Twilio documents it: base64(HMAC-SHA1(authToken, fullUrl + each POST
 * parameter name+value sorted by name)), compared in constant time. `url` is the exact URL Twilio
 * requested (scheme, host, path and query string).
 */
export function verifyTwilioSignature(url: string, params: FormInput, signature: string | undefined | null, authToken: string): boolean {
  if (!signature) return false;
  const given = Buffer.from(signature, 'base64');
  const p = toParams(params);
  return urlVariants(url).some((u) => {
    const want = sign(u, p, authToken);
    return want.length === given.length && timingSafeEqual(want, given);
  });
}

export interface TwilioInboundSms {
  messageSid: string;
  accountSid: string;
  /** Sender in E.164 (as Twilio gives it). */
  from: string;
  to: string;
  body: string;
  numMedia: number;
  mediaUrls: string[];
}

/** An inbound SMS webhook's form (after the signature check); null when it is not one. */
export function parseTwilioInbound(form: FormInput): TwilioInboundSms | null {
  const p = toParams(form);
  const sid = p.MessageSid ?? p.SmsMessageSid ?? p.SmsSid;
  if (!sid || !p.From || !p.To || !p.AccountSid || p.Body === undefined) return null;
  const numMedia = Number(p.NumMedia ?? 0) || 0;
  return {
    messageSid: sid, accountSid: p.AccountSid, from: toE164(p.From) ?? p.From, to: toE164(p.To) ?? p.To, body: p.Body, numMedia,
    mediaUrls: Array.from({ length: numMedia }, (_, i) => p[`MediaUrl${i}`]).filter((u): u is string => typeof u === 'string'),
  };
}
