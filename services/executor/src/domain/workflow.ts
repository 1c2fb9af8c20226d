import { EscalationReason, TicketReplyV1 } from '@desk/contracts';
import { Plan } from './plan-types';
import { codeMatches, extractCode } from './secrets';
import { policyOf } from './verification-policy';
import { ContactRecord, lc, normalizePhone } from './records';

/**
 * The life of one ticket in the executor, as a pure state machine: every input (a plan, a reply, a
 * technician's approval, the clock) yields the next state and the effects the service must carry out.
 */
export type Stage = 'proposed' | 'awaiting_approval' | 'awaiting_verification' | 'scheduled' | 'executing' | 'executed' | 'escalated';

export interface CodeState {
  salt: string;
  hash: string;
  expiresAt: string;
  attempts: number;
  recipientContactId: string;
  /** Digits of the mobile on file it went to: an SMS answer must come from this number. */
  sentToPhone: string;
  verifiedAt: string | null;
  /** The provider's id of the SMS that carried it (null: the provider reports no delivery state). */
  messageId?: string | null;
  /** What the carrier said: pending until delivered or failed (undelivered, unknown number...). */
  delivery?: 'pending' | 'delivered' | 'failed' | null;
}

export interface CaseState {
  ticketId: string;
  stage: Stage;
  plan: Plan;
  technicianApprovedBy: string | null;
  approvalBy: string | null;
  code: CodeState | null;
  approvalRequestedAt: string | null;
}

export type Effect =
  | { kind: 'propose' }
  | { kind: 'request_approval'; approverContactIds: string[] }
  | { kind: 'send_code'; recipientContactId: string }
  | { kind: 'notify_retry'; attemptsLeft: number }
  | { kind: 'schedule'; at: string }
  | { kind: 'execute' }
  | { kind: 'escalate'; reason: EscalationReason; why: string };

export interface Step {
  state: CaseState;
  effects: Effect[];
  /** Audit line for the decision taken (who/what/why). */
  decision: string;
}

export function startCase(ticketId: string, plan: Plan, now: Date = new Date()): Step {
  const state: CaseState = { ticketId, stage: 'proposed', plan, technicianApprovedBy: null, approvalBy: null, code: null, approvalRequestedAt: null };
  if (plan.mode === 'shadow') return { state, effects: [{ kind: 'propose' }], decision: 'shadow mode: plan proposed, waiting for a technician' };
  return advance(state, now);
}

/** Moves to the first gate that is not yet passed: technician (shadow) → approval → code → execute. */
export function advance(s: CaseState, now: Date): Step {
  const id = s.plan.identity;
  if (s.plan.mode === 'shadow' && !s.technicianApprovedBy) return { state: { ...s, stage: 'proposed' }, effects: [{ kind: 'propose' }], decision: 'waiting for a technician' };
  if (id.approval.needed && !s.approvalBy) {
    return {
      state: { ...s, stage: 'awaiting_approval', approvalRequestedAt: s.approvalRequestedAt ?? now.toISOString() },
      effects: [{ kind: 'request_approval', approverContactIds: id.approval.approverContactIds }],
      decision: 'written approval requested from the manager on file / authorized approvers',
    };
  }
  if (id.rule !== 'none' && !s.code?.verifiedAt) {
    if (!id.codeRecipientContactId) return escalateStep(s, 'identity_verification_failed', 'no method on file for the one-time code');
    return { state: { ...s, stage: 'awaiting_verification' }, effects: [{ kind: 'send_code', recipientContactId: id.codeRecipientContactId }], decision: 'one-time code sent to the mobile on file' };
  }
  if (s.plan.notBefore && now.getTime() < Date.parse(s.plan.notBefore)) {
    return { state: { ...s, stage: 'scheduled' }, effects: [{ kind: 'schedule', at: s.plan.notBefore }], decision: `all gates passed: scheduled for ${s.plan.notBefore}` };
  }
  return { state: { ...s, stage: 'executing' }, effects: [{ kind: 'execute' }], decision: 'all gates passed: executing' };
}

/** Records a code that was just sent (only its hash). */
export function codeSent(s: CaseState, c: { salt: string; hash: string; recipientContactId: string; phone: string; messageId?: string | null }, now: Date): CaseState {
  const ttlMs = policyOf(s.plan).codeTtlMs;
  return {
    ...s,
    stage: 'awaiting_verification',
    code: {
      salt: c.salt, hash: c.hash, recipientContactId: c.recipientContactId, sentToPhone: normalizePhone(c.phone),
      attempts: 0, verifiedAt: null, expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
      messageId: c.messageId ?? null, delivery: c.messageId ? 'pending' : null,
    },
  };
}

function escalateStep(s: CaseState, reason: EscalationReason, why: string): Step {
  return { state: { ...s, stage: 'escalated' }, effects: [{ kind: 'escalate', reason, why }], decision: why };
}

const noop = (s: CaseState, why: string): Step => ({ state: s, effects: [], decision: why });

export interface ReplyContext {
  /** Contacts of the client, to match the reply's sender against the records on file. */
  contacts: ContactRecord[];
  /** PSA members (technicians) allowed to approve shadow proposals. */
  isMember: (identifier: string) => boolean;
  now: Date;
}

