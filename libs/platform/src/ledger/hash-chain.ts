import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so a hash does not depend on key order (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>).sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The hashed content of one audit entry (everything but the hashes and the storage id). */
export interface ChainedEntry {
  ticketId: string;
  seq: number;
  at: string;
  service: string;
  actor: string;
  action: string;
  decision: string | null;
  why: unknown;
  evidence: unknown;
}

export function entryHash(prevHash: string, entry: ChainedEntry): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(entry)).digest('hex');
}

export interface StoredEntry extends ChainedEntry {
  id: string;
  prevHash: string;
  hash: string;
}

export interface ChainBreak {
  id: string;
  ticketId: string;
  seq: number;
  reason: string;
}

/**
 * Checks one ticket's entries (ordered by seq): numbering, links and hashes. Returns the first break.
 * A row edited in place changes its hash; a deleted row breaks the numbering and the next link.
 */
export function verifyChain(entries: StoredEntry[]): ChainBreak | null {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const e of entries) {
    const at = { id: e.id, ticketId: e.ticketId, seq: e.seq };
    if (e.seq !== expectedSeq) return { ...at, reason: `sequence gap: expected ${expectedSeq}, found ${e.seq}` };
    if (e.prevHash !== prev) return { ...at, reason: 'prev_hash does not match the previous entry' };
    const content: ChainedEntry = {
      ticketId: e.ticketId, seq: e.seq, at: e.at, service: e.service, actor: e.actor, action: e.action,
      decision: e.decision, why: e.why, evidence: e.evidence,
    };
    if (entryHash(prev, content) !== e.hash) return { ...at, reason: 'hash does not match the entry content' };
    prev = e.hash;
    expectedSeq += 1;
  }
  return null;
}
