/**
 * ConnectWise PSA `conditions` query language, e.g.
 * `(contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z] or summary contains "test"`.
 * Strings in double quotes, datetimes in brackets, true/false/null, numbers; operators
 * = != < <= > >= like contains in, each negatable with `not`; and/or (and binds tighter) and parentheses.
 * Comparisons are case-insensitive, as on the vendor's SQL Server collation.
 */
export class ConditionError extends Error {}

type Value = string | number | boolean | null | { date: number } | Value[];
type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like' | 'contains' | 'in';
export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'cmp'; field: string; op: Op; negate: boolean; value: Value };

type Tok = { t: 'id' | 'str' | 'num' | 'date' | 'op' | 'lp' | 'rp' | 'comma'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(') { out.push({ t: 'lp', v: c }); i++; continue; }
    if (c === ')') { out.push({ t: 'rp', v: c }); i++; continue; }
    if (c === ',') { out.push({ t: 'comma', v: c }); i++; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) { s += src[j + 1]; j += 2; continue; }
        s += src[j++];
      }
      if (j >= src.length) throw new ConditionError(`unterminated string at ${i}`);
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    if (c === '[') {
      const j = src.indexOf(']', i);
      if (j < 0) throw new ConditionError(`unterminated datetime at ${i}`);
      out.push({ t: 'date', v: src.slice(i + 1, j).trim() });
      i = j + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=' || two === '<>') { out.push({ t: 'op', v: two === '<>' ? '!=' : two }); i += 2; continue; }
    if (c === '=' || c === '<' || c === '>') { out.push({ t: 'op', v: c }); i++; continue; }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num && (out.length === 0 || out[out.length - 1].t !== 'id' || /^(=|!=|<|<=|>|>=)$/.test(out[out.length - 1].v))) {
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_/.]*/.exec(src.slice(i));
    if (id) { out.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
    throw new ConditionError(`unexpected character '${c}' at ${i}`);
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}
  private peek(): Tok | undefined { return this.toks[this.i]; }
  private word(): string | null { const p = this.peek(); return p && p.t === 'id' ? p.v.toLowerCase() : null; }
  parse(): Condition {
    const c = this.or();
    if (this.i < this.toks.length) throw new ConditionError(`unexpected '${this.toks[this.i].v}'`);
    return c;
  }
  private or(): Condition {
    let left = this.and();
    while (this.word() === 'or') { this.i++; left = { kind: 'or', left, right: this.and() }; }
    return left;
  }
  private and(): Condition {
    let left = this.unary();
    while (this.word() === 'and') { this.i++; left = { kind: 'and', left, right: this.unary() }; }
    return left;
  }
  private unary(): Condition {
    if (this.word() === 'not') { this.i++; return { kind: 'not', inner: this.unary() }; }
    const p = this.peek();
    if (p?.t === 'lp') {
      this.i++;
      const c = this.or();
      if (this.peek()?.t !== 'rp') throw new ConditionError('missing )');
      this.i++;
      return c;
    }
    return this.cmp();
  }
  private cmp(): Condition {
    const f = this.peek();
    if (!f || f.t !== 'id') throw new ConditionError(`expected a field name, got '${f?.v ?? 'end'}'`);
    this.i++;
    let negate = false;
    if (this.word() === 'not') { negate = true; this.i++; }
    const o = this.peek();
    let op: Op;
    if (o?.t === 'op') op = o.v as Op;
    else if (o?.t === 'id' && ['like', 'contains', 'in'].includes(o.v.toLowerCase())) op = o.v.toLowerCase() as Op;
    else throw new ConditionError(`expected an operator after ${f.v}`);
    this.i++;
    const value = op === 'in' ? this.list() : this.value();
    return { kind: 'cmp', field: f.v, op, negate, value };
  }
  private list(): Value[] {
    if (this.peek()?.t !== 'lp') throw new ConditionError('expected ( after in');
    this.i++;
    const out: Value[] = [];
    while (this.peek() && this.peek()?.t !== 'rp') {
      out.push(this.value());
      if (this.peek()?.t === 'comma') this.i++;
    }
    if (this.peek()?.t !== 'rp') throw new ConditionError('missing ) after in list');
    this.i++;
    return out;
  }
  private value(): Value {
    const t = this.peek();
    if (!t) throw new ConditionError('expected a value');
    this.i++;
    if (t.t === 'str') return t.v;
    if (t.t === 'num') return Number(t.v);
    if (t.t === 'date') {
      const d = Date.parse(t.v);
      if (Number.isNaN(d)) throw new ConditionError(`invalid datetime [${t.v}]`);
      return { date: d };
    }
    if (t.t === 'id') {
      const w = t.v.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
    }
    throw new ConditionError(`unexpected value '${t.v}'`);
  }
}

