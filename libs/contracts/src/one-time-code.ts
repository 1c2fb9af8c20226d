import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * How a one-time verification code is stored and read back, shared by the executor (which sends the code
 * and checks the answer) and intake (which routes an SMS answer to the ticket whose code it is). Codes are
 * kept only as a salted hash and compared in constant time.
 */
export function hashCode(code: string, salt: string): string {
  return createHash('sha256').update(`${salt}:${code}`).digest('hex');
}

export function codeMatches(candidate: string, salt: string, storedHash: string): boolean {
  const a = Buffer.from(hashCode(candidate, salt), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Every run of 6–8 digits in a reply ("482 913" and "482-913" count as one run). */
export function codeRuns(body: string): string[] {
  return [...body.replace(/(\d)[\s-](?=\d)/g, '$1').matchAll(/(?<!\d)(\d{6,8})(?!\d)/g)].map((m) => m[1]!);
}
