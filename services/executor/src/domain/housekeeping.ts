import type { InboundTicket, TriageResult } from '@desk/contracts';

/**
 * A ticket that asks for nothing — a thank-you ("thanks for fixing the printer"), a confirmation that
 * something works now, typically a reply that did not thread onto its ticket — is closed with a short
 * note instead of looking for a runbook (there is none for "thank you", and escalating it as no_runbook
 * would hand a technician a ticket with nothing to do). Only when triage let it run on its own: shadow mode,
 * a security signal or an unknown client still go to a person.
 */
export function housekeepingClose(ticket: InboundTicket, triage: TriageResult): { customerMessage: string; internalNote: string; why: string } | null {
  if (!triage.housekeeping || triage.category !== 'other' || triage.route.decision !== 'autonomous' || triage.security.flagged) return null;
  if (ticket.channel === 'alert' || ticket.alert) return null;
  const reply = /^\s*(re|aw|sv|antw)\s*:/i.test(ticket.summary);
  const why = reply ? 'a reply that only thanks or confirms it works now' : 'a thank-you note that asks for nothing';
  return {
    customerMessage: 'Thank you for letting us know. There is nothing more for us to do here, so we are closing this ticket.',
    internalNote: `Closed by the desk: ${why} (triage read it as housekeeping; no action, no runbook needed).`,
    why,
  };
}