const APPROVE = /\b(?:approved?|approving|yes|ok(?:ay)?|go ahead|authori[sz]ed?|confirm(?:ed)?|fine by me|granted)\b/i;
const DENY = /\b(?:no|not|don'?t|do not|deny|denied|reject(?:ed)?|decline[d]?|refuse[d]?|never|wait|hold)\b/i;

export function onReply(s: CaseState, r: TicketReplyV1, ctx: ReplyContext): Step {
  if (s.stage === 'escalated' || s.stage === 'executed' || s.stage === 'executing' || s.stage === 'scheduled') return noop(s, `reply ignored in stage ${s.stage}`);

  if (s.stage === 'proposed') {
    if (r.kind === 'status_change' && r.fromMember && ctx.isMember(r.fromMember) && /^approved$/i.test((r.status ?? '').trim())) {
      return advance({ ...s, technicianApprovedBy: r.fromMember }, ctx.now);
    }
    return noop(s, 'proposal waits for a technician\'s approval');
  }

  if (s.stage === 'awaiting_approval') {
    if (r.kind !== 'message' || !r.fromEmail) return noop(s, 'waiting for written approval');
    const approver = ctx.contacts.find((c) => s.plan.identity.approval.approverContactIds.includes(c.id) && lc(c.email) === lc(r.fromEmail));
    if (!approver) return noop(s, 'a reply from someone who is not an approver on file does not count as approval');
    const body = firstLines(r.body);
    if (DENY.test(body)) return escalateStep(s, 'not_authorized', `${approver.firstName} ${approver.lastName} did not approve`);
    if (!APPROVE.test(body)) return noop(s, 'approver reply is not a clear approval');
    return advance({ ...s, approvalBy: approver.id }, ctx.now);
  }

  // awaiting_verification
  const code = s.code;
  if (!code) return escalateStep(s, 'identity_verification_failed', 'no code on record');
  if (ctx.now.getTime() > Date.parse(code.expiresAt)) return escalateStep(s, 'identity_verification_failed', 'the one-time code expired before it came back');
  if (r.kind !== 'message') return noop(s, 'status changes do not replace the code');
  const recipient = ctx.contacts.find((c) => c.id === code.recipientContactId) ?? null;
  const requester = ctx.contacts.find((c) => c.id === s.plan.identity.requesterContactId) ?? null;
  const channelOk = r.channel === 'sms'
    ? normalizePhone(r.fromPhone) !== '' && normalizePhone(r.fromPhone) === code.sentToPhone
    : r.fromEmail !== null && [recipient?.email, requester?.email].some((e) => e && lc(e) === lc(r.fromEmail));
  const policy = policyOf(s.plan);
  const candidate = extractCode(r.body, policy.codeDigits);
  if (!channelOk) {
    if (candidate !== null || r.channel === 'sms') return escalateStep(s, 'identity_verification_failed', r.channel === 'sms' ? 'the code came back from a number that is not the mobile on file' : 'the code came back from a sender who is not on file for this ticket');
    return noop(s, 'message from another sender without a code');
  }
  if (candidate === null) return noop(s, 'reply without a code');
  if (codeMatches(candidate, code.salt, code.hash)) {
    return advance({ ...s, code: { ...code, verifiedAt: ctx.now.toISOString() } }, ctx.now);
  }
  const attempts = code.attempts + 1;
  const next = { ...s, code: { ...code, attempts } };
  if (attempts >= policy.maxAttempts) return escalateStep(next, 'identity_verification_failed', `wrong code ${attempts} times`);
  return { state: next, effects: [{ kind: 'notify_retry', attemptsLeft: policy.maxAttempts - attempts }], decision: `wrong code (attempt ${attempts} of ${policy.maxAttempts})` };
}

/** The carrier's report on the code's SMS: a failure ends verification at once, with the provider's reason. */
export function onCodeDelivery(s: CaseState, report: { state: 'pending' | 'delivered' | 'failed'; detail: string | null }): Step {
  if (s.stage !== 'awaiting_verification' || !s.code || s.code.delivery !== 'pending') return noop(s, 'no code delivery is being watched');
  if (report.state === 'pending') return noop(s, 'the code SMS is still on its way');
  const code = { ...s.code, delivery: report.state };
  if (report.state === 'delivered') return noop({ ...s, code }, 'the carrier delivered the code SMS');
  return escalateStep({ ...s, code }, 'identity_verification_failed', `the verification code SMS to the mobile on file was not delivered: ${report.detail ?? 'failed'}`);
}

/** The clock: codes expire, approvals lapse. */
export function onTick(s: CaseState, now: Date): Step {
  if (s.stage === 'awaiting_verification' && s.code && now.getTime() > Date.parse(s.code.expiresAt)) {
    return escalateStep(s, 'identity_verification_failed', 'the one-time code expired before it came back');
  }
  if (s.stage === 'scheduled' && s.plan.notBefore && now.getTime() >= Date.parse(s.plan.notBefore)) {
    return { state: { ...s, stage: 'executing' }, effects: [{ kind: 'execute' }], decision: `scheduled time ${s.plan.notBefore} reached: executing` };
  }
  if (s.stage === 'awaiting_approval' && s.approvalRequestedAt && now.getTime() - Date.parse(s.approvalRequestedAt) > policyOf(s.plan).approvalTtlMs) {
    return escalateStep(s, 'not_authorized', `no written approval within ${Math.round(policyOf(s.plan).approvalTtlMs / 3600_000)} hour(s)`);
  }
  return noop(s, 'nothing due');
}

/** Quoted history below a reply must not count ("> approved" from an older mail). */
function firstLines(body: string): string {
  const lines: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*>/.test(line) || /^\s*On .+ wrote:\s*$/i.test(line) || /^-{2,}\s*Original Message/i.test(line)) break;
    lines.push(line);
  }
  return lines.join('\n');
}
