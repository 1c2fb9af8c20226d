/** E.164 after removing the usual separators (`+1-555-0110` → `+15550110`); null when it cannot be one. */
export function toE164(raw: string): string | null {
  const compact = raw.trim().replace(/[\s().-]/g, '');
  return /^\+[1-9]\d{6,14}$/.test(compact) ? compact : null;
}
