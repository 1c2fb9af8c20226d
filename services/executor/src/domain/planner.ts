import {
  ActionName, AutomationHeader, IDENTITY_RULES, IdentityRule, InboundTicket, RunbookResolution, TriageResult,
} from '@desk/contracts';
import { ACTIONS_BY_CATEGORY, CATALOG } from './catalog';
import { Relation } from './authority';
import { ContactRecord, ClientSnapshot, contactByEmail, lc } from './records';
import { AlreadySo, Escalation, IdentityPlan, Plan, PlanDecision, PlanStep, RecentAction, escalate } from './plan-types';
import { alwaysEscalate, outageSignal, proseConditions, removalIntent, repeatSignal, ticketSignals } from './ticket-signals';
import { planDeviceAction } from './plan-device';
import { planUserAction } from './plan-user';
import { planGroupAction } from './plan-group';
import type { NewUserRequest } from './onboarding-request';

export interface PlanInput {
  ticketId: string;
  ticket: InboundTicket;
  triage: TriageResult;
  runbook: RunbookResolution;
  snapshot: ClientSnapshot;
  /** Actions this desk ran for the same client recently (restart loops, repeat lockouts). */
  recent: RecentAction[];
  now: Date;
  /** Onboarding: the new-user details read from the request (rules + validated LLM); absent = rules only. */
  newUser?: NewUserRequest | null;
}

/** What a per-action planner hands back: the steps and who stands where. */
export interface ActionDraft {
  steps: Array<Omit<PlanStep, 'idempotencyKey' | 'risk' | 'check'>>;
  affectedUpn: string | null;
  relations: Set<Relation>;
  /** People whose written approval is needed before the run (empty = none needed). */
  approvalFrom: ContactRecord[];
  codeRecipient: ContactRecord | null;
  secretRecipient: ContactRecord | null;
  reasons: string[];
  /** Run no earlier than this (a departure at a stated time). */
  notBefore?: string;
}

export interface DraftContext extends PlanInput {
  action: ActionName;
  headers: AutomationHeader[];
  rule: IdentityRule;
  requester: ContactRecord | null;
  /** Prerequisites + Escalate if + Notes: the prose that binds. */
  prose: string;
  escalateIf: string;
  text: string;
}

export function strictest(rules: IdentityRule[]): IdentityRule {
  return rules.reduce<IdentityRule>((a, b) => (IDENTITY_RULES.indexOf(b) > IDENTITY_RULES.indexOf(a) ? b : a), 'none');
}

/**
 * Plan = the runbook's automation header ∩ the catalog ∩ the client's policy, with every parameter
 * checked against the client's real records. Anything short of that is an escalation with its reason.
 */
export function plan(input: PlanInput): PlanDecision {
  const { ticket, triage, runbook, snapshot } = input;
  const text = `${ticket.summary}\n${ticket.description}`;

  if (triage.security.flagged || triage.category === 'security_incident') {
    return escalate('security_incident', ['security screen: ' + (triage.security.signals.join('; ') || 'security category')], true);
  }
  if (triage.route.decision === 'escalate' || triage.route.policyMode === 'off') {
    return escalate(triage.route.policyMode === 'off' ? 'policy_off' : 'low_confidence', triage.route.reasons.length ? triage.route.reasons : ['triage routed to a technician']);
  }
  if (!triage.clientIdentifier || lc(triage.clientIdentifier) !== lc(snapshot.clientIdentifier)) {
    return escalate('bad_input', 'the ticket is not tied to a known client');
  }
  // The runbook sends every such ticket to a person: no action, no guidance in its place.
  const always = runbook.documents.length > 0 ? alwaysEscalate(runbook.prose.escalateIf) : null;
  if (always) return escalate('out_of_scope', [`runbook "Escalate if": ${always}`]);
  if (!runbook.usable || runbook.automations.length === 0) {
    const reason = runbook.gaps.includes('no_runbook') ? 'no_runbook' : 'runbook_unusable';
    return escalate(reason, runbook.reasons.length ? runbook.reasons : ['no usable automation in the applicable runbook']);
  }

  // Who asks comes first: a sender who is not on file has no standing, whatever the text says.
  const requester = requesterOf(ticket, triage, snapshot);
  if ('kind' in requester) return requester;

  const signals = ticketSignals(text, snapshot.contacts.map((c) => c.mobile));
  if (signals.length > 0) {
    const sec = signals.find((s) => s.reason === 'security_incident');
    return escalate((sec ?? signals[0]!).reason, signals.map((s) => s.why), sec !== undefined);
  }
  if (outageSignal(text)) return escalate('out_of_scope', 'several users or devices are affected: an outage, a technician looks for the common cause');
  if (repeatSignal(text)) return escalate('other', 'the problem came back after a fix: a technician looks for the cause');

  const action = chooseAction(triage, runbook, text);
  if ('kind' in action) return action;
  // The departure rule is about removals only: offboarding itself is a departure.
  const unmet = proseConditions(runbook.prose.escalateIf, text, (why) => !why.includes('departure') || action.name === 'remove_from_group');
  if (unmet.length > 0) return escalate(unmet.some((w) => w.includes('compromise')) ? 'security_incident' : 'out_of_scope', unmet.map((w) => `runbook "Escalate if": ${w}`), unmet.some((w) => w.includes('compromise')));
  const headers = runbook.automations.filter((h) => h.action === action.name);
  let rule = strictest(headers.map((h) => h.identityVerification));
  if (CATALOG[action.name].needsIdentity && rule === 'none') rule = 'contact_on_file';

  const ctx: DraftContext = {
    ...input, action: action.name, headers, rule, requester: requester.contact, text,
    prose: [runbook.prose.prerequisites, runbook.prose.escalateIf, runbook.prose.notes].join('\n'),
    escalateIf: runbook.prose.escalateIf,
  };
  const draft = draftFor(ctx);
  // Answering and closing is the desk acting on its own: only where triage let it (not in shadow mode).
  if ('kind' in draft && draft.kind === 'already_so' && triage.route.decision !== 'autonomous') {
    return escalate('other', `${draft.why}: a technician confirms with the requester`);
  }
  if ('kind' in draft) return draft;
  return finish(ctx, draft);
}

