import { VendorRequestError, VendorResponseError } from '../http/errors';

export type Rec = Record<string, unknown>;

export const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
export const obj = (v: unknown): Rec | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : null);

export function arr(v: unknown, vendor: string, what: string): Rec[] {
  if (!Array.isArray(v)) throw new VendorResponseError(`${vendor}: ${what} is not an array`, vendor, 200, JSON.stringify(v)?.slice(0, 300) ?? null);
  return v as Rec[];
}

export function record(v: unknown, vendor: string, what: string): Rec {
  const o = obj(v);
  if (!o) throw new VendorResponseError(`${vendor}: ${what} is not an object`, vendor, 200, JSON.stringify(v)?.slice(0, 300) ?? null);
  return o;
}

export function requireNum(v: unknown, vendor: string, what: string): number {
  const n = num(v);
  if (n === null) throw new VendorResponseError(`${vendor}: ${what} is missing`, vendor, 200, null);
  return n;
}

/** A name the vendor does not know (status, board, priority, member): our request is wrong for this PSA. */
export function unknownName(vendor: string, what: string, name: string): VendorRequestError {
  return new VendorRequestError(`${vendor}: unknown ${what} "${name}"`, vendor, null);
}

/** Member identifiers compared loosely (`L1Agent` = `l1-agent`), since some PSAs only carry an e-mail. */
export const sameIdentifier = (a: string, b: string) => a.toLowerCase().replace(/[^a-z0-9]/g, '') === b.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Runs `fn` over `items` with at most `n` in flight. */
export async function mapLimit<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (i < items.length) {
      const k = i++;
      out[k] = await fn(items[k]);
    }
  }));
  return out;
}

export const splitList = (s: string | null | undefined): string[] => (s ?? '').split(/[,\n]/).map((x) => x.trim()).filter(Boolean);
