/**
 * Text → features for the embedded classifier. Entity-like strings (hostnames, emails, numbers) are
 * replaced by placeholders so the model learns "a device was named", never one client's device names.
 */

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
const URL = /\bhttps?:\/\/\S+/gi;
/** Hostname-like tokens: PREFIX-PART(-PART) with at least one digit or two dashes (CDG-LV-SRV01, WC-FS01). */
const HOST = /\b[A-Z]{2,5}(?:-[A-Z0-9]+){1,4}\b/g;
const NUMBER = /\b\d+(?:[.,:]\d+)*\b/g;

export function normaliseForModel(text: string): string {
  return text
    .replace(URL, ' urltok ')
    .replace(EMAIL, ' emailtok ')
    .replace(HOST, (m) => (/\d/.test(m) || m.split('-').length > 2 ? ' hosttok ' : m))
    .toLowerCase()
    .replace(NUMBER, ' numtok ')
    .replace(/[^a-z0-9'\s]+/g, ' ')
    .replace(/'/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Word unigrams + bigrams and character 3–5-grams inside word boundaries (robust to typos). */
export function extractTerms(normalised: string, out: string[] = []): string[] {
  const words = normalised.length ? normalised.split(' ') : [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    out.push('w:' + w);
    if (i + 1 < words.length) out.push('b:' + w + '_' + words[i + 1]!);
    if (w.endsWith('tok')) continue;
    const padded = ' ' + w + ' ';
    for (let n = 3; n <= 5; n++) {
      for (let j = 0; j + n <= padded.length; j++) out.push('c:' + padded.slice(j, j + n));
    }
  }
  return out;
}

/** The title carries most of the intent, so it is counted twice; very long bodies are cut. */
export function ticketText(summary: string, description: string, maxChars = 4000): string {
  return `${summary}\n${summary}\n${description}`.slice(0, maxChars);
}
