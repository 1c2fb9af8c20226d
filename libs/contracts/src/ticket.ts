import { z } from 'zod';
import { Channel, PsaSystem, TicketCategory, AutomationMode, ActionName, IdentityRule, RunbookCategory } from './catalog';

/** Where the ticket lives in the MSP's PSA. Absent only until intake has created it there. */
export const PsaTicketRef = z.object({
  system: PsaSystem,
  /** The PSA's own ticket id, as a string (ConnectWise/Autotask ints, Halo ints). */
  id: z.string().min(1),
  /** Human ticket number where the PSA has one (Autotask "T20250915.0001"). */
  number: z.string().nullable().default(null),
});
export type PsaTicketRef = z.infer<typeof PsaTicketRef>;

export const Attachment = z.object({
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().nullable().default(null),
});

export const AlertInfo = z.object({
  vendor: z.enum(['ninjaone', 'datto']),
  deviceName: z.string().nullable(),
  condition: z.string(),
  severity: z.string().nullable(),
  /** How many alerts for the same device + condition were collapsed into this ticket. */
  count: z.number().int().positive().default(1),
});

/** A ticket as intake normalised it: what every later stage reads. */
export const InboundTicket = z.object({
  channel: Channel,
  psa: PsaTicketRef.nullable(),
  /** PSA company identifier when the source told us; triage resolves it otherwise. */
  clientIdentifier: z.string().nullable(),
  summary: z.string(),
  description: z.string(),
  fromEmail: z.string().nullable(),
  fromName: z.string().nullable().default(null),
  /** PSA contact id when the source told us. */
  contactId: z.string().nullable().default(null),
  receivedAt: z.string().datetime({ offset: true }),
  attachments: z.array(Attachment).default([]),
  alert: AlertInfo.nullable().default(null),
  /** Intake's record of the raw delivery (for audit), not the raw body itself. */
  rawRef: z.string().nullable().default(null),
});
export type InboundTicket = z.infer<typeof InboundTicket>;

/** An entity named in a ticket and what we matched it to (or why not). */
export const ResolvedEntity = z.object({
  kind: z.enum(['user', 'contact', 'device', 'software', 'group', 'service', 'printer']),
  /** The text as the ticket said it. */
  mention: z.string(),
  /** The record id / key it resolved to (UPN, hostname, catalog name, group name...), or null if unresolved. */
  ref: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  note: z.string().nullable().default(null),
});
export type ResolvedEntity = z.infer<typeof ResolvedEntity>;

export const Priority = z.object({
  level: z.number().int().min(1).max(4),
  name: z.string(),
  reasons: z.array(z.string()),
});

export const Route = z.object({
  decision: z.enum(['autonomous', 'shadow', 'escalate']),
  reasons: z.array(z.string()),
  policyMode: AutomationMode,
  threshold: z.number().min(0).max(1),
});
export type Route = z.infer<typeof Route>;

export const TriageResult = z.object({
  category: TicketCategory,
  confidence: z.number().min(0).max(1),
  /** Top alternatives, for the escalation summary. */
  alternatives: z.array(z.object({ category: TicketCategory, confidence: z.number() })).default([]),
  classifier: z.enum(['embedded', 'llm', 'rules']),
  clientIdentifier: z.string().nullable(),
  requester: z.object({ contactId: z.string().nullable(), email: z.string().nullable(), name: z.string().nullable(), upn: z.string().nullable(), vip: z.boolean().default(false) }),
  affectedUpn: z.string().nullable(),
  entities: z.array(ResolvedEntity).default([]),
  priority: Priority,
  security: z.object({ flagged: z.boolean(), signals: z.array(z.string()) }),
  route: Route,
  /** Set when this ticket was attached to an already-open one (same user + issue, or an alert storm). */
  duplicateOf: z.string().uuid().nullable().default(null),
  afterHours: z.boolean().default(false),
  /**
   * A thank-you or confirmation that asks for nothing (category other): the desk closes it with a short note
   * instead of looking for a runbook.
   */
  housekeeping: z.boolean().default(false),
});
export type TriageResult = z.infer<typeof TriageResult>;

