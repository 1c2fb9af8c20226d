import type { NextFunction, Request, Response } from 'express';
import type { SandboxContext } from '../../core/context';
import type { MspMember } from '../../core/world';
import { Kinds } from '../../core/seed';
import { type Condition, ConditionError, matches, parseConditions, fieldValue } from './conditions';

/** The API member the demo credentials belong to (keys in ConnectWise are issued to a member). */
export const CW_COMPANY_ID = 'harborline';
export const CW_PUBLIC_KEY = 'sandboxpub';
export const CW_PRIVATE_KEY = 'sandboxpriv';
export const CW_CLIENT_ID = '00000000-0000-4000-8000-00000000c0de';
export const CW_API_MEMBER = 'L1Agent';
export const CW_PREFIX = '/cw/v4_6_release/apis/3.0';

export type Doc = Record<string, unknown>;
export type StoredMember = MspMember & { id: number };

export function cwError(res: Response, status: number, code: string, message: string, errors?: Array<{ code: string; message: string; resource: string; field: string }>): void {
  res.status(status).json(errors ? { code, message, errors } : { code, message });
}

export const notFound = (res: Response, what: string, id: string) =>
  cwError(res, 404, 'NotFound', `${what} with id ${id} could not be found.`);

export const invalid = (res: Response, resource: string, field: string, message: string) =>
  cwError(res, 400, 'InvalidObject', `${resource} object is invalid`, [{ code: 'NullValue', message, resource, field }]);

/** Basic `companyId+publicKey:privateKey` plus the `clientId` header every integration must send. */
export function cwAuth(req: Request, res: Response, next: NextFunction): void {
  const clientId = req.get('clientId');
  if (!clientId) return cwError(res, 400, 'InvalidClientId', 'clientId header is required. Please see https://developer.connectwise.com/ClientID for more details.');
  const h = req.get('authorization') ?? '';
  const m = /^Basic\s+(.+)$/i.exec(h);
  const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
  const expected = `${CW_COMPANY_ID}+${CW_PUBLIC_KEY}:${CW_PRIVATE_KEY}`;
  if (decoded.toLowerCase() !== expected.toLowerCase() && decoded !== expected) {
    res.locals.principal = decoded.split(':')[0] || null;
    return cwError(res, 401, 'Unauthorized', 'Authorization has been denied for this request.');
  }
  if (clientId !== CW_CLIENT_ID) return cwError(res, 401, 'InvalidClientId', `Client ID ${clientId} is not valid.`);
  res.locals.principal = `${CW_COMPANY_ID}+${CW_PUBLIC_KEY}`;
  next();
}

export const href = (ctx: SandboxContext, path: string) => `${ctx.baseUrl}${CW_PREFIX}${path}`;
export const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function memberRef(ctx: SandboxContext, identifier: string | null | undefined): Promise<Doc | null> {
  if (!identifier) return null;
  const m = (await ctx.store.list<StoredMember>(Kinds.member)).find((x) => x.identifier.toLowerCase() === identifier.toLowerCase());
  if (!m) return null;
  return { id: m.id, identifier: m.identifier, name: `${m.firstName} ${m.lastName}`, _info: { member_href: href(ctx, `/system/members/${m.id}`) } };
}

export async function memberById(ctx: SandboxContext, id: number): Promise<StoredMember | null> {
  return (await ctx.store.list<StoredMember>(Kinds.member, { where: { id } }))[0] ?? null;
}

/** Resolves a `{id}` / `{identifier}` / `{name}` reference sent by a client to a stored record. */
export function refKey(v: unknown): { id?: number; identifier?: string; name?: string } | null {
  if (!v || typeof v !== 'object') return null;
  const r = v as Doc;
  const out: { id?: number; identifier?: string; name?: string } = {};
  if (r.id !== undefined && r.id !== null && Number.isFinite(Number(r.id))) out.id = Number(r.id);
  if (typeof r.identifier === 'string') out.identifier = r.identifier;
  if (typeof r.name === 'string') out.name = r.name;
  return out;
}

function project(doc: Doc, fields: string[]): Doc {
  const out: Doc = {};
  for (const f of fields) {
    const parts = f.split('/');
    const v = fieldValue(doc, f);
    if (v === undefined) continue;
    let cur = out;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) cur[p] = v;
      else cur = (cur[p] ??= {}) as Doc;
    });
  }
  return out;
}

function orderKey(v: unknown): string | number {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return '';
  return String(v).toLowerCase();
}

/**
 * List semantics shared by every collection: `conditions`, `orderBy` ("field [asc|desc]"), `fields`,
 * `page` (1-based) and `pageSize` (default 25, max 1000), with a `Link` header (first/prev/next/last) as
 * the vendor sends it. Invalid conditions get the vendor's 400.
 */
