import { VendorAuthError, VendorError, VendorNotFoundError, VendorRateLimitError, VendorRequestError, VendorUnavailableError } from './errors';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface HttpClientOptions {
  vendor: string;
  baseUrl: string;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Headers for every request (static credentials). */
  headers?: Record<string, string>;
  /** Called before each attempt for dynamic auth (OAuth bearer); may refresh a token. */
  authorize?: (force: boolean) => Promise<Record<string, string>>;
  /** Observes every finished call (metrics). */
  onCall?: (info: { vendor: string; method: string; path: string; status: number | null; ms: number }) => void;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** JSON-serialised unless `rawBody` is given. */
  json?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /**
   * Whether a retry after a timeout, a dropped connection or a 500 is safe. Defaults to true except for
   * POST: a POST that may have been applied is not repeated (ticket or note created twice); it is still
   * retried on 429, 502, 503 and 504, where the vendor did not process it. Read-only POSTs (query
   * endpoints) set this to true.
   */
  idempotent?: boolean;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The one HTTP client every vendor adapter uses: timeouts, bounded retries with exponential backoff and
 * jitter on 5xx / network errors, Retry-After on 429, one re-authorisation on 401, typed errors.
 */
export class HttpClient {
  private readonly retry: RetryPolicy;
  constructor(private readonly opts: HttpClientOptions) {
    this.retry = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000, ...opts.retry };
  }

  get vendor(): string {
    return this.opts.vendor;
  }

  url(path: string, query?: HttpRequest['query']): string {
    const base = this.opts.baseUrl.replace(/\/+$/, '');
    const u = new URL(path.startsWith('http') ? path : base + (path.startsWith('/') ? path : '/' + path));
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) u.searchParams.set(k, String(v));
    return u.toString();
  }

  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const target = this.url(req.path, req.query);
    // Observers get the path only (no origin, no query): next-page links carry long query strings.
    const observedPath = new URL(target).pathname;
    let forceAuth = false;
    let authRetried = false;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let status: number | null = null;
      try {
        const auth = this.opts.authorize ? await this.opts.authorize(forceAuth) : {};
        const headers: Record<string, string> = { accept: 'application/json', ...this.opts.headers, ...auth, ...req.headers };
        let body: string | undefined;
        if (req.rawBody !== undefined) body = req.rawBody;
        else if (req.json !== undefined) {
          body = JSON.stringify(req.json);
          headers['content-type'] ??= 'application/json';
        }
        const res = await fetch(target, {
          method: req.method, headers, body, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15000),
        });
        status = res.status;
        const text = await res.text();
        this.opts.onCall?.({ vendor: this.vendor, method: req.method, path: observedPath, status, ms: Date.now() - started });
        if (res.ok) return { status, headers: res.headers, text, body: (text ? safeJson(text) : null) as T };
        if (status === 401 && this.opts.authorize && !authRetried) {
          authRetried = true; forceAuth = true; attempt--; continue;
        }
        const err = this.toError(req, status, text);
        const retriable = err instanceof VendorRateLimitError || (err instanceof VendorUnavailableError && (this.idempotent(req) || [502, 503, 504].includes(status)));
        if (!retriable || attempt >= this.retry.attempts) throw err;
        await sleep(status === 429 ? retryAfterMs(res.headers, this.retry.maxDelayMs) : this.backoff(attempt));
      } catch (e) {
        if (e instanceof VendorError) throw e;
        this.opts.onCall?.({ vendor: this.vendor, method: req.method, path: observedPath, status, ms: Date.now() - started });
        if (attempt >= this.retry.attempts || !this.idempotent(req)) {
          throw new VendorUnavailableError(`${this.vendor} ${req.method} ${req.path}: ${(e as Error).message}`, this.vendor, null);
        }
        await sleep(this.backoff(attempt));
      }
    }
  }

  private idempotent(req: HttpRequest): boolean {
    return req.idempotent ?? req.method !== 'POST';
  }

  private backoff(attempt: number): number {
    const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return exp / 2 + Math.random() * (exp / 2);
  }

  private toError(req: HttpRequest, status: number, text: string): VendorError {
    const msg = `${this.vendor} ${req.method} ${req.path} → ${status}: ${text.slice(0, 300)}`;
    if (status === 401 || status === 403) return new VendorAuthError(msg, this.vendor, status, text);
    if (status === 404) return new VendorNotFoundError(msg, this.vendor, status, text);
    if (status === 429) return new VendorRateLimitError(msg, this.vendor, status, text);
    if (status >= 500 || status === 408) return new VendorUnavailableError(msg, this.vendor, status, text);
    return new VendorRequestError(msg, this.vendor, status, text);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function retryAfterMs(h: Headers, cap: number): number {
  const v = h.get('retry-after');
  if (!v) return 1000;
  const secs = Number(v);
  const ms = Number.isFinite(secs) ? secs * 1000 : Math.max(0, Date.parse(v) - Date.now());
  return Math.min(Math.max(ms, 0), Math.max(cap, 60_000));
}
