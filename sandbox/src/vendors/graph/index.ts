import { Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { mountAuthMethodRoutes } from './auth-methods-routes';
import { graphAuth } from './graph-auth';
import { mountGroupRoutes } from './groups-routes';
import { mountMailRoutes } from './mail-routes';
import { mountUserRoutes } from './users-routes';

export { mountGraphLogin } from './login-router';
export { LOCKOUT_PROPERTY } from './shapes';

/** Passwords never reach the call log (Graph's own audit log does not keep them either). */
function redactPasswords(body: unknown): unknown {
  if (!body || typeof body !== 'object' || !('passwordProfile' in body)) return undefined;
  const b = body as Record<string, unknown>;
  return { ...b, passwordProfile: { ...(b.passwordProfile as object), password: '[redacted]' } };
}

/** Microsoft Graph v1.0 (the Entra ID subset the desk uses), mounted at `/graph/v1.0`. */
export function mountGraph(ctx: SandboxContext): Router {
  const r = Router();
  r.use((req, res, next) => {
    const redacted = redactPasswords(req.body);
    if (redacted !== undefined) res.locals.callBody = redacted;
    next();
  });
  r.use(graphAuth(ctx));
  mountUserRoutes(r);
  mountGroupRoutes(r);
  mountAuthMethodRoutes(r);
  mountMailRoutes(ctx, r);
  return r;
}
