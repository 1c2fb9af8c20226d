import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of two strings (different lengths never match, without leaking where). */
export function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ba.length !== bb.length) {
    timingSafeEqual(ba, ba);
    return false;
  }
  return timingSafeEqual(ba, bb);
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * ConnectWise PSA callback: `x-content-signature` = base64(HMAC-SHA256(key = SHA256(signing_key), raw body)).
 * The signing key itself comes from Metadata.key_url (fetched by the caller from an allow-listed host).
 */
export function verifyConnectWiseSignature(rawBody: Buffer, signature: string | undefined, signingKey: string): Verdict {
  if (!signature) return { ok: false, reason: 'missing x-content-signature header' };
  const key = createHash('sha256').update(signingKey).digest();
  const expected = createHmac('sha256', key).update(rawBody).digest('base64');
  return safeEqual(expected, signature.trim()) ? { ok: true } : { ok: false, reason: 'x-content-signature does not match the body' };
}

/** HaloPSA webhook: Basic auth with the username/password registered on the webhook. */
export function verifyHaloBasicAuth(authorization: string | undefined, username: string, password: string): Verdict {
  if (!authorization) return { ok: false, reason: 'missing Authorization header (Basic auth expected)' };
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!m) return { ok: false, reason: 'Authorization is not Basic auth' };
  const given = Buffer.from(m[1]!, 'base64').toString('utf8');
  return safeEqual(given, `${username}:${password}`) ? { ok: true } : { ok: false, reason: 'webhook credentials do not match' };
}

/** Autotask webhook: `X-Hook-Signature: sha1=<base64(HMAC-SHA1(SecretKey, raw body))>`. */
export function verifyAutotaskSignature(rawBody: Buffer, signature: string | undefined, secret: string): Verdict {
  if (!signature) return { ok: false, reason: 'missing X-Hook-Signature header' };
  const given = signature.trim().replace(/^sha1=/i, '');
  const expected = createHmac('sha1', secret).update(rawBody).digest('base64');
  return safeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'X-Hook-Signature does not match the body' };
}

/**
 * Replay window for a signed timestamp: a delivery older (or further in the future) than `windowSeconds`
 * is refused even with a valid signature, so a captured request cannot be replayed later.
 */
export function checkReplayWindow(eventTime: string | null | undefined, now: Date, windowSeconds: number): Verdict {
  if (!eventTime) return { ok: true };
  const t = Date.parse(eventTime);
  if (Number.isNaN(t)) return { ok: false, reason: `event time "${eventTime}" is not a date` };
  const skew = Math.abs(now.getTime() - t) / 1000;
  return skew <= windowSeconds ? { ok: true } : { ok: false, reason: `event time is outside the ${windowSeconds}s replay window` };
}

/**
 * Twilio request validation: base64(HMAC-SHA1(auth token, full URL + each POST param name+value sorted by name)).
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params).sort().reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export function verifyTwilio(authToken: string, url: string, params: Record<string, string>, signature: string | undefined): Verdict {
  if (!signature) return { ok: false, reason: 'missing X-Twilio-Signature header' };
  return safeEqual(twilioSignature(authToken, url, params), signature.trim()) ? { ok: true } : { ok: false, reason: 'X-Twilio-Signature does not match' };
}

/** Bearer / shared-token check for channels whose sender only shares a secret (alerts, inbound mail relay). */
export function verifySharedToken(given: string | undefined, expected: string, what: string): Verdict {
  if (!given) return { ok: false, reason: `missing ${what}` };
  const token = given.replace(/^Bearer\s+/i, '').trim();
  return safeEqual(token, expected) ? { ok: true } : { ok: false, reason: `${what} is not valid` };
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
