import { addBusinessMinutes, type WorkWindow } from '../dispatch/business-time';

/** What the desk knows of a ticket for the morning queue (kept by psa-writer's handlers in ticket_digest). */
export interface DigestTicket {
  ticketId: string;
  summary: string;
  psaNumber: string | null;
  receivedAt: Date;
  priorityLevel: number;
  state: DigestState;
  /** Why it is in that state (escalation reason, what it waits for). */
  detail: string | null;
}

export type DigestState = 'resolved' | 'escalated' | 'waiting' | 'in_progress';

export interface SummaryLine {
  ticketId: string;
  psaNumber: string | null;
  summary: string;
  priorityLevel: number;
  receivedAt: string;
  /** When a technician's first response is due under the client's SLA (business time from the opening). */
  slaDueAt: string;
  detail: string | null;
}

export interface MorningSummary {
  client: string;
  businessDay: string;
  windowStart: string;
  windowEnd: string;
  /** Resolved overnight by the desk. */
  worked: SummaryLine[];
  /** Handed to a technician: first in the morning queue. */
  escalated: SummaryLine[];
  /** Waiting on the user, an approval, or still running. */
  waiting: SummaryLine[];
}

/**
 * The morning queue: what arrived between the previous close and this opening, in three sections, each
 * ordered by priority, then by SLA due time (the oldest first: their response is due soonest).
 */
export function buildMorningSummary(input: {
  client: string; businessDay: string; windowStart: Date; windowEnd: Date; hours: WorkWindow; slaMinutes: number; tickets: DigestTicket[];
}): MorningSummary {
  const line = (t: DigestTicket): SummaryLine => ({
    ticketId: t.ticketId, psaNumber: t.psaNumber, summary: t.summary, priorityLevel: t.priorityLevel, receivedAt: t.receivedAt.toISOString(),
    slaDueAt: addBusinessMinutes(input.hours, t.receivedAt, input.slaMinutes).toISOString(), detail: t.detail,
  });
  const order = (a: SummaryLine, b: SummaryLine) => a.priorityLevel - b.priorityLevel || a.slaDueAt.localeCompare(b.slaDueAt) || a.receivedAt.localeCompare(b.receivedAt);
  const pick = (states: DigestState[]) => input.tickets.filter((t) => states.includes(t.state)).map(line).sort(order);
  return {
    client: input.client, businessDay: input.businessDay, windowStart: input.windowStart.toISOString(), windowEnd: input.windowEnd.toISOString(),
    worked: pick(['resolved']), escalated: pick(['escalated']), waiting: pick(['waiting', 'in_progress']),
  };
}

const ref = (l: SummaryLine) => (l.psaNumber ? `#${l.psaNumber}` : 'no PSA number yet');

/** The chat message (Teams / Slack through the notify adapters): counts first, then the queue in order. */
export function composeMorningMessage(s: MorningSummary, clientName: string): { subject: string; body: string } {
  const total = s.worked.length + s.escalated.length + s.waiting.length;
  const subject = `Overnight at ${clientName} (${s.businessDay}): ${total} ticket(s) — ${s.escalated.length} for a technician, ${s.waiting.length} waiting, ${s.worked.length} resolved`;
  const section = (title: string, lines: SummaryLine[], withDue: boolean) => (lines.length === 0 ? [] : [
    `${title}:`,
    ...lines.map((l) => `- P${l.priorityLevel} ${ref(l)} ${l.summary}${l.detail ? ` (${l.detail})` : ''}${withDue ? `; first response due ${l.slaDueAt.slice(11, 16)} UTC` : ''}`),
    '',
  ]);
  const body = total === 0
    ? `${subject}\nNothing arrived overnight.`
    : [subject, '', ...section('For a technician first', s.escalated, true), ...section('Waiting', s.waiting, false), ...section('Resolved by the desk', s.worked, false)].join('\n').trim();
  return { subject, body };
}
