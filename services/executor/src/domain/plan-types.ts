import { ActionName, EscalationReason, IdentityRule, PlannedAction } from '@desk/contracts';
import { Relation } from './authority';
import type { VerificationPolicy } from './verification-policy';

export type PlanStep = PlannedAction;

/** Who must prove what before the plan may run. */
export interface IdentityPlan {
  rule: IdentityRule;
  requesterContactId: string | null;
  relations: Relation[];
  /** Written approval on the ticket (manager on file / authorized approver / group owner). */
  approval: { needed: boolean; approverContactIds: string[]; satisfiedBy: string | null };
  /** One-time code to this contact's mobile on file; null when the rule is `none`. */
  codeRecipientContactId: string | null;
  /** Where a temporary password goes (SMS to this contact's mobile on file), for actions that make one. */
  secretRecipientContactId: string | null;
}

export interface Escalation {
  kind: 'escalate';
  reason: EscalationReason;
  reasons: string[];
  security: boolean;
  /** What the desk would have done (for the technician), possibly empty. */
  steps: PlanStep[];
}

export interface Plan {
  kind: 'plan';
  steps: PlanStep[];
  identity: IdentityPlan;
  mode: 'autonomous' | 'shadow';
  /** Why this plan is allowed: the checks that passed, for the audit entry and the internal note. */
  reasons: string[];
  affectedUpn: string | null;
  /** Execute no earlier than this instant (ISO), e.g. a departure at a stated day; null = as soon as allowed. */
  notBefore?: string | null;
  /** Code lifetime, attempts, approval wait for this client (absent in cases planned before it existed). */
  verification?: VerificationPolicy | null;
}

/**
 * What the ticket asks for is already so (removal from a group the user is not in): nothing to change. The
 * ticket is answered and closed when triage let it run on its own; otherwise a technician confirms.
 */
export interface AlreadySo {
  kind: 'already_so';
  why: string;
  customerMessage: string;
}

export type PlanDecision = Plan | Escalation | AlreadySo;

export const escalate = (reason: EscalationReason, why: string | string[], security = false, steps: PlanStep[] = []): Escalation => ({
  kind: 'escalate', reason, reasons: Array.isArray(why) ? why : [why], security, steps,
});

export interface RecentAction {
  action: ActionName;
  target: string;
  at: string;
}
