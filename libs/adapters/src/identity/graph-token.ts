import { HttpClient, type RetryPolicy } from '../http/http-client';
import { OAuthTokenCache } from '../http/oauth-token';
import { VendorCallObserver } from '../observe';

export interface GraphAppCredentials {
  /** Token endpoint base, e.g. https://login.microsoftonline.com */
  loginBaseUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Client-credentials access tokens for Microsoft Graph (the tenant's v2.0 token endpoint), cached and
 * shared by concurrent callers through the same OAuth cache the RMM adapters use.
 */
export class GraphTokenProvider {
  private readonly cache: OAuthTokenCache;

  constructor(
    creds: GraphAppCredentials,
    opts: { observe?: VendorCallObserver; retry?: Partial<RetryPolicy>; timeoutMs?: number } = {},
  ) {
    const http = new HttpClient({ vendor: 'graph', baseUrl: creds.loginBaseUrl, onCall: opts.observe, retry: opts.retry, timeoutMs: opts.timeoutMs });
    this.cache = new OAuthTokenCache(http, () => ({
      path: `/${encodeURIComponent(creds.tenantId)}/oauth2/v2.0/token`,
      form: { grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret, scope: 'https://graph.microsoft.com/.default' },
    }));
  }

  /** `Authorization` header for the next Graph request (`force` after a 401). */
  headers(force: boolean): Promise<Record<string, string>> {
    return this.cache.headers(force);
  }

  token(force = false): Promise<string> {
    return this.cache.token(force);
  }
}
