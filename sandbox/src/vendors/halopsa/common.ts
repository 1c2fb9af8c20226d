import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const HALO_CLIENT_ID = 'sandbox-halo-client';
export const HALO_CLIENT_SECRET = 'sandbox-halo-secret';
export const HALO_TENANT = 'harborline';
/** Agent the API application acts as (notes and time entries it writes are its own). */
export const HALO_API_AGENT = 'L1Agent';

export type Doc = Record<string, unknown>;
export const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
export const q = (req: Request) => req.query as Record<string, unknown>;
export const truthy = (v: unknown) => v === true || (typeof v === 'string' && ['true', '1', 'yes'].includes(v.toLowerCase()));
export const int = (v: unknown): number | null => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));

/**
 * Bearer tokens from the client-credentials grant. In memory (a restart or a token older than the TTL
 * means re-authenticating, as with the vendor). TTL from SANDBOX_HALO_TOKEN_TTL (seconds, default 3600).
 */
export class HaloTokens {
  private readonly tokens = new Map<string, number>();
  readonly ttlSec = Math.max(1, Number(process.env.SANDBOX_HALO_TOKEN_TTL ?? 3600));

  issue(): { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string } {
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, Date.now() + this.ttlSec * 1000);
    return { access_token: token, token_type: 'Bearer', expires_in: this.ttlSec, scope: 'all' };
  }

  valid(token: string): boolean {
    const exp = this.tokens.get(token);
    if (exp === undefined) return false;
    if (exp < Date.now()) {
      this.tokens.delete(token);
      return false;
    }
    return true;
  }

  /** Bearer check for /api: 401 with an empty body and a WWW-Authenticate challenge, as the vendor's API does. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
      if (!m) {
        res.status(401).set('WWW-Authenticate', 'Bearer').end();
        return;
      }
      if (!this.valid(m[1].trim())) {
        res.status(401).set('WWW-Authenticate', 'Bearer error="invalid_token", error_description="The access token is invalid or has expired"').end();
        return;
      }
      res.locals.principal = HALO_CLIENT_ID;
      next();
    };
  }
}

/** Halo list envelope: `{page_no, page_size, record_count, <key>: [...]}` when `pageinate=true`, else all rows. */
export function haloList(req: Request, rows: Doc[], key: string): Doc {
  const query = q(req);
  let out = rows;
  const order = typeof query.order === 'string' && query.order ? query.order : null;
  if (order) {
    const desc = truthy(query.orderdesc);
    out = [...out].sort((a, b) => {
      const x = a[order] as string | number | null;
      const y = b[order] as string | number | null;
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * (desc ? -1 : 1);
    });
  }
  const count = int(query.count);
  if (truthy(query.pageinate)) {
    const size = Math.max(1, int(query.page_size) ?? 50);
    const page = Math.max(1, int(query.page_no) ?? 1);
    return { page_no: page, page_size: size, record_count: out.length, [key]: out.slice((page - 1) * size, page * size) };
  }
  return { record_count: out.length, [key]: count ? out.slice(0, count) : out };
}

export function badRequest(res: Response, message: string): void {
  res.status(400).json(message);
}
