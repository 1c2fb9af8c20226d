import { createHash } from 'node:crypto';
import type {
  Envelope, InboundTicket, RunbookResolvedV1, TicketConversationV1, TicketEscalatedV1, TicketPlannedV1, TicketResolvedV1, TicketTriagedV1,
} from '@desk/contracts';
import { boardForNewTicket, escalationTarget, statusForStage, STATUS } from './status-map';
import {
  composeEscalationCustomerNote, composeEscalationSummary, composeFirstResponse, composePage, composeResolutionCustomer,
  composeResolutionInternal, composeTriageNote,
} from './composers';
import { redactCustomerText } from './redact';

/** One PSA (or paging) write. Payloads are plain JSON: they are stored in psa_write and executed later. */
export type WriteOp =
  | { kind: 'create_ticket'; summary: string; description: string; contactEmail: string | null; board: string }
  | { kind: 'note'; text: string; internal: boolean; resolution: boolean; firstResponse?: boolean }
  | { kind: 'status'; status: string }
  | { kind: 'route'; board: string; priority: string | null }
  | { kind: 'time_entry'; seconds: number; endAt: string; notes: string; coverage?: CoverageInput }
  /** Reads the client's agreements: a request outside their scope is escalated with that reason. */
  | { kind: 'coverage_check'; coverage: CoverageInput; ticket: InboundTicket; priorityLevel: number }
  /** A child ticket under the ticket's PSA ticket, as its runbook asks (board null = the PSA's default). */
  | { kind: 'create_child'; summary: string; description: string; board: string | null; contactEmail: string | null }
  | { kind: 'page'; subject: string; body: string }
  /** A message to the desk's Teams / Slack channel (the morning queue), not a page. */
  | { kind: 'chat'; subject: string; body: string };

/** What agreement coverage is decided on (when the time entry is written: the agreements are read then). */
export interface CoverageInput {
  category: string | null;
  text: string;
}

const coverageOf = (category: string | null, t: InboundTicket): CoverageInput => ({ category, text: `${t.summary}\n${t.description}`.slice(0, 4000) });

export interface PlannedWrite {
  /** Exactly-once key: the event id and the write kind (and its place in the event's plan). */
  key: string;
  /** Writes of one lane run one at a time, in order: the desk ticket (PSA writes) or its page lane. */
  lane: string;
  /** Order inside the lane: the event's time, then the op's position in the event's plan. */
  sortAt: string;
  opIndex: number;
  op: WriteOp;
}

export interface PlanContext {
  afterHours: boolean;
  /** The PSA ticket number when known (for the page text). */
  psaNumber: string | null;
}

function plan(evt: { eventId: string; ticketId: string; occurredAt: string }, ops: Array<WriteOp | null>): PlannedWrite[] {
  const out: PlannedWrite[] = [];
  ops.forEach((op, i) => {
    if (!op) return;
    const isCreate = op.kind === 'create_ticket';
    out.push({
      // One PSA ticket per desk ticket, whichever event asks first.
      key: isCreate ? `${evt.ticketId}:create_ticket` : `${evt.eventId}:${op.kind}:${i}`,
      lane: op.kind === 'page' ? `page:${evt.ticketId}` : evt.ticketId,
      sortAt: evt.occurredAt,
      opIndex: i,
      op,
    });
  });
  return out;
}

/** Creates the PSA ticket for email / portal / alert tickets that arrived without one. */
function createIfMissing(ticket: InboundTicket): WriteOp | null {
  if (ticket.psa) return null;
  const from = ticket.fromName || ticket.fromEmail ? `\n\nFrom: ${[ticket.fromName, ticket.fromEmail ? `<${ticket.fromEmail}>` : null].filter(Boolean).join(' ')}` : '';
  return {
    kind: 'create_ticket',
    summary: ticket.summary.slice(0, 100) || '(no subject)',
    description: redactCustomerText(`${ticket.description}${from}`).slice(0, 8000) || ticket.summary,
    contactEmail: ticket.fromEmail,
    board: boardForNewTicket(ticket.channel),
  };
}

export function planTriaged(evt: Envelope<TicketTriagedV1>): PlannedWrite[] {
  const { ticket, triage } = evt.payload;
  return plan(evt, [
    createIfMissing(ticket),
    { kind: 'note', text: composeFirstResponse(ticket, triage), internal: false, resolution: false, firstResponse: true },
    { kind: 'note', text: composeTriageNote(ticket, triage), internal: true, resolution: false },
    // Work the desk takes on is checked against the client's agreements (an escalation is already a human's).
    triage.route.decision === 'escalate' ? null : { kind: 'coverage_check', coverage: coverageOf(triage.category, ticket), ticket, priorityLevel: triage.priority.level },
  ]);
}

