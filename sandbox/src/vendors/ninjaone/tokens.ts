import { randomBytes } from 'node:crypto';
import type { RmmVendor } from './rmm-state';

/**
 * OAuth access tokens the two RMMs issue. In memory: a token is a credential of the running process, and
 * revoking them (admin) is how the adapters' refresh-on-401 is tested. Lifetime: SANDBOX_RMM_TOKEN_TTL_S
 * (default 3600 s, NinjaOne's; Datto's real tokens live ~100 h).
 */
interface Issued {
  system: RmmVendor;
  principal: string;
  expiresAt: number;
}

const issued = new Map<string, Issued>();

export function tokenTtlSeconds(): number {
  return Number(process.env.SANDBOX_RMM_TOKEN_TTL_S ?? 3600) || 3600;
}

export function issueToken(system: RmmVendor, principal: string): { token: string; expiresIn: number } {
  const expiresIn = tokenTtlSeconds();
  const token = randomBytes(24).toString('base64url');
  issued.set(token, { system, principal, expiresAt: Date.now() + expiresIn * 1000 });
  if (issued.size > 10_000) {
    const now = Date.now();
    for (const [k, v] of issued) if (v.expiresAt < now) issued.delete(k);
  }
  return { token, expiresIn };
}

/** The principal of a valid bearer token of `system`, or null. */
export function checkBearer(system: RmmVendor, authorization: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  const t = m ? issued.get(m[1]) : undefined;
  if (!t || t.system !== system || t.expiresAt < Date.now()) return null;
  return t.principal;
}

export function revokeTokens(system: RmmVendor): number {
  let n = 0;
  for (const [k, v] of issued) {
    if (v.system === system) {
      issued.delete(k);
      n++;
    }
  }
  return n;
}

/** `client_id`/`client_secret` from the form body, or from a Basic header (both are OAuth-legal). */
export function basicCredentials(authorization: string | undefined): { user: string; password: string } | null {
  const m = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return null;
  const [user, ...rest] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
  return { user, password: rest.join(':') };
}
