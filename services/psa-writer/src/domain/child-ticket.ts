import type { PsaTicket } from '@desk/adapters';

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * On a retry of a child-ticket write, the child an earlier attempt already opened (the PSA accepted it but the
 * desk crashed before its bookkeeping). Preferably the one already under the parent; otherwise, where child
 * creation is two calls (ConnectWise: create, then attachChildren) and `canAttach`, an unattached ticket of the
 * same summary — the first call's result, which the retry attaches instead of opening a duplicate. A ticket of
 * that summary under another parent is never taken.
 */
export function existingChild(found: PsaTicket[], summary: string, parentId: string, canAttach: boolean): { ticket: PsaTicket; attach: boolean } | null {
  const same = found.filter((t) => norm(t.summary) === norm(summary) && t.id !== parentId);
  const attached = same.find((t) => t.parentId === parentId);
  if (attached) return { ticket: attached, attach: false };
  if (!canAttach) return null;
  // The newest first: an earlier unrelated ticket of that summary is less likely the one this write opened.
  const loose = same.filter((t) => t.parentId === null).sort((a, b) => Number(b.id) - Number(a.id) || b.id.localeCompare(a.id))[0];
  return loose ? { ticket: loose, attach: true } : null;
}