export function planPlanned(evt: Envelope<TicketPlannedV1>): PlannedWrite[] {
  const p = evt.payload;
  const status = statusForStage(p.stage);
  return plan(evt, [
    createIfMissing(p.ticket),
    { kind: 'note', text: p.internalNote, internal: true, resolution: false },
    p.customerMessage ? { kind: 'note', text: redactCustomerText(p.customerMessage), internal: false, resolution: false } : null,
    status ? { kind: 'status', status } : null,
  ]);
}

/** Guidance or an answer to the user: the note for the technician, the message, and "Waiting on Client". */
export function planConversation(evt: Envelope<TicketConversationV1>): PlannedWrite[] {
  const c = evt.payload;
  return plan(evt, [
    createIfMissing(c.ticket),
    { kind: 'note', text: c.internalNote, internal: true, resolution: false },
    { kind: 'note', text: redactCustomerText(c.customerMessage), internal: false, resolution: false },
    c.waitingOnClient ? { kind: 'status', status: STATUS.waitingOnClient } : null,
  ]);
}

export function planResolved(evt: Envelope<TicketResolvedV1>): PlannedWrite[] {
  const r = evt.payload;
  return plan(evt, [
    createIfMissing(r.ticket),
    { kind: 'note', text: composeResolutionInternal(r), internal: true, resolution: false },
    { kind: 'note', text: composeResolutionCustomer(r), internal: false, resolution: true },
    { kind: 'time_entry', seconds: r.handlingSeconds, endAt: evt.occurredAt, notes: `Automated resolution (${r.category})`, coverage: coverageOf(r.category, r.ticket) },
    { kind: 'status', status: STATUS.resolved },
  ]);
}

export function planEscalated(evt: Envelope<TicketEscalatedV1>, ctx: PlanContext & { page: boolean; priorityNames?: Record<number, string> }): PlannedWrite[] {
  const e = evt.payload;
  const target = escalationTarget(e.security, e.priorityLevel, ctx.priorityNames);
  const handled = Math.max(0, (Date.parse(evt.occurredAt) - Date.parse(e.ticket.receivedAt)) / 1000);
  const page = ctx.page ? composePage(e, ctx.psaNumber, ctx.afterHours) : null;
  return plan(evt, [
    createIfMissing(e.ticket),
    { kind: 'note', text: composeEscalationSummary(e), internal: true, resolution: false },
    { kind: 'route', board: target.board, priority: target.priority },
    { kind: 'note', text: composeEscalationCustomerNote(e, ctx.afterHours), internal: false, resolution: false },
    { kind: 'time_entry', seconds: handled, endAt: evt.occurredAt, notes: `Desk triage and preparation before escalation (${e.reason})`, coverage: coverageOf(e.category, e.ticket) },
    page ? { kind: 'page', subject: page.subject, body: page.body } : null,
  ]);
}

/**
 * The child tickets the ticket's runbook asks for. Keyed by desk ticket and child summary (not by event):
 * a redelivered or repeated resolution never opens a child twice.
 */
export function planChildTickets(evt: Envelope<RunbookResolvedV1>): PlannedWrite[] {
  const { ticket, runbook } = evt.payload;
  const parentAbout = ticket.summary.trim().slice(0, 60) || 'the request';
  return (runbook.childTickets ?? []).map((c, i) => {
    const summary = `${c.summary} - ${parentAbout}`.slice(0, 100);
    const requester = ticket.fromName || ticket.fromEmail ? `\nRequested by: ${[ticket.fromName, ticket.fromEmail ? `<${ticket.fromEmail}>` : null].filter(Boolean).join(' ')}` : '';
    const description = redactCustomerText([c.description ?? c.summary, '', `Opened by the service desk under "${parentAbout}", as the runbook asks.${requester}`].join('\n'));
    const id = createHash('sha256').update(c.summary.toLowerCase()).digest('hex').slice(0, 16);
    return {
      key: `${evt.ticketId}:create_child:${id}`, lane: evt.ticketId, sortAt: evt.occurredAt, opIndex: i,
      op: { kind: 'create_child', summary, description, board: c.board, contactEmail: ticket.fromEmail },
    };
  });
}
