import type { NextFunction, Request, Response } from 'express';
import type { SandboxContext } from '../../core/context';
import { FilterError, matchAll, validateFilter } from './filter';

export const AT_INTEGRATION_CODE = 'SANDBOXINTEGRATION';
export const AT_USERNAME = 'api@harborline-it.example';
export const AT_SECRET = 'sandbox-autotask-secret';
export const AT_PREFIX = '/autotask/atservicesrest';
/** Resource (member) the API user acts as. */
export const AT_API_RESOURCE = 'L1Agent';
export const MAX_RECORDS = 500;

export type Doc = Record<string, unknown>;
export const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function atErrors(res: Response, status: number, ...errors: string[]): void {
  res.status(status).json({ errors });
}

const lowerFirst = (k: string) => k.charAt(0).toLowerCase() + k.slice(1);

function normaliseFilter(items: unknown): unknown {
  if (!Array.isArray(items)) return items;
  return items.map((it) => {
    if (!it || typeof it !== 'object') return it;
    const out: Doc = {};
    for (const [k, v] of Object.entries(it as Doc)) out[lowerFirst(k)] = lowerFirst(k) === 'items' ? normaliseFilter(v) : v;
    return out;
  });
}

/**
 * The vendor binds request properties case-insensitively (its docs show `WebhookUrl`, responses say
 * `webhookUrl`): top-level keys and filter item keys are brought to the response casing.
 */
export function normaliseBody(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Doc = {};
  for (const [k, v] of Object.entries(body as Doc)) out[lowerFirst(k)] = lowerFirst(k) === 'filter' ? normaliseFilter(v) : v;
  return out;
}

/** `ApiIntegrationCode`, `UserName`, `Secret` headers on every call. */
export function atAuth(req: Request, res: Response, next: NextFunction): void {
  const user = req.get('UserName') ?? '';
  res.locals.principal = user || null;
  if (req.get('ApiIntegrationCode') !== AT_INTEGRATION_CODE || user.toLowerCase() !== AT_USERNAME || req.get('Secret') !== AT_SECRET) {
    return atErrors(res, 401, 'User is not authorized. Please check your credentials (UserName, Secret and ApiIntegrationCode).');
  }
  if (req.body !== undefined) req.body = normaliseBody(req.body);
  next();
}

export const base = (ctx: SandboxContext) => `${ctx.baseUrl}${AT_PREFIX}/V1.0`;

/**
 * Query semantics for an entity: the body's `filter` (or GET `search` JSON), `MaxRecords` (≤ 500),
 * `IncludeFields`; results by ascending id with `pageDetails.nextPageUrl` continuing after the last id.
 */
export function queryResponse(ctx: SandboxContext, req: Request, res: Response, entity: string, path: string, docs: Doc[], fieldNames: string[]): void {
  let search: Doc;
  const qs = req.query as Record<string, unknown>;
  try {
    search = (req.method === 'POST' ? req.body ?? {} : normaliseBody(JSON.parse(String(qs.search ?? '{}')))) as Doc;
  } catch {
    return atErrors(res, 500, 'The search parameter is not valid JSON.');
  }
  let afterId = 0;
  if (typeof qs.paging === 'string') {
    try {
      afterId = Number((JSON.parse(qs.paging) as { lastId?: number }).lastId ?? 0);
    } catch {
      return atErrors(res, 500, 'The paging parameter is not valid JSON.');
    }
  }
  let filter;
  try {
    filter = validateFilter(search.filter, new Set(fieldNames.map((f) => f.toLowerCase())), entity);
  } catch (e) {
    if (e instanceof FilterError) return atErrors(res, 500, e.message);
    throw e;
  }
  const max = Math.min(MAX_RECORDS, Math.max(1, Number(search.maxRecords) || MAX_RECORDS));
  const all = docs.filter((d) => matchAll(d, filter)).sort((a, b) => Number(a.id) - Number(b.id));
  const rest = all.filter((d) => Number(d.id) > afterId);
  const page = rest.slice(0, max);
  const include = search.includeFields as unknown;
  const items = Array.isArray(include) && include.length
    ? page.map((d) => Object.fromEntries(Object.entries(d).filter(([k]) => k === 'id' || (include as string[]).some((f) => f.toLowerCase() === k.toLowerCase()))))
    : page;
  const next = rest.length > max
    ? `${base(ctx)}${path}/query/next?paging=${encodeURIComponent(JSON.stringify({ pageSize: max, lastId: page[page.length - 1].id }))}&search=${encodeURIComponent(JSON.stringify({ filter, MaxRecords: max }))}`
    : null;
  res.json({ items, pageDetails: { count: items.length, requestCount: max, prevPageUrl: null, nextPageUrl: next } });
}

export function countQuery(req: Request, res: Response, entity: string, docs: Doc[], fieldNames: string[]): void {
  try {
    const search = (req.method === 'POST' ? req.body : JSON.parse(String((req.query as Record<string, unknown>).search ?? '{}'))) as Doc;
    const filter = validateFilter(search.filter, new Set(fieldNames.map((f) => f.toLowerCase())), entity);
    res.json({ queryCount: docs.filter((d) => matchAll(d, filter)).length });
  } catch (e) {
    if (e instanceof FilterError || e instanceof SyntaxError) return atErrors(res, 500, e.message);
    throw e;
  }
}
