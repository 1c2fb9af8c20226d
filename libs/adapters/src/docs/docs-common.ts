import type { z } from 'zod';
import { VendorResponseError } from '../http/errors';
import type { RetryPolicy } from '../http/http-client';
import { VendorCallObserver } from '../observe';

export interface DocsClientOptions {
  observe?: VendorCallObserver;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /** Documents per page asked of the vendor (the vendor may cap it). */
  pageSize?: number;
}

/** Parses a vendor body with its schema; a body of another shape is a typed error, never a crash later. */
export function parseBody<T>(vendor: string, schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    throw new VendorResponseError(`${vendor} ${what}: unexpected response shape: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, vendor, null, null);
  }
  return r.data;
}

/**
 * A docs adapter serves one scope: the client it was built for, or the MSP's global documents (null).
 * Asking it for another scope is a wiring mistake, reported as such rather than answered with the wrong documents.
 */
export function assertScope(system: string, own: string | null, asked: string | null): void {
  if ((own?.toLowerCase() ?? null) !== (asked?.toLowerCase() ?? null)) {
    throw new Error(`${system} docs adapter serves ${own ?? 'the global scope'}, not ${asked ?? 'the global scope'}`);
  }
}
