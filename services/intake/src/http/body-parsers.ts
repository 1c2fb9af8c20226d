import type { NextFunction, Request, Response } from 'express';

interface ParserError { status?: number; statusCode?: number; type?: string; message?: string; limit?: number; length?: number }

/**
 * Registers the JSON and form parsers with intake's body limit before Nest adds its defaults (which are
 * then skipped), keeping the raw bytes for signatures, and answers their failures as intake does:
 * JSON with a reason (413 over the limit, 400 malformed, 415 unsupported charset).
 */
/** The part of Nest's Express adapter used here (AbstractHttpAdapter does not declare useBodyParser). */
export interface ParserHost {
  useBodyParser(type: 'json' | 'urlencoded', rawBody: boolean, options: Record<string, unknown>): unknown;
  use(handler: (err: ParserError, req: Request, res: Response, next: NextFunction) => void): unknown;
}

export function installBodyParsers(http: ParserHost, limitBytes: number, onReject: (path: string, status: number) => void): void {
  http.useBodyParser('json', true, { limit: limitBytes });
  http.useBodyParser('urlencoded', true, { limit: limitBytes, extended: false });
  http.use((err: ParserError, req: Request, res: Response, next: NextFunction) => {
    const status = err.status ?? err.statusCode;
    if (!err.type || !status || status >= 500) return next(err);
    const reason = err.type === 'entity.too.large' ? `body of ${err.length ?? '?'} bytes exceeds the ${limitBytes}-byte limit`
      : err.type === 'entity.parse.failed' ? `malformed JSON: ${err.message ?? 'parse error'}`
        : err.type === 'encoding.unsupported' || err.type === 'charset.unsupported' ? `unsupported body encoding: ${err.message ?? ''}`
          : err.message ?? 'bad request body';
    onReject(req.path, status);
    res.status(status).json({ error: reason });
  });
}
