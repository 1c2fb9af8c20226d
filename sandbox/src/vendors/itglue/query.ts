import type { Request } from 'express';

/**
 * Reads a bracketed query parameter (`page[size]`, `filter[updated_at]`) whether the app's query parser
 * nested it (`{ page: { size } }`, the sandbox default) or kept it flat (`{ 'page[size]': ... }`).
 */
export function bracketParam(req: Request, group: string, key: string): string | undefined {
  const q = req.query as Record<string, unknown>;
  const nested = q[group];
  const v = nested && typeof nested === 'object' && !Array.isArray(nested) ? (nested as Record<string, unknown>)[key] : q[`${group}[${key}]`];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function stringParam(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** A positive integer parameter within [1, max], or the default. */
export function intParam(value: string | undefined, def: number, max: number): number {
  const n = value === undefined ? NaN : Number(value);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : def;
}

/** Absolute URL of this request's path with the given query (for `links.next` and friends). */
export function selfUrl(req: Request, query: Record<string, string | number>): string {
  const base = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${req.path}`;
  const qs = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(String(v))}`).join('&');
  return qs ? `${base}?${qs}` : base;
}
