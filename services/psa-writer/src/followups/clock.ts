import { readFileSync } from 'node:fs';
import type { Clock } from '../dispatch/tokens';

/**
 * The follow-up clock: the real time, or — for end-to-end tests that drive time across processes — the
 * instant written in a file (DESK_CLOCK_FILE). A file that cannot be read or parsed is an error, never a
 * silent fall back to the real time.
 */
export function clockFrom(file: string): Clock {
  if (!file) return () => new Date();
  return () => {
    const text = readFileSync(file, 'utf8').trim();
    const t = new Date(text);
    if (Number.isNaN(t.getTime())) throw new Error(`DESK_CLOCK_FILE ${file} does not hold an ISO instant: "${text.slice(0, 40)}"`);
    return t;
  };
}
