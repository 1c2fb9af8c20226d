/** Small, dependency-free matching helpers for entity resolution. */

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Directory names repeat on every ticket: compile each pattern once (bounded, so a huge directory cannot grow it forever).
const compiled = new Map<string, RegExp>();
export function cachedRegex(source: string, flags = ''): RegExp {
  const key = `${flags}/${source}`;
  let re = compiled.get(key);
  if (!re) {
    if (compiled.size > 50_000) compiled.clear();
    re = new RegExp(source, flags);
    compiled.set(key, re);
  }
  return re;
}

/** Whole-word, case-insensitive containment (hyphens and spaces treated alike). */
export function containsPhrase(text: string, phrase: string): boolean {
  if (!phrase.trim()) return false;
  const p = escapeRegex(phrase.trim()).replace(/(\\-|\s)+/g, '[-\\s_]*');
  return cachedRegex(`(^|[^A-Za-z0-9])${p}(?=$|[^A-Za-z0-9])`, 'i').test(text);
}

/** Case-sensitive word match for proper names ("Maria", not "maria" inside "mariachi"). */
export function containsName(text: string, name: string): boolean {
  return text.includes(name) && nameRegex(name).test(text);
}

export function nameRegex(name: string): RegExp {
  return cachedRegex(`(^|[^A-Za-z])${escapeRegex(name)}(?=$|[^A-Za-z])`);
}

export function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Tokens that say little about which product is meant. */
const SOFT_TOKENS = new Set(['for', 'the', 'and', 'windows', 'desktop', 'client', 'app', 'microsoft', 'adobe', 'x64', 'edition', 'suite', 'of']);

export function significantTokens(name: string): string[] {
  return norm(name).split(' ').filter((t) => t && !SOFT_TOKENS.has(t) && !/^\d+(\.\d+)*$/.test(t));
}
