import type { Request } from 'express';
import { IntakeRejection } from '../domain/rejection';

type WithRaw = Request & { rawBody?: Buffer };

/**
 * The exact bytes of the request (signatures are computed over them), refused above `limit` with 413.
 * Uses the platform's captured rawBody when a body parser already ran, else reads the stream itself.
 */
export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new IntakeRejection(413, `body of ${declared} bytes exceeds the ${limit}-byte limit`);
  const captured = (req as WithRaw).rawBody;
  if (Buffer.isBuffer(captured)) {
    if (captured.length > limit) throw new IntakeRejection(413, `body of ${captured.length} bytes exceeds the ${limit}-byte limit`);
    return captured;
  }
  if (Buffer.isBuffer(req.body)) return checkSize(req.body as Buffer, limit);
  if (req.readableEnded) {
    // A parser consumed the stream without keeping the bytes: the best remaining copy (signatures may not match).
    const body: unknown = req.body;
    return checkSize(Buffer.from(typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body), 'utf8'), limit);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (e: unknown) => { if (!done) { done = true; reject(e); } };
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        // Stop buffering; the rest of the upload is drained and discarded so the 413 can still be sent.
        req.removeAllListeners('data');
        req.resume();
        fail(new IntakeRejection(413, `body exceeds the ${limit}-byte limit`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => { if (!done) { done = true; resolve(Buffer.concat(chunks)); } });
    req.on('error', fail);
  });
}

function checkSize(b: Buffer, limit: number): Buffer {
  if (b.length > limit) throw new IntakeRejection(413, `body of ${b.length} bytes exceeds the ${limit}-byte limit`);
  return b;
}

/** The media type without parameters, lower-cased ('' when absent). */
export function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function requireMediaType(req: Request, allowed: string[]): void {
  const mt = mediaType(req);
  if (!allowed.includes(mt)) throw new IntakeRejection(415, `Content-Type "${mt || '(none)'}" is not accepted here; use ${allowed.join(' or ')}`);
}

/** Headers kept with the raw payload for audit; credentials are dropped. */
export function auditHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || /^(authorization|cookie|x-desk-.*token|x-api-key)$/i.test(k)) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}
