import { HttpClient, type RetryPolicy } from '../http/http-client';
import { VendorResponseError } from '../http/errors';
import { VendorCallObserver } from '../observe';

export interface GraphAppCredentials {
  /** Token endpoint base, e.g. https://login.microsoftonline.com */
  loginBaseUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

interface TokenResponse {
  token_type?: unknown;
  access_token?: unknown;
  expires_in?: unknown;
}

/**
 * Client-credentials access tokens for Microsoft Graph, cached until shortly before they expire and
 * refetched on demand (`force` after a 401). Concurrent callers share one token request.
 */
export class GraphTokenProvider {
  private readonly http: HttpClient;
  private cached: { token: string; refreshAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(
    private readonly creds: GraphAppCredentials,
    opts: { observe?: VendorCallObserver; retry?: Partial<RetryPolicy>; timeoutMs?: number } = {},
  ) {
    this.http = new HttpClient({ vendor: 'graph', baseUrl: creds.loginBaseUrl, onCall: opts.observe, retry: opts.retry, timeoutMs: opts.timeoutMs });
  }

  /** `Authorization` header for the next Graph request. */
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
    const form = new URLSearchParams({
      grant_type: 'client_credentials', client_id: this.creds.clientId, client_secret: this.creds.clientSecret, scope: 'https://graph.microsoft.com/.default',
    });
    const res = await this.http.request<TokenResponse>({
      method: 'POST', path: `/${encodeURIComponent(this.creds.tenantId)}/oauth2/v2.0/token`,
      rawBody: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const { access_token: token, expires_in: expiresIn } = res.body ?? {};
    if (typeof token !== 'string' || !token) throw new VendorResponseError('graph token response without access_token', 'graph', res.status, null);
    const lifetimeMs = (typeof expiresIn === 'number' ? expiresIn : Number(expiresIn) || 3599) * 1000;
    // Refresh 5 minutes early, or half-way for short-lived tokens, so no request carries an expiring token.
    this.cached = { token, refreshAt: Date.now() + lifetimeMs - Math.min(300_000, lifetimeMs / 2) };
    return token;
  }
}
