import { TicketCategory, type InboundTicket, type TicketEscalatedV1 } from '@desk/contracts';
import type { CoverageDecision } from './coverage';

/**
 * The escalation psa-writer raises when a request the desk was about to work is outside the client's
 * agreements (a purchase, project work, an onsite visit): a technician quotes it and asks for approval.
 */
export function outOfScopeEscalation(
  ticket: InboundTicket, category: string | null, priorityLevel: number, d: Extract<CoverageDecision, { kind: 'out_of_scope' }>,
): TicketEscalatedV1 {
  const what = d.exclusion.replace(/_/g, ' ');
  return {
    ticket,
    category: TicketCategory.safeParse(category).data ?? null,
    stage: 'psa-writer',
    reason: 'out_of_scope',
    reasons: [d.reason],
    summary: {
      asked: ticket.summary,
      tried: [],
      learned: [`The request reads as ${what}, which the client's agreement does not cover${d.agreementId ? ` (agreement ${d.agreementId})` : ''}.`],
      context: {
        client: ticket.clientIdentifier, requester: ticket.fromName ?? ticket.fromEmail, affectedUser: null, assets: [], relatedTickets: [], documents: [],
      },
      suggestedNextStep: `Confirm the scope with the requester, then quote the ${what} and get the client's approval before any work.`,
      confidence: null,
    },
    priorityLevel: Math.min(4, Math.max(1, priorityLevel)),
    security: false,
  };
}
