import { lc } from './records';

/**
 * Runbook prose binds as much as the header. These helpers turn the "Prerequisites" and "Escalate if"
 * text into things the planner can test: bullets, names that a bullet singles out, and phrases.
 */
export function bullets(text: string): string[] {
  return text
    .split(/\r?\n(?=\s*(?:[-*]|\d+\.)\s)/)
    .map((b) => b.replace(/^\s*(?:[-*]|\d+\.)\s+/, '').replace(/\s+/g, ' ').trim())
    .filter((b) => b.length > 0);
}

/** Expands "TSP-KIOSK-01 to -03" / "TSP-KIOSK-01 to TSP-KIOSK-03" into every hostname of the range. */
export function expandHostRanges(text: string): string {
  return text.replace(/\b([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-)(\d+) to (?:\1|-)(\d+)\b/gi, (_m, prefix: string, a: string, b: string) => {
    const from = Number(a);
    const to = Number(b);
    if (!(to > from) || to - from > 50) return _m;
    const out: string[] = [];
    for (let i = from; i <= to; i++) out.push(prefix + String(i).padStart(a.length, '0'));
    return out.join(', ');
  });
}

export const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole-word, case-insensitive mention (hostnames and group names contain dashes, so "word" = not [A-Za-z0-9-]). */
export function mentions(text: string, term: string | null | undefined): boolean {
  const t = (term ?? '').trim();
  if (t.length < 3) return false;
  return new RegExp(`(^|[^A-Za-z0-9-])${escapeRe(t)}($|[^A-Za-z0-9-])`, 'i').test(text);
}

/** The bullets of `text` that name any of `terms`. */
export function bulletsNaming(text: string, terms: Array<string | null | undefined>): string[] {
  const expanded = bullets(expandHostRanges(text));
  return expanded.filter((b) => terms.some((t) => mentions(b, t)));
}

export function anyMatch(text: string, patterns: RegExp[]): boolean {
  return patterns.some((p) => p.test(text));
}

/**
 * "Only on firm laptops (AB-LT-*)": a sentence that names the title and restricts it to a hostname
 * pattern. Returns the prefixes the device must match, or null when the prose sets no such limit.
 */
export function hostPrefixLimit(text: string, title: string): string[] | null {
  for (const sentence of text.split(/(?<=[.;])\s+|\r?\n/)) {
    if (!mentions(sentence, title) || !/\bonly\b/i.test(sentence)) continue;
    const prefixes = [...sentence.matchAll(/\b([A-Z][A-Z0-9]*-[A-Z0-9]+-)\*/g)].map((m) => m[1]!.toLowerCase());
    if (prefixes.length > 0) return prefixes;
  }
  return null;
}

/** Names as they appear in prose: "First Last", the UPN and its local part ("first.last"). */
export function personTerms(p: { firstName?: string; lastName?: string; upn?: string | null; displayName?: string | null }): string[] {
  const out: string[] = [];
  if (p.firstName && p.lastName) out.push(`${p.firstName} ${p.lastName}`);
  if (p.displayName) out.push(p.displayName.replace(/^(dr|mr|mrs|ms)\.?\s+/i, ''));
  if (p.upn) out.push(p.upn, lc(p.upn).split('@')[0]!);
  return out;
}
