/**
 * Which title on record a request means: "Zoom" → "Zoom Workplace", "Chrome" → "Google Chrome",
 * "AnyConnect" → "Cisco Secure Client". Conservative by design: a title is chosen only when the words of
 * the request that carry meaning (not vendor names, not filler) all belong to exactly one title on
 * record, and nothing in the request contradicts it (another edition, another year). Anything else is
 * `ambiguous` (several titles fit: a person picks) or `none` — never a guess.
 */
export type TitleMatch =
  | { kind: 'match'; title: string; how: 'exact' | 'alias' | 'tokens' }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'none'; near: string[] };

/** Words that never identify a product on their own: vendors, platforms, packaging, filler. */
const WEAK = new Set([
  'microsoft', 'ms', 'adobe', 'google', 'apple', 'cisco', 'mozilla', 'oracle', 'sonicwall', 'fortinet', 'palo', 'alto',
  'app', 'apps', 'application', 'applications', 'software', 'program', 'programme', 'tool', 'tools', 'client', 'desktop', 'windows',
  'win', 'pc', 'mac', 'for', 'the', 'a', 'an', 'of', 'and', 'x64', 'x86', '64', '32', 'bit', 'edition', 'latest', 'new', 'newest',
  'version', 'install', 'installer', 'setup', 'please', 'browser', 'suite', 'package', 'plugin', 'plug', 'in', 'addon', 'add',
]);

/** Editions that change what is installed: if the request names one, the title must have it too. */
const EDITIONS = new Set(['pro', 'professional', 'reader', 'standard', 'premium', 'enterprise', 'business', 'home', 'server', 'viewer', 'designer', 'lite', 'basic', 'rooms']);

/**
 * Well-known other names of products (renames and everyday names), as word sequences. Applied to the
 * request only; the result must still match a title on record, so an alias never adds a title.
 */
const ALIASES: Array<[RegExp, string]> = [
  [/\banyconnect\b/g, 'secure client'],
  [/\b(?:ms |microsoft )?office(?: 365)?\b|\bo365\b|\bm365\b/g, 'microsoft 365 apps'],
  [/\bacrobat reader dc\b|\badobe reader\b/g, 'acrobat reader'],
  [/\bglobal protect\b/g, 'globalprotect'],
  [/\bnet extender\b/g, 'netextender'],
  [/\bforti client\b/g, 'forticlient'],
  [/\b7 ?zip\b/g, '7-zip'],
  [/\bvlc\b(?! media player)/g, 'vlc media player'],
];

export function tokens(s: string): string[] {
  return s.toLowerCase().replace(/[®™©]/g, '').replace(/(\d)\.(\d)/g, '$1_$2').split(/[^a-z0-9_]+/).filter(Boolean);
}

const compact = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const strong = (ts: string[]) => ts.filter((t) => !WEAK.has(t));
const FILLER = new Set(['for', 'the', 'a', 'an', 'of', 'and', 'app', 'apps', 'software', 'client', 'desktop', 'windows', 'install', 'please', 'new']);

function withAliases(request: string): string {
  let out = ` ${request.toLowerCase()} `;
  for (const [re, to] of ALIASES) out = out.replace(re, to);
  return out.trim();
}

/**
 * Every meaningful request word is in the title — editions and versions included, so "Photoshop 2024"
 * is not "Adobe Photoshop 2025" and "Acrobat Pro" is not "Adobe Acrobat Reader".
 */
function fits(requestTokens: string[], titleTokens: string[]): boolean {
  const want = strong(requestTokens);
  if (want.length === 0) return false;
  const have = new Set(titleTokens);
  return want.every((t) => have.has(t));
}

export function matchTitle(request: string, titles: readonly string[]): TitleMatch {
  const raw = request.trim();
  if (!raw) return { kind: 'none', near: [] };
  const exact = titles.filter((t) => compact(t) === compact(raw));
  if (exact.length === 1) return { kind: 'match', title: exact[0]!, how: 'exact' };

  const aliased = withAliases(raw);
  const tryWith = (text: string): string[] => titles.filter((t) => fits(tokens(text), tokens(t)));
  let how: 'alias' | 'tokens' = 'tokens';
  let hits = tryWith(raw);
  if (hits.length === 0 && aliased !== raw.toLowerCase()) {
    hits = tryWith(aliased);
    how = 'alias';
    const exactAlias = titles.filter((t) => compact(t) === compact(aliased));
    if (exactAlias.length === 1) return { kind: 'match', title: exactAlias[0]!, how: 'alias' };
  }
  // Several titles share the words: the request names an edition only one of them has → that one;
  // otherwise a person decides ("Acrobat" with both Reader and Pro on record).
  if (hits.length > 1) {
    const req = new Set(tokens(how === 'alias' ? aliased : raw));
    const byEdition = hits.filter((t) => tokens(t).filter((x) => EDITIONS.has(x)).every((x) => req.has(x)));
    if (byEdition.length === 1 && byEdition[0] && tokens(byEdition[0]).some((x) => EDITIONS.has(x) && req.has(x))) {
      return { kind: 'match', title: byEdition[0], how };
    }
    return { kind: 'ambiguous', candidates: hits };
  }
  if (hits.length === 1) {
    const title = hits[0]!;
    // An edition the request names that the title lacks ("Zoom Rooms" vs "Zoom Workplace") is another product.
    const reqEditions = tokens(how === 'alias' ? aliased : raw).filter((t) => EDITIONS.has(t));
    if (reqEditions.some((e) => !tokens(title).includes(e))) return { kind: 'none', near: [title] };
    return { kind: 'match', title, how };
  }
  // Nothing fits: list titles sharing any meaningful word, so the escalation names what is on record.
  const words = new Set(tokens(aliased).filter((w) => !FILLER.has(w)));
  return { kind: 'none', near: titles.filter((t) => tokens(t).some((w) => words.has(w))) };
}
