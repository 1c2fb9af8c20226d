import { VendorAuthError, VendorRequestError, VendorResponseError } from './errors';
import type { HttpClient } from './http-client';

/**
 * An OAuth access token fetched with `fetchToken`, cached until shortly before it expires and fetched again
 * on demand (`force` after a 401). Concurrent callers share one token request.
 */
export class OAuthTokenCache {
  private cached: { token: string; refreshAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(
    private readonly http: HttpClient,
    private readonly request: () => { path: string; form: Record<string, string>; headers?: Record<string, string> },
  ) {}

  async headers(force: boolean): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.token(force)}` };
  }

  async token(force = false): Promise<string> {
    if (!force && this.cached && Date.now() < this.cached.refreshAt) return this.cached.token;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async fetchToken(): Promise<string> {
    const { path, form, headers } = this.request();
    let res;
    try {
      res = await this.http.request<{ access_token?: unknown; expires_in?: unknown }>({
        method: 'POST', path, rawBody: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
    } catch (e) {
      // OAuth servers answer bad credentials with 400 invalid_grant / invalid_client (RFC 6749 5.2): that is an auth failure.
      if (e instanceof VendorRequestError && /invalid_(grant|client)/.test(e.body ?? '')) throw new VendorAuthError(e.message, e.vendor, e.status, e.body);
      throw e;
    }
    const token = res.body?.access_token;
    if (typeof token !== 'string' || !token) throw new VendorResponseError(`${this.http.vendor} token response without access_token`, this.http.vendor, res.status, null);
    const lifetimeMs = (Number(res.body?.expires_in) || 3600) * 1000;
    // Refresh 5 minutes early (half-way for short-lived tokens) so no request carries an expiring token.
    this.cached = { token, refreshAt: Date.now() + lifetimeMs - Math.min(300_000, lifetimeMs / 2) };
    return token;
  }
}