export function listResponse(req: Request, res: Response, docs: Doc[]): void {
  const q = req.query as Record<string, unknown>;
  let rows: Doc[];
  try {
    rows = filterRows(q, docs);
  } catch (e) {
    if (e instanceof ConditionError) return cwError(res, 400, 'InvalidObject', `conditions: ${e.message}`);
    throw e;
  }
  if (typeof q.orderBy === 'string' && q.orderBy.trim()) {
    const [field, dir] = q.orderBy.trim().split(/\s+/);
    const sign = dir?.toLowerCase() === 'desc' ? -1 : 1;
    rows = [...rows].sort((a, b) => {
      const x = orderKey(fieldValue(a, field));
      const y = orderKey(fieldValue(b, field));
      return x < y ? -sign : x > y ? sign : 0;
    });
  }
  const pageSize = Math.min(1000, Math.max(1, Number(q.pageSize) || 25));
  const page = Math.max(1, Number(q.page) || 1);
  const last = Math.max(1, Math.ceil(rows.length / pageSize));
  const slice = rows.slice((page - 1) * pageSize, page * pageSize);
  const links: string[] = [];
  const link = (p: number, rel: string) => {
    const u = new URL(req.originalUrl, 'http://x');
    u.searchParams.set('page', String(p));
    u.searchParams.set('pageSize', String(pageSize));
    links.push(`<${res.locals.cwBase as string}${u.pathname.replace(/^.*?\/apis\/3\.0/, '')}${u.search}>; rel="${rel}"`);
  };
  if (page > 1) { link(1, 'first'); link(page - 1, 'prev'); }
  if (page < last) { link(page + 1, 'next'); link(last, 'last'); }
  if (links.length) res.set('Link', links.join(', '));
  const fields = typeof q.fields === 'string' && q.fields.trim() ? q.fields.split(',').map((s) => s.trim()).filter(Boolean) : null;
  res.json(fields ? slice.map((d) => project(d, fields)) : slice);
}

/** `/count` next to a collection: `{count}` after `conditions`. */
export function countResponse(req: Request, res: Response, docs: Doc[]): void {
  try {
    res.json({ count: filterRows(req.query as Record<string, unknown>, docs).length });
  } catch (e) {
    if (e instanceof ConditionError) return cwError(res, 400, 'InvalidObject', `conditions: ${e.message}`);
    throw e;
  }
}

function firstField(c: Condition): string {
  return c.kind === 'cmp' ? c.field : c.kind === 'not' ? firstField(c.inner) : firstField(c.left);
}

/**
 * `conditions` on the record; `childConditions` on the elements of one array field (e.g.
 * `communicationItems/value = "a@b" and communicationItems/communicationType = "Email"`): a record matches
 * when one element satisfies the whole expression.
 */
export function filterRows(q: Record<string, unknown>, docs: Doc[]): Doc[] {
  let rows = docs;
  if (typeof q.conditions === 'string' && q.conditions.trim()) {
    const cond = parseConditions(q.conditions);
    rows = rows.filter((d) => matches(cond, d));
  }
  if (typeof q.childConditions === 'string' && q.childConditions.trim()) {
    const cond = parseConditions(q.childConditions);
    const arr = firstField(cond).split('/')[0];
    rows = rows.filter((d) => {
      const key = Object.keys(d).find((k) => k.toLowerCase() === arr.toLowerCase());
      const items = key ? d[key] : undefined;
      return Array.isArray(items) && items.some((e) => matches(cond, { ...d, [key as string]: e }));
    });
  }
  return rows;
}

/** Applies RFC 6902 JSON Patch operations (replace/add/remove) to a record; paths like `status` or `/status/id`. */
export function applyJsonPatch(doc: Doc, ops: unknown): Doc | string {
  if (!Array.isArray(ops)) return 'Patch body must be an array of operations';
  const out = structuredClone(doc);
  for (const raw of ops) {
    if (!raw || typeof raw !== 'object') return 'Invalid patch operation';
    const { op, path, value } = raw as { op?: string; path?: string; value?: unknown };
    if (typeof path !== 'string' || !path.replace(/^\//, '')) return 'Patch operation requires a path';
    const parts = path.replace(/^\//, '').split('/');
    let cur: Doc = out;
    for (const p of parts.slice(0, -1)) {
      const key = Object.keys(cur).find((k) => k.toLowerCase() === p.toLowerCase()) ?? p;
      if (!cur[key] || typeof cur[key] !== 'object') cur[key] = {};
      cur = cur[key] as Doc;
    }
    const leaf = parts[parts.length - 1];
    const key = Object.keys(cur).find((k) => k.toLowerCase() === leaf.toLowerCase()) ?? leaf;
    const o = (op ?? '').toLowerCase();
    if (o === 'replace' || o === 'add') cur[key] = value;
    else if (o === 'remove') delete cur[key];
    else return `Unsupported patch operation: ${op}`;
  }
  return out;
}
