import { randomInt, randomBytes } from 'node:crypto';
import { codeMatches, codeRuns, hashCode } from '@desk/contracts';

/**
 * One-time codes and temporary passwords. Codes are stored only as a salted hash and compared in
 * constant time; passwords exist only in memory between generation, the vendor call and the SMS.
 */
export const CODE_DIGITS = 6;

export function generateCode(digits = CODE_DIGITS): string {
  if (digits < 6 || digits > 8) throw new Error('codes are 6 to 8 digits');
  return String(randomInt(0, 10 ** digits)).padStart(digits, '0');
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

export { codeMatches, hashCode };

/** The code in a reply: the one run of 6–8 digits (an ambiguous reply with several runs is not a match). */
export function extractCode(body: string, digits = CODE_DIGITS): string | null {
  const exact = codeRuns(body).filter((r) => r.length === digits);
  return exact.length === 1 ? exact[0]! : null;
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!@#$%*-_+=?';

/** A 16-character temporary password with every character class (crypto RNG, unbiased picks). */
export function generateTemporaryPassword(length = 16): string {
  const all = UPPER + LOWER + DIGITS + SYMBOLS;
  const chars = [UPPER, LOWER, DIGITS, SYMBOLS].map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
