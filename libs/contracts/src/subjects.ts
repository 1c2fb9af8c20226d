import { z } from 'zod';
import { envelopeSchema } from './envelope';
import {
  TicketReceivedV1, TicketReplyV1, TicketTriagedV1, RunbookResolvedV1, TicketPlannedV1, ActionExecutedV1,
  TicketResolvedV1, TicketEscalatedV1, TicketPsaLinkedV1, DeadLetterV1, TicketConversationV1,
} from './events';
import { KnowledgeSearchRequestV1, KnowledgeSearchReplyV1 } from './rpc';

/** The JetStream stream that holds every pipeline event (file storage, see docs/ARCHITECTURE.md). */
export const DESK_STREAM = 'DESK';
export const DESK_STREAM_SUBJECTS = ['desk.>'];

/**
 * Every durable subject, with the payload schema of its version. A breaking change is a new subject
 * (`….v2`) published beside the old one until every consumer moved.
 */
export const Subjects = {
  ticketReceived: 'desk.ticket.received.v1',
  ticketReply: 'desk.ticket.reply.v1',
  ticketTriaged: 'desk.ticket.triaged.v1',
  runbookResolved: 'desk.ticket.runbook-resolved.v1',
  ticketPlanned: 'desk.ticket.planned.v1',
  ticketConversation: 'desk.ticket.conversation.v1',
  actionExecuted: 'desk.action.executed.v1',
  ticketResolved: 'desk.ticket.resolved.v1',
  ticketEscalated: 'desk.ticket.escalated.v1',
  ticketPsaLinked: 'desk.ticket.psa-linked.v1',
  deadLetter: 'desk.dlq.v1',
} as const;
export type Subject = (typeof Subjects)[keyof typeof Subjects];

export const PayloadSchemas = {
  [Subjects.ticketReceived]: TicketReceivedV1,
  [Subjects.ticketReply]: TicketReplyV1,
  [Subjects.ticketTriaged]: TicketTriagedV1,
  [Subjects.runbookResolved]: RunbookResolvedV1,
  [Subjects.ticketPlanned]: TicketPlannedV1,
  [Subjects.ticketConversation]: TicketConversationV1,
  [Subjects.actionExecuted]: ActionExecutedV1,
  [Subjects.ticketResolved]: TicketResolvedV1,
  [Subjects.ticketEscalated]: TicketEscalatedV1,
  [Subjects.ticketPsaLinked]: TicketPsaLinkedV1,
  [Subjects.deadLetter]: DeadLetterV1,
} as const satisfies Record<Subject, z.ZodType>;

export type PayloadOf<S extends Subject> = z.infer<(typeof PayloadSchemas)[S]>;

/** What a producer passes in (defaults not yet applied). */
export type PayloadInput<S extends Subject> = z.input<(typeof PayloadSchemas)[S]>;

export const EnvelopeSchemas: Record<Subject, z.ZodType> = Object.fromEntries(
  Object.entries(PayloadSchemas).map(([s, p]) => [s, envelopeSchema(p)]),
) as unknown as Record<Subject, z.ZodType>;

export function isSubject(s: string): s is Subject {
  return Object.prototype.hasOwnProperty.call(PayloadSchemas, s);
}

/** Core-NATS request/reply subjects (not in the stream: a lost query is simply retried). */
export const RpcSubjects = {
  knowledgeSearch: 'rpc.knowledge.search.v1',
} as const;
export const RpcSchemas = {
  [RpcSubjects.knowledgeSearch]: { request: KnowledgeSearchRequestV1, reply: KnowledgeSearchReplyV1 },
} as const;

export function subjectVersion(subject: string): number {
  const m = /\.v(\d+)$/.exec(subject);
  if (!m) throw new Error(`subject ${subject} has no version suffix`);
  return Number(m[1]);
}
