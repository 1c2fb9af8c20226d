import type {
  EscalationReason, EscalationSummary, InboundTicket, TicketEscalatedV1, TicketResolvedV1, TriageResult,
} from '@desk/contracts';
import { redactCustomerText } from './redact';

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'not rated' : `${Math.round(x * 100)}%`);
const firstName = (t: InboundTicket) => (t.fromName?.trim().split(/\s+/)[0]) || null;
const greet = (t: InboundTicket) => (firstName(t) ? `Hi ${firstName(t)},` : 'Hello,');
const list = (xs: string[], none = 'none') => (xs.length === 0 ? `  - ${none}` : xs.map((x) => `  - ${x}`).join('\n'));

/** What happens next, per category, in plain words (never a promise the desk cannot keep). */
const NEXT_STEP: Partial<Record<string, string>> = {
  password_reset: 'To protect your account, we will first confirm it is you with a one-time code sent to the contact method we have on file, then reset the password.',
  account_unlock: 'We will confirm it is you with a one-time code sent to the contact method we have on file, then unlock the account.',
  mfa_reenroll: 'We will confirm it is you with a one-time code sent to the contact method we have on file before changing any sign-in method.',
  group_membership: 'Access changes need the approval of your manager or an authorised approver on file; we will ask for it if needed.',
  distribution_list: 'Mailing-list changes may need the approval of your manager on file; we will ask for it if needed.',
  software_install: 'We will check the software is approved for your organisation and install it remotely; you may see an installer window briefly.',
  software_reinstall: 'We will reinstall the application remotely; please save your work in it when you can.',
  printer: 'We will check the printer and its print queue remotely.',
  service_restart: 'We will check the affected service remotely and restart it if needed.',
  vpn_connectivity: 'We will send you the steps that apply to your VPN setup.',
  wifi_connectivity: 'We will send you the steps that apply to your wireless network.',
  onboarding: 'New accounts need the approval of an authorised approver on file; we will prepare everything and ask for it.',
  offboarding: 'Account removals need the approval of an authorised approver on file; we will confirm before anything is changed.',
  email_issue: 'We will look into the mailbox and its settings.',
};

/** The first response, right after triage: received, what happens next, by when (customer-facing). */
export function composeFirstResponse(ticket: InboundTicket, triage: TriageResult): string {
  const about = ticket.summary.trim() ? ` about "${ticket.summary.trim().slice(0, 120)}"` : '';
  const lines = [greet(ticket), '', `Thank you, we have received your request${about}.`];
  if (ticket.alert) {
    lines.splice(0, 3, `Monitoring alert received${about}. The service desk is looking into it.`);
  } else if (triage.route.decision === 'escalate' || triage.security.flagged) {
    lines.push(triage.security.flagged
      ? 'Because it may affect the security of your organisation, it has gone straight to our security team, who will contact you shortly. Please do not click any links or open attachments in the suspicious message in the meantime.'
      : `A technician will pick it up${triage.afterHours ? ' at the start of business hours (urgent issues are handled sooner)' : ' shortly'} and contact you if anything is needed.`);
  } else {
    lines.push('Our service desk is working on it now.');
    const next = NEXT_STEP[triage.category];
    if (next) lines.push(next);
    if (triage.route.decision === 'shadow') lines.push('A technician will review the fix before it is applied.');
    lines.push('We will update this ticket as soon as there is progress.');
  }
  return redactCustomerText(lines.join('\n'));
}

/** Technician-facing: how triage read the ticket. */
export function composeTriageNote(ticket: InboundTicket, triage: TriageResult): string {
  const ents = triage.entities.map((e) => `${e.kind} "${e.mention}" → ${e.ref ?? 'unresolved'} (${pct(e.confidence)})${e.note ? `: ${e.note}` : ''}`);
  return [
    'Desk triage',
    `Category: ${triage.category} (${pct(triage.confidence)}, ${triage.classifier})${triage.alternatives.length ? `; alternatives: ${triage.alternatives.map((a) => `${a.category} ${pct(a.confidence)}`).join(', ')}` : ''}`,
    `Priority: ${triage.priority.name}${triage.priority.reasons.length ? ` (${triage.priority.reasons.join('; ')})` : ''}`,
    `Route: ${triage.route.decision} (policy ${triage.route.policyMode}, threshold ${pct(triage.route.threshold)})${triage.route.reasons.length ? `: ${triage.route.reasons.join('; ')}` : ''}`,
    `Requester: ${triage.requester.name ?? ticket.fromName ?? '-'} <${triage.requester.email ?? ticket.fromEmail ?? '-'}>${triage.requester.vip ? ' (VIP)' : ''}; affected user: ${triage.affectedUpn ?? '-'}`,
    triage.security.flagged ? `Security signals: ${triage.security.signals.join('; ')}` : null,
    ents.length ? `Entities:\n${list(ents)}` : null,
    ticket.alert ? `Alert: ${ticket.alert.condition} on ${ticket.alert.deviceName ?? '-'} (x${ticket.alert.count})` : null,
    triage.afterHours ? 'Received outside the client\'s business hours.' : null,
  ].filter((l): l is string => l !== null).join('\n');
}

