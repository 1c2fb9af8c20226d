import { addBusinessMinutes, type WorkWindow } from './business-time';
import { slaStatus, type SlaPolicy, type SlaState, type SlaStatus } from './sla';

/** What the desk remembers of one watched ticket between passes (the sla_watch row; all null before the first look). */
export interface SlaWatchMemory {
  /** 'met' / 'missed' once a person answered or the ticket closed: nothing can change the answer any more. */
  settledState: SlaState | null;
  respondedAt: Date | null;
  settledAt: Date | null;
  /** Not looked at again before this (the last look plus the poll interval). */
  nextCheckAt: Date | null;
}

export type SlaWatchDecision =
  /** Look at the PSA now. */
  | { fetch: true }
  /** No PSA call: `status` is what is known without one; `checkAt` is when a look may be due (null = never). */
  | { fetch: false; status: SlaStatus; checkAt: Date | null };

/** When an unanswered ticket turns "at risk": `warnAt` of the SLA, in the client's business time. */
export function warnPoint(receivedAt: Date, hours: WorkWindow, policy: SlaPolicy): Date {
  return addBusinessMinutes(hours, receivedAt, policy.firstResponseMinutes * policy.warnAt);
}

/**
 * Whether a watched ticket's PSA record is worth reading now. Only a look can tell that a person answered,
 * but only a ticket past its warn point can be at risk: before it the answer cannot matter (the ticket
 * counts as on track either way), after it one look per poll interval is enough. A settled ticket is
 * never read again. `toleranceMs` absorbs timer jitter so a look due "at the next pass" is not pushed
 * one pass later by a few milliseconds.
 */
export function slaWatchDecision(
  t: { ticketId: string; clientIdentifier: string; receivedAt: Date },
  memory: SlaWatchMemory, hours: WorkWindow, policy: SlaPolicy, now: Date, toleranceMs = 0,
): SlaWatchDecision {
  const base = { ticketId: t.ticketId, clientIdentifier: t.clientIdentifier, receivedAt: t.receivedAt };
  if (memory.settledState) {
    // Recomputed as of when it settled, so a closed-unanswered ticket keeps the state it had then.
    const status = slaStatus({ ...base, respondedAt: memory.respondedAt, closed: true }, hours, policy, memory.settledAt ?? now);
    return { fetch: false, status, checkAt: null };
  }
  const warn = warnPoint(t.receivedAt, hours, policy);
  const due = memory.nextCheckAt && memory.nextCheckAt.getTime() > warn.getTime() ? memory.nextCheckAt : warn;
  if (due.getTime() - now.getTime() > toleranceMs) {
    // Unanswered as far as the last look knew: on track before the warn point, at risk or late after it.
    return { fetch: false, status: slaStatus({ ...base, respondedAt: null, closed: false }, hours, policy, now), checkAt: due };
  }
  return { fetch: true };
}

/** A looked-at status that can no longer change (answered, or closed). */
export function isSettled(s: SlaStatus): boolean {
  return s.state === 'met' || s.state === 'missed';
}
