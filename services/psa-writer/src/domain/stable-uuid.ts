import { createHash } from 'node:crypto';

/**
 * A uuid derived from a key: the same key gives the same uuid on every replica and every retry, for rows
 * keyed by uuid that stand for something other than a desk ticket (a client's morning queue, a child ticket).
 */
export function stableUuid(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