export function parseConditions(src: string): Condition {
  const toks = tokenize(src);
  if (!toks.length) throw new ConditionError('empty conditions');
  return new Parser(toks).parse();
}

/** Field lookup by `a/b` path, case-insensitive keys; top-level misses fall back to `_info` (lastUpdated...). */
export function fieldValue(doc: unknown, path: string): unknown {
  const get = (o: unknown, parts: string[]): unknown => {
    let cur = o;
    for (const p of parts) {
      if (cur === null || typeof cur !== 'object') return undefined;
      const rec = cur as Record<string, unknown>;
      const key = Object.keys(rec).find((k) => k.toLowerCase() === p.toLowerCase());
      cur = key === undefined ? undefined : rec[key];
    }
    return cur;
  };
  const parts = path.split(/[/.]/);
  const v = get(doc, parts);
  return v === undefined ? get(doc, ['_info', ...parts]) : v;
}

function likeToRegex(p: string): RegExp {
  const esc = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${esc}$`, 'is');
}

function compare(a: unknown, b: Value): number | null {
  if (a === null || a === undefined || b === null) return null;
  if (typeof b === 'object' && b !== null && 'date' in b) {
    const d = typeof a === 'string' ? Date.parse(a) : NaN;
    return Number.isNaN(d) ? null : d - b.date;
  }
  if (typeof b === 'number') {
    const n = typeof a === 'number' ? a : Number(a);
    return Number.isNaN(n) ? null : n - b;
  }
  if (typeof b === 'boolean') return a === b ? 0 : 1;
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function cmpMatches(c: Extract<Condition, { kind: 'cmp' }>, doc: unknown): boolean {
  const a = fieldValue(doc, c.field);
  const v = c.value;
  switch (c.op) {
    case '=':
      if (v === null) return a === null || a === undefined;
      return compare(a, v) === 0;
    case '!=':
      if (v === null) return a !== null && a !== undefined;
      return compare(a, v) !== 0;
    case '<': { const r = compare(a, v); return r !== null && r < 0; }
    case '<=': { const r = compare(a, v); return r !== null && r <= 0; }
    case '>': { const r = compare(a, v); return r !== null && r > 0; }
    case '>=': { const r = compare(a, v); return r !== null && r >= 0; }
    case 'like': return a !== null && a !== undefined && likeToRegex(String(v)).test(String(a));
    case 'contains': return a !== null && a !== undefined && String(a).toLowerCase().includes(String(v).toLowerCase());
    case 'in': return Array.isArray(v) && v.some((x) => (x === null ? a === null || a === undefined : compare(a, x) === 0));
  }
}

export function matches(c: Condition, doc: unknown): boolean {
  switch (c.kind) {
    case 'and': return matches(c.left, doc) && matches(c.right, doc);
    case 'or': return matches(c.left, doc) || matches(c.right, doc);
    case 'not': return !matches(c.inner, doc);
    case 'cmp': {
      const r = cmpMatches(c, doc);
      return c.negate ? !r : r;
    }
  }
}
