import type { Response } from 'express';
import { randomUUID } from 'node:crypto';

/** Graph's error envelope: `{error:{code,message,innerError}}`. */
export function graphError(res: Response, status: number, code: string, message: string): void {
  const requestId = randomUUID();
  res.status(status).json({
    error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId } },
  });
}

export const notFound = (res: Response, what: string): void =>
  graphError(res, 404, 'Request_ResourceNotFound', `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`);

export const badRequest = (res: Response, message: string, code = 'Request_BadRequest'): void => graphError(res, 400, code, message);

/** Thrown by query parsing so routes can answer 400 without threading results around. */
export class GraphQueryError extends Error {
  constructor(
    message: string,
    readonly code = 'BadRequest',
  ) {
    super(message);
  }
}
