import { addBusinessMinutes, businessMinutesBetween, type WorkWindow } from './business-time';

export interface SlaPolicy {
  /** First response due within this many minutes of the client's business time. */
  firstResponseMinutes: number;
  /** Share of the SLA after which an unanswered ticket is "at risk" (0.75 = with a quarter of the time left). */
  warnAt: number;
}

export interface SlaTicket {
  ticketId: string;
  clientIdentifier: string;
  receivedAt: Date;
  /** The first response by a person (not the automation); null while nobody answered. */
  respondedAt: Date | null;
  closed: boolean;
}

export type SlaState = 'met' | 'missed' | 'on_track' | 'at_risk' | 'breached';

export interface SlaStatus {
  ticketId: string;
  clientIdentifier: string;
  state: SlaState;
  /** Business minutes used so far (until the response when there was one). */
  usedMinutes: number;
  dueAt: Date;
}

/**
 * Where a ticket stands against the client's first-response SLA, counted in the client's business time
 * (a ticket received Friday evening is not late on Saturday).
 */
export function slaStatus(t: SlaTicket, hours: WorkWindow, policy: SlaPolicy, now: Date): SlaStatus {
  const dueAt = addBusinessMinutes(hours, t.receivedAt, policy.firstResponseMinutes);
  const base = { ticketId: t.ticketId, clientIdentifier: t.clientIdentifier, dueAt };
  if (t.respondedAt) {
    const used = businessMinutesBetween(hours, t.receivedAt, t.respondedAt);
    return { ...base, usedMinutes: used, state: t.respondedAt.getTime() <= dueAt.getTime() ? 'met' : 'missed' };
  }
  const used = businessMinutesBetween(hours, t.receivedAt, now);
  // A ticket closed without a response no longer waits on anyone.
  if (t.closed) return { ...base, usedMinutes: used, state: now.getTime() <= dueAt.getTime() ? 'met' : 'missed' };
  const state: SlaState = used >= policy.firstResponseMinutes ? 'breached' : used >= policy.firstResponseMinutes * policy.warnAt ? 'at_risk' : 'on_track';
  return { ...base, usedMinutes: used, state };
}

/** Tickets waiting on a first response that need attention now (at risk or already late). */
export function needsAttention(s: SlaStatus): boolean {
  return s.state === 'at_risk' || s.state === 'breached';
}

/** Count of tickets needing attention per client (every client listed, zero included, so the gauge drops back). */
export function atRiskByClient(statuses: SlaStatus[], clients: string[]): Map<string, number> {
  const out = new Map<string, number>(clients.map((c) => [c, 0]));
  for (const s of statuses) if (needsAttention(s)) out.set(s.clientIdentifier, (out.get(s.clientIdentifier) ?? 0) + 1);
  return out;
}

/**
 * When a person first answered: the earliest note after receipt written by a team member other than
 * the automation (the desk's own acknowledgement does not stop a human SLA clock; a contact's note is the user).
 */
export function firstHumanResponse(notes: ReadonlyArray<{ createdBy: string | null; createdAt: string | null }>, humans: ReadonlySet<string>, receivedAt: Date): Date | null {
  let first: number | null = null;
  for (const n of notes) {
    if (!n.createdBy || !n.createdAt || !humans.has(n.createdBy.toLowerCase())) continue;
    const t = Date.parse(n.createdAt);
    if (!Number.isFinite(t) || t < receivedAt.getTime()) continue;
    if (first === null || t < first) first = t;
  }
  return first === null ? null : new Date(first);
}

/** The page text for a ticket whose first response is at risk or late. */
export function composeSlaPage(s: SlaStatus, psaNumber: string | null, minutes: number): { subject: string; body: string } {
  const late = s.state === 'breached';
  const ref = psaNumber ? `#${psaNumber}` : s.ticketId;
  return {
    subject: `${late ? 'First-response SLA missed' : 'First-response SLA at risk'}: ${s.clientIdentifier} ticket ${ref}`,
    body: `Ticket ${ref} (${s.clientIdentifier}) has no response from a technician after ${Math.round(s.usedMinutes)} of ${minutes} business minutes; `
      + `due ${s.dueAt.toISOString()}. Please pick it up.`,
  };
}
