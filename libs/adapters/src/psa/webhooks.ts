import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { PsaConnection } from '../config/connections';
import { VendorAuthError, VendorUnavailableError } from '../http/errors';

/** Header bags as Node and most frameworks expose them (names in any case, values string or string[]). */
export type WebhookHeaders = Record<string, string | string[] | undefined> | Headers;

function header(h: WebhookHeaders, name: string): string | null {
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name);
  const rec = h as Record<string, string | string[] | undefined>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : rec[key];
  return Array.isArray(v) ? v[0] ?? null : v ?? null;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseJson(rawBody: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(rawBody) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export interface PsaWebhookEvent {
  ticketId: string;
  /** Vendor action, normalised: created, updated, deleted (or the vendor's own word when it is another). */
  action: string;
}

// ---- ConnectWise PSA callbacks ----

/**
 * Verifies `x-content-signature` = base64(HMAC-SHA256(key = SHA256(signing_key), rawBody)), where the
 * signing key is fetched from the payload's `Metadata.key_url` by `fetchKey` (which must refuse hosts
 * that are not allow-listed: see `connectWiseKeyFetcher`).
 */
export async function verifyConnectWiseCallback(rawBody: string, headers: WebhookHeaders, fetchKey: (keyUrl: string) => Promise<string>): Promise<boolean> {
  const sig = header(headers, 'x-content-signature');
  const body = parseJson(rawBody);
  const keyUrl = (body?.Metadata as { key_url?: unknown } | undefined)?.key_url;
  if (!sig || typeof keyUrl !== 'string') return false;
  let signingKey: string;
  try {
    signingKey = await fetchKey(keyUrl);
  } catch {
    return false;
  }
  const key = createHash('sha256').update(signingKey).digest();
  return safeEqual(createHmac('sha256', key).update(rawBody).digest('base64'), sig);
}

/**
 * Fetches callback signing keys only from allow-listed hosts (`callbackKeyHosts`; a leading `*.` matches
 * subdomains), caching each key URL for `ttlMs`: a forged payload cannot point us at its own key.
 */
export function connectWiseKeyFetcher(allowedHosts: string[], opts: { ttlMs?: number; timeoutMs?: number } = {}): (keyUrl: string) => Promise<string> {
  const cache = new Map<string, { key: string; until: number }>();
  const allowed = (host: string) => allowedHosts.some((a) => {
    const h = a.toLowerCase();
    return h.startsWith('*.') ? host.endsWith(h.slice(1)) : host === h;
  });
  return async (keyUrl: string) => {
    const u = new URL(keyUrl);
    if (!allowed(u.hostname.toLowerCase())) throw new VendorAuthError(`connectwise key_url host ${u.hostname} is not allow-listed`, 'connectwise', null);
    const hit = cache.get(keyUrl);
    if (hit && hit.until > Date.now()) return hit.key;
    let res: Response;
    try {
      res = await fetch(u, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
    } catch (e) {
      throw new VendorUnavailableError(`connectwise key_url: ${(e as Error).message}`, 'connectwise', null);
    }
    const body = parseJson(await res.text());
    if (!res.ok || typeof body?.signing_key !== 'string') throw new VendorUnavailableError(`connectwise key_url answered ${res.status}`, 'connectwise', res.status);
    cache.set(keyUrl, { key: body.signing_key, until: Date.now() + (opts.ttlMs ?? 10 * 60_000) });
    return body.signing_key;
  };
}

export function parseConnectWiseCallback(rawBody: string): PsaWebhookEvent | null {
  const b = parseJson(rawBody);
  if (!b || String(b.Type ?? '').toLowerCase() !== 'ticket' || (typeof b.ID !== 'number' && typeof b.ID !== 'string')) return null;
  const a = String(b.Action ?? '').toLowerCase();
  return { ticketId: String(b.ID), action: a === 'added' ? 'created' : a };
}

// ---- HaloPSA webhooks ----

/** Halo authenticates its deliveries with the Basic credentials set on the webhook. */
export function verifyHaloWebhook(headers: WebhookHeaders, conn: Pick<Extract<PsaConnection, { system: 'halopsa' }>, 'webhookUsername' | 'webhookPassword'>): boolean {
  const m = /^Basic\s+(.+)$/i.exec(header(headers, 'authorization') ?? '');
  if (!m) return false;
  return safeEqual(Buffer.from(m[1], 'base64').toString('utf8'), `${conn.webhookUsername}:${conn.webhookPassword}`);
}

export function parseHaloWebhook(rawBody: string): PsaWebhookEvent | null {
  const b = parseJson(rawBody);
  if (!b) return null;
  const ticket = b.ticket as { id?: unknown } | undefined;
  const id = b.ticket_id ?? ticket?.id;
  if (typeof id !== 'number' && typeof id !== 'string') return null;
  const ev = String(b.event ?? '').toLowerCase();
  return { ticketId: String(id), action: /new|logged|creat/.test(ev) ? 'created' : 'updated' };
}

// ---- Autotask webhooks ----

/** `X-Hook-Signature: sha1=base64(HMAC-SHA1(SecretKey, rawBody))`. */
export function verifyAutotaskWebhook(rawBody: string, headers: WebhookHeaders, secret: string): boolean {
  const sig = header(headers, 'x-hook-signature');
  if (!sig) return false;
  return safeEqual(`sha1=${createHmac('sha1', secret).update(rawBody).digest('base64')}`, sig);
}

export function parseAutotaskWebhook(rawBody: string): PsaWebhookEvent | null {
  const b = parseJson(rawBody);
  if (!b || String(b.EntityType ?? '').toLowerCase() !== 'ticket' || (typeof b.Id !== 'number' && typeof b.Id !== 'string')) return null;
  const a = String(b.Action ?? '').toLowerCase();
  return { ticketId: String(b.Id), action: a === 'create' ? 'created' : a === 'update' ? 'updated' : a === 'delete' ? 'deleted' : a };
}
