import { VendorAuthError, VendorUnavailableError } from '../../http/errors';

/**
 * Client-credentials token for the Halo API, cached until shortly before it expires and fetched again
 * when the API answers 401 (revoked or expired early).
 */
export class HaloTokenSource {
  private token: { value: string; expiresAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(private readonly opts: { baseUrl: string; tenant: string | null; clientId: string; clientSecret: string; timeoutMs?: number }) {}

  async header(force: boolean): Promise<Record<string, string>> {
    if (force) this.token = null;
    if (this.token && this.token.expiresAt > Date.now()) return { authorization: `Bearer ${this.token.value}` };
    this.inflight ??= this.fetch().finally(() => (this.inflight = null));
    return { authorization: `Bearer ${await this.inflight}` };
  }

  private async fetch(): Promise<string> {
    const u = new URL(`${this.opts.baseUrl.replace(/\/+$/, '')}/auth/token`);
    if (this.opts.tenant) u.searchParams.set('tenant', this.opts.tenant);
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.opts.clientId, client_secret: this.opts.clientSecret, scope: 'all' });
    let res: Response;
    try {
      res = await fetch(u, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15000) });
    } catch (e) {
      throw new VendorUnavailableError(`halopsa token: ${(e as Error).message}`, 'halopsa', null);
    }
    const text = await res.text();
    if (res.status === 400 || res.status === 401 || res.status === 403) throw new VendorAuthError(`halopsa token refused: ${text.slice(0, 200)}`, 'halopsa', res.status, text);
    if (!res.ok) throw new VendorUnavailableError(`halopsa token: ${res.status}`, 'halopsa', res.status, text);
    const j = JSON.parse(text) as { access_token?: string; expires_in?: number };
    if (!j.access_token) throw new VendorAuthError('halopsa token response without access_token', 'halopsa', res.status, text);
    // Renew a minute early (or at half-life for short tokens) so a request never leaves with a token about to lapse.
    const ttl = (j.expires_in ?? 3600) * 1000;
    this.token = { value: j.access_token, expiresAt: Date.now() + Math.max(ttl / 2, ttl - 60_000) };
    return j.access_token;
  }
}
