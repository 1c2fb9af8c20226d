/**
 * Autotask REST query filters: `{"filter":[{"op":"eq","field":"status","value":1},{"op":"or","items":[...]}]}`.
 * Top-level items are ANDed. Operators: eq, noteq, gt, gte, lt, lte, beginsWith, endsWith, contains, exist,
 * notExist, in, notIn, and, or. Field names are case-insensitive; strings compare case-insensitively.
 */
export class FilterError extends Error {}

export interface FilterItem { op: string; field?: string; value?: unknown; udf?: boolean; items?: FilterItem[] }

const OPS = new Set(['eq', 'noteq', 'gt', 'gte', 'lt', 'lte', 'beginswith', 'endswith', 'contains', 'exist', 'notexist', 'in', 'notin', 'and', 'or']);

export function validateFilter(items: unknown, fields: Set<string>, entity: string): FilterItem[] {
  if (!Array.isArray(items) || !items.length) throw new FilterError('A filter is required.');
  for (const raw of items) {
    if (!raw || typeof raw !== 'object') throw new FilterError('Invalid filter item.');
    const it = raw as FilterItem;
    const op = String(it.op ?? '').toLowerCase();
    if (!OPS.has(op)) throw new FilterError(`Unsupported filter operation: ${String(it.op)}`);
    if (op === 'and' || op === 'or') validateFilter(it.items, fields, entity);
    else {
      if (typeof it.field !== 'string' || !it.field) throw new FilterError('Filter field is required.');
      if (!it.udf && !fields.has(it.field.toLowerCase())) throw new FilterError(`Unable to find ${it.field} in the ${entity} entity.`);
      if ((op === 'in' || op === 'notin') && !Array.isArray(it.value)) throw new FilterError(`The ${it.op} operation requires an array value.`);
    }
  }
  return items as FilterItem[];
}

function get(doc: Record<string, unknown>, it: FilterItem): unknown {
  if (it.udf) {
    const udfs = doc.userDefinedFields as Array<{ name: string; value: unknown }> | undefined;
    return udfs?.find((u) => u.name.toLowerCase() === String(it.field).toLowerCase())?.value;
  }
  const key = Object.keys(doc).find((k) => k.toLowerCase() === String(it.field).toLowerCase());
  return key === undefined ? undefined : doc[key];
}

const isDateLike = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v));

function cmp(a: unknown, b: unknown): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (isDateLike(a) && isDateLike(b)) return Date.parse(String(a)) - Date.parse(String(b));
  if (typeof a === 'number' || typeof b === 'number' || typeof a === 'boolean') {
    const x = typeof a === 'boolean' ? Number(a) : Number(a);
    const y = typeof b === 'boolean' ? Number(b) : b === 'true' ? 1 : b === 'false' ? 0 : Number(b);
    return Number.isNaN(x) || Number.isNaN(y) ? null : x - y;
  }
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export function matchItem(doc: Record<string, unknown>, it: FilterItem): boolean {
  const op = it.op.toLowerCase();
  if (op === 'and') return (it.items ?? []).every((x) => matchItem(doc, x));
  if (op === 'or') return (it.items ?? []).some((x) => matchItem(doc, x));
  const a = get(doc, it);
  const s = (v: unknown) => String(v ?? '').toLowerCase();
  switch (op) {
    case 'eq': return it.value === null ? a === null || a === undefined : cmp(a, it.value) === 0;
    case 'noteq': return it.value === null ? a !== null && a !== undefined : cmp(a, it.value) !== 0;
    case 'gt': { const r = cmp(a, it.value); return r !== null && r > 0; }
    case 'gte': { const r = cmp(a, it.value); return r !== null && r >= 0; }
    case 'lt': { const r = cmp(a, it.value); return r !== null && r < 0; }
    case 'lte': { const r = cmp(a, it.value); return r !== null && r <= 0; }
    case 'beginswith': return a !== null && a !== undefined && s(a).startsWith(s(it.value));
    case 'endswith': return a !== null && a !== undefined && s(a).endsWith(s(it.value));
    case 'contains': return a !== null && a !== undefined && s(a).includes(s(it.value));
    case 'exist': return a !== null && a !== undefined && a !== '';
    case 'notexist': return a === null || a === undefined || a === '';
    case 'in': return (it.value as unknown[]).some((v) => cmp(a, v) === 0);
    case 'notin': return !(it.value as unknown[]).some((v) => cmp(a, v) === 0);
    default: return false;
  }
}

export const matchAll = (doc: Record<string, unknown>, items: FilterItem[]) => items.every((it) => matchItem(doc, it));
