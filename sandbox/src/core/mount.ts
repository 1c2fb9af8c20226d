import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response, type Router } from 'express';
import type { SandboxContext } from './context';

/** Raw request body as received, for vendors whose protocol signs or hashes it. */
export function rawBodyOf(req: Request): string {
  return (req as Request & { rawBody?: string }).rawBody ?? '';
}

const keepRaw = (req: Request, _res: Response, buf: Buffer) => {
  (req as Request & { rawBody?: string }).rawBody = buf.toString('utf8');
};

/**
 * Records the call once the response is done: vendor, method, original path, status, the parsed JSON
 * body (or `res.locals.callBody` when the vendor module redacts it) and `res.locals.principal`.
 * Vendor modules never call `ctx.calls.record` for requests they serve; the mount does it.
 */
export function recordCalls(ctx: SandboxContext, vendor: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.on('close', () => {
      const locals = res.locals as { principal?: string | null; callBody?: unknown };
      const body = locals.callBody !== undefined ? locals.callBody : req.body !== undefined && typeof req.body === 'object' && req.body !== null && Object.keys(req.body as object).length ? req.body : null;
      void ctx.calls.record({
        vendor, method: req.method, path: req.originalUrl, status: res.headersSent ? res.statusCode : 0, body, principal: locals.principal ?? null,
      });
    });
    next();
  };
}

const badBody: ErrorRequestHandler = (err: { status?: number; type?: string; message?: string }, _req, res, next) => {
  if (res.headersSent) return next(err);
  const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
  res.status(status).json({ message: status === 500 ? 'Internal Server Error' : (err.message ?? 'Bad Request') });
};

/** Wraps a vendor router: call log, faults (before auth), JSON/form parsing with the raw body kept. */
export function wrapVendor(ctx: SandboxContext, vendor: string, router: Router): Router {
  const outer = express.Router();
  outer.use(recordCalls(ctx, vendor));
  outer.use(ctx.faults.middleware(vendor));
  outer.use(express.json({ type: (req) => /json/i.test(String(req.headers['content-type'] ?? '')), limit: '10mb', verify: keepRaw }));
  outer.use(express.urlencoded({ extended: false, limit: '1mb', verify: keepRaw }));
  outer.use(express.text({ type: (req) => !/json|urlencoded|multipart/i.test(String(req.headers['content-type'] ?? 'x')), limit: '10mb', verify: keepRaw }));
  outer.use(router);
  outer.use(badBody);
  return outer;
}
