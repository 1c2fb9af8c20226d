import { Router, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { SandboxContext } from '../../core/context';
import { findTenant } from './tenants';
import { issueToken, SANDBOX_APP, tokenTtlSeconds } from './token';

/** Entra's token error body (`error`, `error_description` with the AADSTS code, `error_codes`...). */
function aadError(res: Response, status: number, error: string, code: number, description: string): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z';
  res.status(status).json({
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code], timestamp, trace_id: traceId, correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

function basicCredentials(req: Request): { id: string; secret: string } | null {
  const m = /^Basic\s+(.+)$/i.exec(req.get('authorization') ?? '');
  if (!m) return null;
  const raw = Buffer.from(m[1], 'base64').toString('utf8');
  const i = raw.indexOf(':');
  return i < 0 ? null : { id: decodeURIComponent(raw.slice(0, i)), secret: decodeURIComponent(raw.slice(i + 1)) };
}

/** `POST /login/{tenant}/oauth2/v2.0/token`: the client-credentials grant of the Microsoft identity platform. */
export function mountGraphLogin(ctx: SandboxContext): Router {
  const r = Router();
  r.post('/:tenant/oauth2/v2.0/token', (req, res) => {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    // The call log keeps the request without the secret.
    res.locals.callBody = { ...form, ...(form.client_secret ? { client_secret: '[redacted]' } : {}) };
    const tenant = findTenant(ctx.world, String(req.params.tenant));
    if (!tenant) {
      return aadError(res, 400, 'invalid_request', 90002, `Tenant '${String(req.params.tenant)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    res.locals.principal = tenant.domain;
    if (form.grant_type !== 'client_credentials') {
      return aadError(res, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.grant_type ?? ''}'.`);
    }
    const basic = basicCredentials(req);
    const clientId = basic?.id ?? form.client_id;
    const secret = basic?.secret ?? form.client_secret;
    if (!clientId) return aadError(res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    if (clientId !== SANDBOX_APP.clientId) {
      return aadError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant.domain}'.`);
    }
    if (!secret) return aadError(res, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    if (secret !== SANDBOX_APP.clientSecret) {
      return aadError(res, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
    }
    const scopes = (form.scope ?? '').split(/\s+/).filter(Boolean);
    if (!scopes.includes('https://graph.microsoft.com/.default')) {
      return aadError(res, 400, 'invalid_scope', 1002012, `The provided value for scope ${form.scope ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const ttl = tokenTtlSeconds();
    res.json({ token_type: 'Bearer', expires_in: ttl, ext_expires_in: ttl, access_token: issueToken(tenant.id, clientId, SANDBOX_APP.roles, ttl) });
  });
  return r;
}
