import type { Request } from 'express';
import { GraphQueryError } from './errors';

type Scalar = string | boolean | null;
type Clause = { kind: 'cmp'; prop: string; op: 'eq' | 'ne'; value: Scalar } | { kind: 'startswith'; prop: string; value: string } | { kind: 'in'; prop: string; values: Scalar[] };
/** Disjunctive normal form: OR of ANDs (no parentheses grouping, as the desk and common clients need). */
export type Filter = Clause[][];

const VALUE = String.raw`'(?:[^']|'')*'|true|false|null`;
const CMP = new RegExp(String.raw`^([A-Za-z][\w/]*)\s+(eq|ne)\s+(${VALUE})$`, 'i');
const STARTS = new RegExp(String.raw`^startswith\(\s*([A-Za-z][\w/]*)\s*,\s*('(?:[^']|'')*')\s*\)$`, 'i');
const IN = new RegExp(String.raw`^([A-Za-z][\w/]*)\s+in\s+\(\s*((?:${VALUE})(?:\s*,\s*(?:${VALUE}))*)\s*\)$`, 'i');

function scalar(v: string): Scalar {
  if (v.startsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  if (v.toLowerCase() === 'null') return null;
  return v.toLowerCase() === 'true';
}

/** Splits on a keyword outside quotes and parentheses. */
function splitTop(s: string, word: 'and' | 'or'): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const re = new RegExp(`^\\s+${word}\\s+`, 'i');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && /\s/.test(ch)) {
      const m = re.exec(s.slice(i));
      if (m) {
        out.push(s.slice(start, i));
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim());
}

function parseClause(c: string): Clause | null {
  const cmp = CMP.exec(c);
  if (cmp) return { kind: 'cmp', prop: cmp[1], op: cmp[2].toLowerCase() as 'eq' | 'ne', value: scalar(cmp[3]) };
  const starts = STARTS.exec(c);
  if (starts) return { kind: 'startswith', prop: starts[1], value: String(scalar(starts[2])) };
  const inList = IN.exec(c);
  if (inList) return { kind: 'in', prop: inList[1], values: (inList[2].match(new RegExp(VALUE, 'gi')) ?? []).map(scalar) };
  return null;
}

export function parseFilter(raw: string | undefined, allowed: ReadonlySet<string>, resource: string): Filter | null {
  if (raw === undefined || raw.trim() === '') return null;
  return splitTop(raw.trim(), 'or').map((disj) =>
    splitTop(disj, 'and').map((c) => {
      const clause = parseClause(c);
      if (!clause) throw new GraphQueryError(`Invalid filter clause: '${c}'.`, 'BadRequest');
      if (!allowed.has(clause.prop)) {
        throw new GraphQueryError(`Unsupported or invalid query filter clause specified for property '${clause.prop}' of resource '${resource}'.`, 'Request_UnsupportedQuery');
      }
      return clause;
    }),
  );
}

const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v ?? null);

/** Graph compares directory strings case-insensitively. */
export function matches(obj: Record<string, unknown>, filter: Filter | null): boolean {
  if (!filter) return true;
  return filter.some((all) =>
    all.every((c) => {
      const v = norm(obj[c.prop]);
      if (c.kind === 'startswith') return typeof v === 'string' && v.startsWith(c.value.toLowerCase());
      if (c.kind === 'in') return c.values.some((x) => norm(x) === v);
      return c.op === 'eq' ? norm(c.value) === v : norm(c.value) !== v;
    }),
  );
}

/** `$select`: unknown names are a 400, as Graph answers. */
export function parseSelect(raw: string | undefined, known: ReadonlySet<string>, type: string): string[] | null {
  if (raw === undefined || raw.trim() === '') return null;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!known.has(n)) throw new GraphQueryError(`Parsing OData Select and Expand failed: Could not find a property named '${n}' on type 'microsoft.graph.${type}'.`, 'BadRequest');
  }
  return names;
}

export function project(full: Record<string, unknown>, select: string[] | null, defaults: readonly string[]): Record<string, unknown> {
  const names = select ?? defaults;
  const out: Record<string, unknown> = {};
  if (full['@odata.type'] !== undefined) out['@odata.type'] = full['@odata.type'];
  for (const n of names) out[n] = full[n] ?? null;
  return out;
}

export interface Page<T> {
  items: T[];
  nextLink: string | null;
}

/** `$top` (1..999, default 100) and an opaque `$skiptoken` in `@odata.nextLink`, like Graph's directory paging. */
export function paginate<T>(req: Request, items: T[], defaultTop = 100): Page<T> {
  const q = req.query as Record<string, string | undefined>;
  const top = q.$top === undefined ? defaultTop : Number(q.$top);
  if (!Number.isInteger(top) || top < 1 || top > 999) throw new GraphQueryError(`Invalid page size specified: '${q.$top}'. Must be between 1 and 999 inclusive.`, 'Request_UnsupportedQuery');
  let offset = 0;
  if (q.$skiptoken !== undefined) {
    const decoded = Number(/^o(\d+)$/.exec(Buffer.from(q.$skiptoken, 'base64url').toString('utf8'))?.[1]);
    if (!Number.isInteger(decoded)) throw new GraphQueryError('Invalid $skiptoken.', 'Request_BadRequest');
    offset = decoded;
  }
  const slice = items.slice(offset, offset + top);
  if (offset + top >= items.length) return { items: slice, nextLink: null };
  const next = new URL(selfUrl(req));
  next.searchParams.set('$skiptoken', Buffer.from(`o${offset + top}`).toString('base64url'));
  return { items: slice, nextLink: next.toString().replace(/%24/g, '$') };
}

/** The URL the caller used (host included), so nextLinks work on whatever port the sandbox runs. */
export function selfUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;
}

/** Base of this Graph mount as the caller sees it, e.g. http://127.0.0.1:4010/graph/v1.0 */
export function graphBase(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl.replace(/\/(users|groups).*$/, '')}`;
}
