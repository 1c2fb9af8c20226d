/**
 * The subset of CQL the sandbox understands: clauses joined by `and`, then an optional `order by`.
 *   space = TSP | space = "TSP" | space in ("TSP", "MSP")
 *   type = page
 *   title = "..." | title ~ "..."
 *   lastModified > "yyyy/MM/dd HH:mm" (also >=, <, <=, and dates "yyyy-MM-dd", "yyyy/MM/dd")
 *   created (same operators as lastModified)
 * Anything else is a parse error, answered with Confluence's 400.
 */
export interface CqlQuery {
  spaces: string[] | null;
  type: string | null;
  title: { op: '=' | '~'; value: string } | null;
  lastModified: Array<{ op: '>' | '>=' | '<' | '<='; at: number }>;
  created: Array<{ op: '>' | '>=' | '<' | '<='; at: number }>;
  orderBy: { field: 'lastModified' | 'created' | 'title' | 'id'; desc: boolean } | null;
}

export class CqlError extends Error {}

const TOKEN = /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(>=|<=|!=|=|>|<|~|\(|\)|,)|([A-Za-z0-9_.\-/:]+))/y;

type Tok = { kind: 'str' | 'op' | 'word'; value: string };

function tokenize(cql: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < cql.length && (m = TOKEN.exec(cql))) {
    if (m[1] !== undefined || m[2] !== undefined) out.push({ kind: 'str', value: (m[1] ?? m[2]).replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) out.push({ kind: 'op', value: m[3] });
    else if (m[4] !== undefined) out.push({ kind: 'word', value: m[4] });
  }
  if (cql.slice(TOKEN.lastIndex).trim()) throw new CqlError(`Could not parse cql : ${cql}`);
  return out;
}

/** CQL dates are in the user's time zone; the sandbox's API user is on UTC. */
function parseDate(s: string): number {
  const m = /^(\d{4})[/-](\d{2})[/-](\d{2})(?:[ T](\d{2}):(\d{2}))?$/.exec(s.trim());
  if (!m) throw new CqlError(`Invalid date: ${s}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
}

export function parseCql(cql: string): CqlQuery {
  const q: CqlQuery = { spaces: null, type: null, title: null, lastModified: [], created: [], orderBy: null };
  const toks = tokenize(cql);
  let i = 0;
  const peek = () => toks[i];
  const next = (): Tok => {
    const t = toks[i++];
    if (!t) throw new CqlError(`Could not parse cql : ${cql}`);
    return t;
  };
  const value = (): string => {
    const t = next();
    if (t.kind === 'op') throw new CqlError(`Could not parse cql : ${cql}`);
    return t.value;
  };
  while (i < toks.length) {
    const field = next();
    if (field.kind !== 'word') throw new CqlError(`Could not parse cql : ${cql}`);
    const name = field.value.toLowerCase();
    if (name === 'order') {
      if (next().value.toLowerCase() !== 'by') throw new CqlError(`Could not parse cql : ${cql}`);
      const f = value();
      const known = ['lastModified', 'created', 'title', 'id'].find((k) => k.toLowerCase() === f.toLowerCase()) as NonNullable<CqlQuery['orderBy']>['field'] | undefined;
      if (!known) throw new CqlError(`Unsupported order by field: ${f}`);
      const dir = peek()?.kind === 'word' ? next().value.toLowerCase() : 'asc';
      q.orderBy = { field: known, desc: dir === 'desc' };
      break;
    }
    const op = next();
    if (op.kind !== 'op' && !(op.kind === 'word' && op.value.toLowerCase() === 'in')) throw new CqlError(`Could not parse cql : ${cql}`);
    const opv = op.value.toLowerCase();
    if (name === 'space' || name === 'space.key') {
      if (opv === '=') q.spaces = [value()];
      else if (opv === 'in') {
        if (next().value !== '(') throw new CqlError(`Could not parse cql : ${cql}`);
        const keys: string[] = [];
        for (;;) {
          keys.push(value());
          const sep = next().value;
          if (sep === ')') break;
          if (sep !== ',') throw new CqlError(`Could not parse cql : ${cql}`);
        }
        q.spaces = keys;
      } else throw new CqlError(`Unsupported operator ${op.value} for space`);
    } else if (name === 'type') {
      if (opv !== '=') throw new CqlError(`Unsupported operator ${op.value} for type`);
      q.type = value();
    } else if (name === 'title') {
      if (opv !== '=' && opv !== '~') throw new CqlError(`Unsupported operator ${op.value} for title`);
      q.title = { op: opv, value: value() };
    } else if (name === 'lastmodified' || name === 'created') {
      if (!['>', '>=', '<', '<='].includes(opv)) throw new CqlError(`Unsupported operator ${op.value} for ${field.value}`);
      const clause = { op: opv as '>' | '>=' | '<' | '<=', at: parseDate(value()) };
      (name === 'created' ? q.created : q.lastModified).push(clause);
    } else {
      throw new CqlError(`Unsupported CQL field: ${field.value}`);
    }
    const joiner = peek();
    if (!joiner) break;
    if (joiner.kind === 'word' && joiner.value.toLowerCase() === 'and') {
      i++;
      if (i >= toks.length) throw new CqlError(`Could not parse cql : ${cql}`);
    }
    else if (!(joiner.kind === 'word' && joiner.value.toLowerCase() === 'order')) throw new CqlError(`Could not parse cql : ${cql}`);
  }
  return q;
}

export function compare(op: '>' | '>=' | '<' | '<=', a: number, b: number): boolean {
  if (op === '>') return a > b;
  if (op === '>=') return a >= b;
  if (op === '<') return a < b;
  return a <= b;
}
