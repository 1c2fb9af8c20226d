import { ConversationTurn, EscalationReason, Subjects, TicketCategory } from '@desk/contracts';
import { TicketScope } from '@desk/platform';
import { CaseContext } from '../persistence/case-repository';
import { PlanStep } from '../domain/plan-types';
import { describeStep } from '../domain/messages';

const NEXT_STEP: Partial<Record<EscalationReason, string>> = {
  security_incident: 'Security board: treat as a possible compromise; do not reset or unlock as a routine action.',
  not_authorized: 'Confirm with an authorized approver on file (by a number already on file) before any change.',
  identity_verification_failed: 'Verify the requester by phone using the number on file; do not use contact details from the ticket.',
  privileged_target: 'L2 with a change record: privileged accounts and groups are never changed by automation.',
  target_not_allowed: 'Handle by hand under the runbook, or decline and explain.',
  action_failed: 'Check the vendor system and the device, then retry by hand.',
  runbook_unusable: 'Follow the client runbook by hand; the case is outside its automation.',
  no_runbook: 'No runbook covers this; a technician handles it and documents the procedure.',
  bad_input: 'Ask the requester for the missing details.',
};

/** Hands the ticket to a human with everything the desk learned; the ticket leaves automation here. */
export async function escalateTicket(
  scope: TicketScope,
  c: { context: CaseContext; clientIdentifier: string | null; correlationId: string },
  e: { reason: EscalationReason; reasons: string[]; security: boolean; steps?: PlanStep[]; tried?: string[]; conversation?: ConversationTurn[] },
): Promise<void> {
  const { ticket, triage } = c.context;
  await scope.publish(Subjects.ticketEscalated, {
    ticketId: scope.ticketId, mspClientId: c.clientIdentifier, correlationId: c.correlationId, causationId: scope.causationId,
  }, {
    ticket,
    category: TicketCategory.safeParse(c.context.category).success ? c.context.category : null,
    stage: 'executor',
    reason: e.reason,
    reasons: e.reasons.length > 0 ? e.reasons : ['escalated by the executor'],
    summary: {
      asked: ticket.summary,
      tried: e.tried ?? [],
      learned: e.reasons,
      context: {
        client: c.clientIdentifier,
        requester: triage.requester.email ?? ticket.fromEmail,
        affectedUser: triage.affectedUpn,
        assets: triage.entities.filter((x) => x.kind === 'device' || x.kind === 'printer').map((x) => x.ref ?? x.mention),
        relatedTickets: [],
        documents: c.context.documents,
      },
      suggestedNextStep: (e.steps && e.steps.length > 0 ? `Planned (not run): ${e.steps.map(describeStep).join('; ')}. ` : '') + (NEXT_STEP[e.reason] ?? 'A technician reviews the request.'),
      confidence: triage.confidence,
      ...(e.conversation && e.conversation.length > 0 ? { conversation: e.conversation } : {}),
    },
    priorityLevel: e.security ? Math.min(2, triage.priority.level) : triage.priority.level,
    security: e.security,
  });
  await scope.transition('escalated', `${e.reason}: ${e.reasons[0] ?? ''}`.slice(0, 500));
  await scope.audit({ actor: 'executor', action: 'escalate', decision: e.reason, why: e.reasons, evidence: { tried: e.tried ?? [], planned: (e.steps ?? []).map(describeStep) } });
}