function chooseAction(triage: TriageResult, runbook: RunbookResolution, text: string): { name: ActionName } | Escalation {
  const allowedHere = ACTIONS_BY_CATEGORY[triage.category] ?? [];
  const offered = runbook.automations.map((h) => h.action).filter((a) => allowedHere.includes(a));
  if (offered.length === 0) return escalate('runbook_unusable', `the applicable runbook automates nothing for category ${triage.category}`);
  const removal = (triage.category === 'group_membership' || triage.category === 'distribution_list') && removalIntent(text);
  if (removal) {
    return offered.includes('remove_from_group') && triage.category === 'group_membership'
      ? { name: 'remove_from_group' }
      : escalate('runbook_unusable', 'removals are not automated for this client (the runbook has no removal automation)');
  }
  const add = offered.find((a) => a !== 'remove_from_group');
  return add ? { name: add } : escalate('runbook_unusable', 'only removals are automated, and this is not a removal');
}

function requesterOf(ticket: InboundTicket, triage: TriageResult, s: ClientSnapshot): { contact: ContactRecord | null } | Escalation {
  // Alerts come from the RMM integration (authenticated by intake), never from a person.
  if (ticket.channel === 'alert' || ticket.alert !== null) return { contact: null };
  const email = ticket.fromEmail ?? triage.requester.email;
  // The RMM's PSA integration files alert tickets as the MSP's alert sender. A mailed "alert" could be
  // forged, so only tickets the PSA itself vouches for count; and with no person behind the request,
  // only actions whose runbook needs no identity verification can run (finish() escalates the others).
  if (ticket.channel !== 'email' && (s.alertSenders ?? []).some((a) => lc(a) === lc(email))) return { contact: null };
  const c = contactByEmail(s, email);
  if (!c) return escalate('not_authorized', 'the requester is not a contact on file at this client');
  if (!c.active) return escalate('not_authorized', 'the requester is a former employee (inactive contact)');
  const domain = lc(email).split('@')[1] ?? '';
  if (!s.domains.some((d) => lc(d) === domain)) return escalate('not_authorized', 'the request comes from an address outside the client\'s domains');
  return { contact: c };
}

function draftFor(ctx: DraftContext): ActionDraft | Escalation | AlreadySo {
  switch (ctx.action) {
    case 'reset_password': case 'unlock_account': case 'reenroll_mfa': case 'disable_account': case 'create_account':
      return planUserAction(ctx);
    case 'add_to_group': case 'remove_from_group': case 'add_to_distribution_list':
      return planGroupAction(ctx);
    case 'install_software': case 'reinstall_software': case 'restart_service': case 'clear_print_queue':
      return planDeviceAction(ctx);
  }
}

function finish(ctx: DraftContext, d: ActionDraft): PlanDecision {
  const steps: PlanStep[] = d.steps.map((s) => ({
    ...s,
    idempotencyKey: `${ctx.ticketId}:${s.action}:${CATALOG[s.action].target(s.params).toLowerCase()}`,
    risk: CATALOG[s.action].risk,
    check: ctx.headers[0]?.verify ?? CATALOG[s.action].check,
  }));
  if (ctx.rule !== 'none') {
    if (!ctx.requester) return escalate('not_authorized', 'identity verification is required and the requester is unknown', false, steps);
    if (!d.codeRecipient || !d.codeRecipient.mobile) {
      return escalate('identity_verification_failed', 'no mobile on file to send the one-time code to (never to a number from the ticket)', false, steps);
    }
  }
  if (d.secretRecipient !== null && !d.secretRecipient.mobile) {
    return escalate('identity_verification_failed', 'no mobile on file to deliver the temporary password to', false, steps);
  }
  const identity: IdentityPlan = {
    rule: ctx.rule,
    requesterContactId: ctx.requester?.id ?? null,
    relations: [...d.relations],
    approval: {
      needed: d.approvalFrom.length > 0,
      approverContactIds: d.approvalFrom.map((c) => c.id),
      satisfiedBy: null,
    },
    codeRecipientContactId: ctx.rule === 'none' ? null : d.codeRecipient?.id ?? null,
    secretRecipientContactId: d.secretRecipient?.id ?? null,
  };
  const plan: Plan = {
    kind: 'plan', steps, identity, affectedUpn: d.affectedUpn,
    mode: ctx.triage.route.decision === 'autonomous' ? 'autonomous' : 'shadow',
    reasons: d.reasons,
    notBefore: d.notBefore ?? null,
  };
  return plan;
}