const REASON_TEXT: Record<EscalationReason, string> = {
  security_incident: 'possible security incident', out_of_scope: 'outside what the desk may automate', low_confidence: 'the desk was not confident enough',
  policy_off: 'automation is switched off for this case', no_runbook: 'no runbook covers it', runbook_unusable: 'the runbook cannot be used as it is',
  not_authorized: 'the requester is not authorised for this request', identity_verification_failed: 'identity verification failed',
  target_not_allowed: 'the target is not on the runbook\'s allow-list', privileged_target: 'a privileged account or group is involved',
  action_failed: 'the automated action failed', verification_failed: 'the fix could not be verified', unclear_reply: 'the user\'s reply was unclear',
  bad_input: 'the request could not be read', duplicate: 'duplicate of another ticket', other: 'needs a technician',
};

export const SUMMARY_SECTIONS = ['What was asked', 'What was tried', 'What was learned', 'Context', 'Suggested next step', 'Confidence'] as const;

/** The hand-over note: every section present, even when empty, so a technician reads it the same way every time. */
export function composeEscalationSummary(e: TicketEscalatedV1): string {
  const s: EscalationSummary = e.summary;
  const c = s.context;
  return [
    `ESCALATION SUMMARY (${REASON_TEXT[e.reason]}; from ${e.stage})`,
    '',
    `What was asked: ${s.asked.trim() || e.ticket.summary}`,
    '',
    'What was tried:',
    list(s.tried, 'nothing was changed by the desk'),
    '',
    'What was learned:',
    list(s.learned, 'nothing beyond the ticket itself'),
    '',
    'Context:',
    `  - Client: ${c.client ?? e.ticket.clientIdentifier ?? 'unknown'}`,
    `  - Requester: ${c.requester ?? e.ticket.fromEmail ?? 'unknown'}`,
    `  - Affected user: ${c.affectedUser ?? 'unknown'}`,
    `  - Assets: ${c.assets.length ? c.assets.join(', ') : 'none identified'}`,
    `  - Related tickets: ${c.relatedTickets.length ? c.relatedTickets.join(', ') : 'none'}`,
    `  - Documents used: ${c.documents.length ? c.documents.join('; ') : 'none'}`,
    '',
    `Suggested next step: ${s.suggestedNextStep}`,
    '',
    `Confidence: ${pct(s.confidence)}`,
    '',
    'Why escalated:',
    list(e.reasons),
    ...conversationLines(s),
  ].join('\n');
}

/** The conversation with the user so far, oldest first (guidance, answers, the user's words). */
function conversationLines(s: EscalationSummary): string[] {
  const turns = s.conversation ?? [];
  if (turns.length === 0) return [];
  return ['', 'Conversation with the user:', ...turns.map((t) => `  [${t.at.slice(0, 16).replace('T', ' ')} UTC] ${t.from === 'desk' ? 'Desk' : 'User'}: ${t.text.trim().replace(/\n+/g, ' / ').slice(0, 1500)}`)];
}

/** Customer-facing note when a human takes over: honest, short, no internal reasons. */
export function composeEscalationCustomerNote(e: TicketEscalatedV1, afterHours: boolean): string {
  const lines = [greet(e.ticket), ''];
  if (e.security) {
    lines.push('Your ticket has been passed to our security team, who will contact you shortly.',
      'Until then, please do not click links or open attachments in any suspicious message, and do not share passwords or codes with anyone.');
  } else {
    lines.push('Your ticket has been passed to one of our technicians, who will take it from here.');
    lines.push(afterHours && e.priorityLevel > 2
      ? 'It is currently outside business hours, so they will contact you at the start of the next business day.'
      : 'They will contact you if they need anything else from you.');
  }
  return redactCustomerText(lines.join('\n'));
}

export function composeResolutionInternal(r: TicketResolvedV1): string {
  return [
    'Desk resolution',
    `Category: ${r.category}; actions: ${r.actions.length ? r.actions.join(', ') : 'none'}`,
    `Handling time: ${Math.round(r.handlingSeconds)} s`,
    'Evidence:',
    list(r.evidence.map((ev) => `${ev.at} ${ev.source}: ${ev.detail}`), 'none recorded'),
    '',
    r.internalNote,
  ].join('\n');
}

export function composeResolutionCustomer(r: TicketResolvedV1): string {
  const body = r.customerMessage.trim() || 'The issue you reported has been resolved.';
  return redactCustomerText(`${greet(r.ticket)}\n\n${body}\n\nIf anything is still not working, just reply to this ticket and we will pick it up again.`);
}

/** The on-call page (Teams/Slack/paging webhook): enough to act on, nothing secret. */
export function composePage(e: TicketEscalatedV1, psaNumber: string | null, afterHours: boolean): { subject: string; body: string } {
  const what = e.security ? 'Security incident' : `Priority ${e.priorityLevel} escalation`;
  const subject = `${what}: ${e.ticket.clientIdentifier ?? 'unknown client'}${psaNumber ? ` ticket ${psaNumber}` : ''}`;
  const body = [
    `${subject}${afterHours ? ' (after hours)' : ''}`,
    `Asked: ${e.summary.asked || e.ticket.summary}`,
    `Why: ${e.reasons.join('; ')}`,
    `Suggested next step: ${e.summary.suggestedNextStep}`,
  ].join('\n');
  return { subject, body: redactCustomerText(body) };
}
