import type { ConversationTurn, EscalationReason, RunbookResolution, TicketReplyV1 } from '@desk/contracts';
import { Guidance, faqAnswer, overlap, runbookUnits, toUserVoice, userGuidance, words } from './user-steps';
import type { ReplyReading } from './reply-intent';
import { alwaysEscalate } from '../../domain/ticket-signals';

/**
 * A guidance conversation as a pure state machine: the desk sends the user the runbook's steps and waits;
 * each answer yields the next state and one effect (resolve, escalate with the thread, answer, nothing).
 */
export interface ConversationState {
  ticketId: string;
  status: 'waiting' | 'resolved' | 'escalated' | 'handed_over';
  /** Guidance is round 1; each answered question adds one. */
  round: number;
  maxRounds: number;
  turns: ConversationTurn[];
  /** Who may answer for the user: the requester's address(es) on the ticket. */
  requesterEmails: string[];
  prose: RunbookResolution['prose'];
  documents: string[];
}

export type ConversationEffect =
  | { kind: 'resolve'; why: string }
  | { kind: 'escalate'; reason: EscalationReason; why: string }
  | { kind: 'answer'; text: string }
  | { kind: 'none'; why: string };

export interface ConversationStep {
  state: ConversationState;
  effect: ConversationEffect;
  /** Audit line for the decision. */
  decision: string;
}

/** Categories whose problems a user can often solve with the right steps (configurable). */
export const DEFAULT_GUIDANCE_CATEGORIES = ['vpn_connectivity', 'wifi_connectivity', 'printer', 'email_issue'] as const;

/** Why a runbook may not be used for guidance (null = it may). */
export function guidanceBlocked(r: RunbookResolution): string | null {
  if (r.documents.length === 0 || r.gaps.includes('no_runbook')) return 'no runbook applies';
  // A stale page may name a portal or network that no longer exists: never sent to a user.
  if (r.gaps.includes('stale')) return 'the runbook is stale: its steps are not sent to the user';
  const always = alwaysEscalate(r.prose.escalateIf);
  if (always) return `the runbook says a technician always takes these tickets (${always})`;
  return null;
}

const firstName = (name: string | null): string | null => name?.trim().split(/\s+/)[0] || null;

/** The guidance message: the steps in plain words, the facts they need, and the question back. */
export function composeGuidance(g: Guidance, name: string | null): string {
  const lines = [firstName(name) ? `Hi ${firstName(name)},` : 'Hello,', ''];
  if (g.answer) lines.push(g.answer, '');
  if (g.steps.length > 0) {
    lines.push(g.answer ? 'If that does not settle it, please try the following:' : 'Here is what usually fixes this. Please try these steps:');
    g.steps.forEach((s, i) => lines.push(`${i + 1}. ${s}`));
    lines.push('');
  }
  if (g.facts.length > 0) {
    lines.push('Good to know for your setup:');
    for (const f of g.facts) lines.push(`- ${f}`);
    lines.push('');
  }
  lines.push('Please reply to let us know whether this worked. If it did not, tell us what you see (the exact message helps) and a technician will take it from there.');
  lines.push('', 'Thank you,', 'The service desk');
  return lines.join('\n');
}

export function composeAnswer(answer: string, name: string | null): string {
  return [firstName(name) ? `Hi ${firstName(name)},` : 'Hello,', '', answer, '', 'Did this help? Please reply to let us know whether it works now.', '', 'Thank you,', 'The service desk'].join('\n');
}

export function composeResolvedMessage(name: string | null): string {
  return [firstName(name) ? `Hi ${firstName(name)},` : 'Hello,', '', 'Great, thank you for confirming that it works now. We are closing this ticket; if the problem comes back, simply reply to this message.', '', 'Thank you,', 'The service desk'].join('\n');
}

/** The runbook passage that answers a follow-up question, or null (then a human answers). */
export function answerFromRunbook(prose: RunbookResolution['prose'], question: string): string | null {
  const units = runbookUnits(prose);
  const faq = faqAnswer(units, question);
  if (faq) return faq;
  const q = words(question);
  const guidance = userGuidance(prose, question);
  const candidates = [...(guidance?.steps ?? []), ...(guidance?.facts ?? [])];
  let best: { s: string; score: number } | null = null;
  for (const s of candidates) {
    const score = overlap(words(s), q);
    if (score >= 2 && (!best || score > best.score)) best = { s, score };
  }
  return best ? toUserVoice(best.s) : null;
}

const lc = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

/** Is this reply the user's own answer (not a technician, not someone else)? */
export function fromRequester(s: ConversationState, r: TicketReplyV1): boolean {
  if (r.kind !== 'message' || r.fromMember) return false;
  if (r.fromEmail) return s.requesterEmails.some((e) => lc(e) === lc(r.fromEmail));
  // A PSA note the PSA attributes to the ticket's contact without an address.
  return r.channel === 'psa_webhook' || r.channel === 'portal';
}

/** The user's answer (already read) moves the conversation on. */
export function onAnswer(s: ConversationState, r: TicketReplyV1, reading: ReplyReading, now: Date): ConversationStep {
  if (s.status !== 'waiting') return { state: s, effect: { kind: 'none', why: `conversation already ${s.status}` }, decision: `reply ignored: conversation ${s.status}` };
  if (r.kind === 'message' && r.fromMember) {
    return { state: { ...s, status: 'handed_over' }, effect: { kind: 'none', why: 'a technician wrote on the ticket' }, decision: `technician ${r.fromMember} took over the conversation` };
  }
  if (!fromRequester(s, r)) return { state: s, effect: { kind: 'none', why: 'not the requester' }, decision: 'reply from someone who is not the requester: not read as the answer' };
  const turns = [...s.turns, { from: 'user' as const, at: now.toISOString(), text: r.body.slice(0, 2000) }];
  const next = { ...s, turns };
  switch (reading.intent) {
    case 'resolved':
      return { state: { ...next, status: 'resolved' }, effect: { kind: 'resolve', why: reading.why }, decision: `resolved: ${reading.why}` };
    case 'still_broken':
    case 'new_detail':
      return { state: { ...next, status: 'escalated' }, effect: { kind: 'escalate', reason: 'other', why: `guidance did not solve it: ${reading.why}` }, decision: `escalated: ${reading.why}` };
    case 'question': {
      if (s.round >= s.maxRounds) {
        return { state: { ...next, status: 'escalated' }, effect: { kind: 'escalate', reason: 'other', why: `the user still has questions after ${s.round} round(s) of guidance` }, decision: `escalated: round limit ${s.maxRounds} reached` };
      }
      const answer = answerFromRunbook(s.prose, reading.question ?? r.body);
      if (!answer) {
        return { state: { ...next, status: 'escalated' }, effect: { kind: 'escalate', reason: 'other', why: 'the user asked a question the runbook does not answer' }, decision: 'escalated: question not answered by the runbook' };
      }
      return { state: { ...next, round: s.round + 1 }, effect: { kind: 'answer', text: answer }, decision: `answered from the runbook (round ${s.round + 1} of ${s.maxRounds})` };
    }
    case 'acknowledged':
      // Not a new problem and not a confirmation: recorded, the ticket keeps waiting (reminders, then the close).
      return { state: next, effect: { kind: 'none', why: reading.why }, decision: `acknowledged, still waiting: ${reading.why}` };
    case 'unclear':
      return { state: { ...next, status: 'escalated' }, effect: { kind: 'escalate', reason: 'unclear_reply', why: `the reply is unclear (${reading.why}); a technician reads it` }, decision: 'escalated: unclear reply, never guessed' };
  }
}
