import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * App-only access tokens, shaped like Entra's (a signed JWT with `tid`, `appid`, `roles`, `exp`), so that
 * clients which peek into the token (or just pass it along) behave as with the real service. They are
 * stateless: the sandbox verifies its own HMAC signature, no token table to reset.
 */
export interface GraphClaims {
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  roles: string[];
  iat: number;
  nbf: number;
  exp: number;
  uti: string;
}

/** The one application registered (and admin-consented) in every sandbox tenant. */
export const SANDBOX_APP = {
  clientId: 'sandbox-graph-client',
  clientSecret: 'sandbox-graph-secret',
  roles: ['User.ReadWrite.All', 'User-PasswordProfile.ReadWrite.All', 'GroupMember.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All', 'Mail.Send'],
};

const signingKey = (): string => process.env.SANDBOX_GRAPH_SIGNING_KEY ?? 'sandbox-graph-token-signing-key';
/** Lifetime in seconds; tests shorten it (SANDBOX_GRAPH_TOKEN_TTL) to exercise refresh. */
export const tokenTtlSeconds = (): number => Number(process.env.SANDBOX_GRAPH_TOKEN_TTL ?? 3599) || 3599;

const b64 = (s: string): string => Buffer.from(s).toString('base64url');
const sign = (data: string): string => createHmac('sha256', signingKey()).update(data).digest('base64url');

export function issueToken(tenantId: string, appId: string, roles: string[], ttlSeconds: number): string {
  const now = Math.floor(Date.now() / 1000);
  const claims: GraphClaims = {
    aud: 'https://graph.microsoft.com', iss: `https://sts.windows.net/${tenantId}/`, tid: tenantId, appid: appId,
    roles, iat: now, nbf: now, exp: now + ttlSeconds, uti: randomUUID(),
  };
  const head = `${b64(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))}.${b64(JSON.stringify(claims))}`;
  return `${head}.${sign(head)}`;
}

export type TokenCheck = { ok: true; claims: GraphClaims } | { ok: false; message: string };

/** Messages follow what Graph answers for each case (empty, malformed, bad signature, expired). */
export function verifyToken(authorization: string | undefined): TokenCheck {
  const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (!m || !m[1].trim()) return { ok: false, message: 'Access token is empty.' };
  const parts = m[1].trim().split('.');
  if (parts.length !== 3) return { ok: false, message: 'IDX14100: JWT is not well formed, there are no dots (.).' };
  const expected = Buffer.from(sign(`${parts[0]}.${parts[1]}`));
  const given = Buffer.from(parts[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, message: 'Access token validation failure. Invalid signature.' };
  }
  let claims: GraphClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as GraphClaims;
  } catch {
    return { ok: false, message: 'IDX14102: Unable to decode the payload as Base64Url encoded string.' };
  }
  if (claims.aud !== 'https://graph.microsoft.com') return { ok: false, message: 'Invalid audience.' };
  if (claims.exp * 1000 <= Date.now()) return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
  return { ok: true, claims };
}
