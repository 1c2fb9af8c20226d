import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SandboxContext } from '../../core/context';
import { Directory } from './directory';
import { graphError, GraphQueryError } from './errors';
import { findTenant } from './tenants';
import { verifyToken } from './token';

/** Checks the bearer token and binds the request to the token's tenant: no token ever sees another tenant. */
export function graphAuth(ctx: SandboxContext): RequestHandler {
  return (req, res, next) => {
    const check = verifyToken(req.get('authorization'));
    if (!check.ok) return graphError(res, 401, 'InvalidAuthenticationToken', check.message);
    const tenant = findTenant(ctx.world, check.claims.tid);
    if (!tenant) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid tenant.');
    res.locals.principal = tenant.domain;
    res.locals.directory = new Directory(ctx.store, tenant);
    next();
  };
}

export function directoryOf(res: Response): Directory {
  const d: unknown = res.locals.directory;
  if (!(d instanceof Directory)) throw new Error('graph route reached without graphAuth');
  return d;
}

type AsyncHandler = (req: Request, res: Response, dir: Directory) => Promise<void> | void;

/** Wraps a route: hands it the tenant's directory, turns query errors into Graph 400s and crashes into 500s. */
export function route(fn: AsyncHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => fn(req, res, directoryOf(res)))
      .catch((e: unknown) => {
        if (e instanceof GraphQueryError) return graphError(res, 400, e.code, e.message);
        if (res.headersSent) return next(e);
        console.error(`graph ${req.method} ${req.originalUrl}: ${(e as Error).stack ?? String(e)}`);
        graphError(res, 500, 'generalException', 'An unexpected error occurred.');
      });
  };
}
