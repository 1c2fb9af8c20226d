import { z } from 'zod';
import { Channel, PsaSystem, TicketCategory, ActionName } from './catalog';
import {
  InboundTicket, PsaTicketRef, TriageResult, RunbookResolution, PlannedAction, Evidence,
  EscalationSummary, EscalationReason, ConversationTurn,
} from './ticket';

/** intake → triage: a new ticket, stored and deduplicated. */
export const TicketReceivedV1 = z.object({ ticket: InboundTicket });
export type TicketReceivedV1 = z.infer<typeof TicketReceivedV1>;

/**
 * intake → executor (and any stage waiting on the user/technician): an answer on an existing ticket —
 * a verification code, an approval, a status change made by a technician in the PSA, or a user's reply.
 */
export const TicketReplyV1 = z.object({
  psa: PsaTicketRef.nullable(),
  channel: Channel,
  kind: z.enum(['message', 'status_change']),
  fromEmail: z.string().nullable(),
  /** E.164-ish phone for SMS replies. Matched against the contact on file, never trusted on its own. */
  fromPhone: z.string().nullable().default(null),
  /** Set when a technician acted (PSA member identifier). */
  fromMember: z.string().nullable().default(null),
  body: z.string(),
  status: z.string().nullable().default(null),
  receivedAt: z.string().datetime({ offset: true }),
});
export type TicketReplyV1 = z.infer<typeof TicketReplyV1>;

/** triage → knowledge and psa-writer (first response). */
export const TicketTriagedV1 = z.object({ ticket: InboundTicket, triage: TriageResult });
export type TicketTriagedV1 = z.infer<typeof TicketTriagedV1>;

/** knowledge → executor: the client's applicable runbook(s), resolved at run time. */
export const RunbookResolvedV1 = z.object({ ticket: InboundTicket, triage: TriageResult, runbook: RunbookResolution });
export type RunbookResolvedV1 = z.infer<typeof RunbookResolvedV1>;

/** executor → psa-writer: the plan, and where the ticket now waits. */
export const TicketPlannedV1 = z.object({
  ticket: InboundTicket,
  category: TicketCategory,
  stage: z.enum(['proposed', 'awaiting_verification', 'awaiting_approval', 'executing']),
  plan: z.array(PlannedAction),
  /** Plain-language note for the end user (never a secret, never an internal id). */
  customerMessage: z.string().nullable(),
  /** Technician-facing detail: the plan, the documents, the reasons. */
  internalNote: z.string(),
  /** Who the ticket waits on, in plain words (the approvers asked), for the user's status updates. */
  waitingOn: z.string().nullable().optional(),
});
export type TicketPlannedV1 = z.infer<typeof TicketPlannedV1>;

/**
 * executor → psa-writer: the desk talks to the user on a ticket it handles without an action — guidance
 * steps from the client's runbook, an answer to the user's question — and now waits for the user.
 */
export const TicketConversationV1 = z.object({
  ticket: InboundTicket,
  category: TicketCategory,
  turn: z.enum(['guidance', 'answer']),
  /** 1 for the first guidance, then one more per answered question. */
  round: z.number().int().positive(),
  /** Plain-language message to the user (never a secret, never an internal id). */
  customerMessage: z.string().min(1),
  /** Technician-facing detail: the runbook used, why guidance, the conversation so far. */
  internalNote: z.string(),
  /** The ticket now waits on the user: status "Waiting on Client", reminders and the close start. */
  waitingOnClient: z.boolean(),
  /** How to greet the user in reminders (first name), when known. */
  contactName: z.string().nullable().default(null),
  conversation: z.array(ConversationTurn).default([]),
});
export type TicketConversationV1 = z.infer<typeof TicketConversationV1>;

/** executor → verifier: an action ran (or failed) at the vendor. */
export const ActionExecutedV1 = z.object({
  ticket: InboundTicket,
  triage: TriageResult,
  documents: z.array(z.string()),
  action: PlannedAction,
  outcome: z.enum(['succeeded', 'failed']),
  /** Vendor's reference (RMM job uid, Graph request id...). */
  vendorRef: z.string().nullable(),
  detail: z.string(),
  startedAt: z.string().datetime({ offset: true }),
  finishedAt: z.string().datetime({ offset: true }),
});
export type ActionExecutedV1 = z.infer<typeof ActionExecutedV1>;

/** verifier → psa-writer: the fix is proven. */
export const TicketResolvedV1 = z.object({
  ticket: InboundTicket,
  category: TicketCategory,
  actions: z.array(ActionName),
  evidence: z.array(Evidence),
  customerMessage: z.string(),
  internalNote: z.string(),
  /** Wall-clock seconds the desk spent, from receipt to verified. */
  handlingSeconds: z.number().nonnegative(),
});
export type TicketResolvedV1 = z.infer<typeof TicketResolvedV1>;

/** any stage → psa-writer: a human takes over, well prepared. */
export const TicketEscalatedV1 = z.object({
  ticket: InboundTicket,
  category: TicketCategory.nullable(),
  stage: z.enum(['intake', 'triage', 'knowledge', 'executor', 'verifier', 'psa-writer']),
  reason: EscalationReason,
  reasons: z.array(z.string()).min(1),
  summary: EscalationSummary,
  priorityLevel: z.number().int().min(1).max(4),
  security: z.boolean(),
});
export type TicketEscalatedV1 = z.infer<typeof TicketEscalatedV1>;

/** psa-writer → intake: the PSA ticket now exists (so replies can be threaded onto the desk ticket). */
export const TicketPsaLinkedV1 = z.object({ psa: PsaTicketRef, system: PsaSystem, clientIdentifier: z.string().nullable() });
export type TicketPsaLinkedV1 = z.infer<typeof TicketPsaLinkedV1>;

/** Anything a consumer could not process after its last redelivery, or that failed its schema. */
export const DeadLetterV1 = z.object({
  subject: z.string(),
  consumer: z.string(),
  error: z.string(),
  deliveries: z.number().int().nonnegative(),
  /** The original message body as received (UTF-8; may not be valid JSON). */
  raw: z.string(),
});
export type DeadLetterV1 = z.infer<typeof DeadLetterV1>;
