export interface StalenessPolicy {
  /** A runbook not updated for more than this many days is stale (msp.json runbookPolicy.staleAfterDays). */
  staleAfterDays: number;
  /** Whether a stale runbook's automation may still be used (runbookPolicy.automateStaleRunbooks). */
  automateStale: boolean;
}

export const DEFAULT_STALENESS: StalenessPolicy = { staleAfterDays: 548, automateStale: false };

const DAY_MS = 86_400_000;

export interface Staleness {
  stale: boolean;
  /** Whole days between `updated` and now; null when the document carries no usable date. */
  ageDays: number | null;
}

/** A date-only `updated` counts from midnight UTC of that day. No date at all = cannot be shown fresh. */
export function staleness(updated: string | null, now: Date, policy: StalenessPolicy): Staleness {
  if (!updated) return { stale: true, ageDays: null };
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(updated) ? `${updated}T00:00:00Z` : updated);
  if (Number.isNaN(t)) return { stale: true, ageDays: null };
  const ageDays = Math.floor((now.getTime() - t) / DAY_MS);
  return { stale: ageDays > policy.staleAfterDays, ageDays };
}