/** The automation header of a runbook, as knowledge parsed and merged it. */
export const AutomationHeader = z.object({
  action: ActionName,
  identityVerification: IdentityRule,
  allowedSoftware: z.array(z.string()).nullable().default(null),
  allowedGroups: z.array(z.string()).nullable().default(null),
  allowedServices: z.array(z.string()).nullable().default(null),
  verify: z.string().nullable().default(null),
});
export type AutomationHeader = z.infer<typeof AutomationHeader>;

export const DocumentRef = z.object({
  docId: z.string(),
  title: z.string(),
  scope: z.enum(['client', 'global']),
  source: z.string(),
  url: z.string().nullable().default(null),
  updatedAt: z.string().nullable().default(null),
  why: z.string(),
});
export type DocumentRef = z.infer<typeof DocumentRef>;

/**
 * A child ticket a runbook asks for (e.g. onboarding: hardware and licences for the new hire), from the
 * runbook header's `childTickets`. Opened under the ticket in the client's PSA.
 */
export const ChildTicketSpec = z.object({
  summary: z.string().min(1).max(100),
  /** Board / queue / team by name; absent = the PSA's default board. */
  board: z.string().min(1).nullable().default(null),
  description: z.string().nullable().default(null),
});
export type ChildTicketSpec = z.infer<typeof ChildTicketSpec>;

export const RunbookResolution = z.object({
  category: RunbookCategory.nullable(),
  /** Usable automation headers (possibly several: e.g. group add and group remove documents). */
  automations: z.array(AutomationHeader).default([]),
  /** Documents that apply, in the order they were used. */
  documents: z.array(DocumentRef).default([]),
  /** Prose sections the executor and the summary need (Prerequisites, Steps, Escalate if), plain text. */
  prose: z.object({
    prerequisites: z.string(), steps: z.string(), escalateIf: z.string(), notes: z.string(),
    /** Sections written for the end user ("For the user", "User steps", "Self-help"...), plain text; absent = none. */
    forUser: z.string().optional(),
  }),
  usable: z.boolean(),
  reasons: z.array(z.string()),
  gaps: z.array(z.enum(['no_runbook', 'stale', 'malformed_header', 'no_automation'])).default([]),
  /** Child tickets the applicable runbooks ask for (optional: absent = none). */
  childTickets: z.array(ChildTicketSpec).optional(),
});
export type RunbookResolution = z.infer<typeof RunbookResolution>;

export const PlannedAction = z.object({
  action: ActionName,
  /** Typed per action by the executor's catalog; here as plain JSON (never a secret). */
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])),
  idempotencyKey: z.string(),
  risk: z.enum(['low', 'medium', 'high']),
  check: z.string(),
});
export type PlannedAction = z.infer<typeof PlannedAction>;

export const Evidence = z.object({
  source: z.string(),
  detail: z.string(),
  at: z.string().datetime({ offset: true }),
});
export type Evidence = z.infer<typeof Evidence>;

/** One message of the desk's conversation with the user on a ticket. */
export const ConversationTurn = z.object({
  from: z.enum(['desk', 'user']),
  at: z.string().datetime({ offset: true }),
  text: z.string(),
});
export type ConversationTurn = z.infer<typeof ConversationTurn>;

/** Everything a human needs when the desk hands over. */
export const EscalationSummary = z.object({
  asked: z.string(),
  tried: z.array(z.string()),
  learned: z.array(z.string()),
  context: z.object({
    client: z.string().nullable(),
    requester: z.string().nullable(),
    affectedUser: z.string().nullable(),
    assets: z.array(z.string()),
    relatedTickets: z.array(z.string()),
    documents: z.array(z.string()),
  }),
  suggestedNextStep: z.string(),
  confidence: z.number().min(0).max(1).nullable(),
  /** The conversation with the user so far (guidance sent, the user's answers), oldest first. */
  conversation: z.array(ConversationTurn).optional(),
});
export type EscalationSummary = z.infer<typeof EscalationSummary>;

export const ESCALATION_REASONS = [
  'security_incident', 'out_of_scope', 'low_confidence', 'policy_off', 'no_runbook', 'runbook_unusable',
  'not_authorized', 'identity_verification_failed', 'target_not_allowed', 'privileged_target',
  'action_failed', 'verification_failed', 'unclear_reply', 'bad_input', 'duplicate', 'other',
] as const;
export const EscalationReason = z.enum(ESCALATION_REASONS);
export type EscalationReason = z.infer<typeof EscalationReason>;
