import { ResolvedEntity } from '@desk/contracts';
import { ClientDirectory, DirDevice } from './directory';

/**
 * Shared computers are named after where they stand, and people name them the same way: "the Cedar Hill
 * front desk" is CDG-CH-FD01, "kiosk 1" is TSP-KIOSK-01, "the reception PC" is WC-WS-RECEP. A computer is
 * meant when every place part of its hostname is written in the ticket and no other computer fits as well.
 */

/** Hostname parts that say what a device is, not where it stands. */
const TYPE_PARTS = new Set(['WS', 'LT', 'PC', 'DT', 'NB', 'VM', 'SRV', 'PRN', 'FW', 'DC', 'FS', 'APP', 'SQL']);
/** Short words that never start a place name ("for Dr", "can help"). */
const NOT_PLACE_WORDS = new Set(['the', 'and', 'for', 'can', 'you', 'our', 'her', 'his', 'she', 'him', 'not', 'but', 'has', 'had', 'was', 'are', 'any', 'all', 'one', 'two', 'who', 'get', 'got', 'its', 'too', 'off', 'out', 'now', 'new', 'old', 'please', 'thanks', 'there', 'their', 'this', 'that', 'with', 'from', 'when', 'then', 'they', 'have', 'keeps', 'still', 'just']);
const COMPUTER_TYPES = new Set(['workstation', 'laptop', 'desktop', 'kiosk', 'computer', 'pc']);

interface Part { letters: string; digits: string | null }

/** "CDG-CH-FD01" → [{CH}, {FD, 01}] (the client prefix and type parts dropped). */
function placeParts(hostname: string): Part[] | null {
  const segs = hostname.toUpperCase().split('-').slice(1);
  const parts: Part[] = [];
  for (const s of segs) {
    const m = /^([A-Z]{2,})(\d{1,3})?$/.exec(s);
    if (!m) {
      if (/^\d+$/.test(s) && parts.length > 0 && parts[parts.length - 1]!.digits === null) parts[parts.length - 1]!.digits = s; // KIOSK-01
      else if (!/^\d+$/.test(s)) return null; // "3F" and the like: not a readable place
      continue;
    }
    if (TYPE_PARTS.has(m[1]!)) continue;
    parts.push({ letters: m[1]!, digits: m[2] ?? null });
  }
  return parts;
}

interface Word { text: string; at: number; end: number }

function wordsOf(text: string): Word[] {
  return [...text.matchAll(/[A-Za-z]+/g)].map((m) => ({ text: m[0], at: m.index, end: m.index + m[0].length }));
}

/** Where in the text a part's letters are written: a word it begins (≥ 4 letters), the abbreviation itself, or the initials of 2–3 words. */
function partMatches(p: Part, words: Word[]): Word[] {
  const L = p.letters.toLowerCase();
  const ends: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.text.toLowerCase();
    if (w === L || (L.length >= 4 && w.startsWith(L))) { ends.push(words[i]!); continue; }
    if (L.length < 2 || L.length > 3 || i + L.length > words.length) continue;
    const run = words.slice(i, i + L.length);
    const adjacent = run.every((x, k) => k === 0 || x.at - run[k - 1]!.end <= 2);
    if (adjacent && run.every((x) => x.text.length >= 3 && !NOT_PLACE_WORDS.has(x.text.toLowerCase())) && run.map((x) => x.text[0]!.toLowerCase()).join('') === L) ends.push(run[run.length - 1]!);
  }
  return ends;
}

/** A number written right after the place ("kiosk 1", "front desk #2"); null when none is. */
function numberAfter(text: string, w: Word): number | null {
  const m = /^\s{0,2}(?:#|no\.?\s*)?(\d{1,3})\b/i.exec(text.slice(w.end, w.end + 8));
  return m ? Number(m[1]) : null;
}

function fits(d: DirDevice, text: string, words: Word[]): number {
  const parts = placeParts(d.hostname);
  if (!parts || parts.length === 0) return 0;
  for (const p of parts) {
    const hits = partMatches(p, words);
    if (hits.length === 0) return 0;
    // A number written after the place must be this device's; none written fits any.
    const numbers = hits.map((h) => numberAfter(text, h)).filter((n): n is number => n !== null);
    if (numbers.length > 0 && !numbers.includes(p.digits === null ? 1 : Number(p.digits))) return 0;
  }
  return parts.length;
}

/** The one shared computer the text names by its place, if exactly one fits best. */
export function deviceByPlace(text: string, dir: ClientDirectory): ResolvedEntity | null {
  const words = wordsOf(text);
  // People's own computers are found through their owner; servers are never guessed from words.
  const candidates = dir.devices.filter((d) => d.ownerUpn === null && d.type !== null && COMPUTER_TYPES.has(d.type.toLowerCase()));
  const scored = candidates.map((d) => ({ d, parts: fits(d, text, words) })).filter((x) => x.parts > 0);
  const best = Math.max(0, ...scored.map((x) => x.parts));
  const top = scored.filter((x) => x.parts === best);
  if (top.length !== 1) return null;
  const d = top[0]!.d;
  // Route checks read the offline note as written for any device entity.
  return { kind: 'device', mention: d.hostname, ref: d.hostname, confidence: 0.7, note: d.online === false ? 'device is offline' : 'named by its place in the ticket' };
}
