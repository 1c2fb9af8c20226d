import { Subjects, type ConversationTurn, type Envelope, type RunbookResolvedV1, type TicketReplyV1 } from '@desk/contracts';
import type { TicketScope } from '@desk/platform';
import { escalateTicket } from '../app/escalation';
import type { CaseContext } from '../persistence/case-repository';
import type { Escalation } from '../domain/plan-types';
import { lc, type ContactRecord } from '../domain/records';
import { outageSignal, proseConditions, repeatSignal, ticketSignals } from '../domain/ticket-signals';
import {
  composeAnswer, composeGuidance, composeResolvedMessage, guidanceBlocked, onAnswer, type ConversationState, type ConversationStep,
} from './domain/conversation';
import { userGuidance } from './domain/user-steps';
import { readReply } from './domain/read-reply';
import type { ReplyLlm } from './adapters/llm-reply-reader';
import { ConversationRepository, type StoredConversation } from './persistence/conversation-repository';

/** The escalations guidance may replace: no safe action applies, but nothing says a human must act. */
const GUIDANCE_INSTEAD_OF: ReadonlySet<string> = new Set(['runbook_unusable', 'bad_input']);

export class ConversationBusyError extends Error {}

export interface ConversationDeps {
  contacts(client: string): Promise<ContactRecord[]>;
  llm: ReplyLlm | null;
  categories: readonly string[];
  maxRounds: number;
  now: () => Date;
  /** desk_conversations_total{client,outcome}: guidance_sent, answered, resolved, escalated, handed_over. */
  count?: (client: string, outcome: string) => void;
}

/**
 * Guidance conversations: when no safe action applies, the desk sends the user the client's own steps,
 * waits ("Waiting on Client" — psa-writer runs the reminders and the close), and reads the answer.
 */
export class ConversationService {
  constructor(private readonly d: ConversationDeps) {}

  /** Instead of this escalation, starts a guidance conversation when the runbook has steps for the user. true = started. */
  async tryGuidance(scope: TicketScope, evt: Envelope<RunbookResolvedV1>, decision: Escalation, client: string): Promise<boolean> {
    const { ticket, triage, runbook } = evt.payload;
    const text = `${ticket.summary}\n${ticket.description}`;
    const why = await this.blocked(decision, evt, client, text);
    if (why) return false;
    const guidance = userGuidance(runbook.prose, text);
    if (!guidance) return false;
    const now = this.d.now();
    const message = composeGuidance(guidance, ticket.fromName ?? triage.requester.name);
    const requester = triage.requester.email ?? ticket.fromEmail;
    const state: ConversationState = {
      ticketId: evt.ticketId, status: 'waiting', round: 1, maxRounds: this.d.maxRounds,
      turns: [{ from: 'desk', at: now.toISOString(), text: message }],
      requesterEmails: [...new Set([requester, ticket.fromEmail].filter((e): e is string => !!e))],
      prose: runbook.prose, documents: runbook.documents.map((x) => x.title),
    };
    const context: CaseContext = { ticket, triage, category: triage.category, documents: state.documents, eventId: evt.eventId };
    if (!(await ConversationRepository.insert(scope.tx, { state, clientIdentifier: client, correlationId: evt.correlationId, context }))) return true;
    await scope.audit({
      actor: 'executor', action: 'guidance', decision: 'guidance_sent',
      why: [`instead of escalating (${decision.reason}: ${decision.reasons[0] ?? ''}): the runbook has steps for the user`],
      evidence: { source: guidance.source, steps: guidance.steps, facts: guidance.facts, answered: guidance.answer !== null, documents: state.documents, maxRounds: state.maxRounds },
    });
    this.d.count?.(client, 'guidance_sent');
    await this.publish(scope, { state, clientIdentifier: client, correlationId: evt.correlationId, context, createdAt: now.toISOString() }, 'guidance', message,
      `Guidance sent to the user from ${state.documents.map((d) => `"${d}"`).join(', ')} (${guidance.source === 'section' ? 'the runbook\'s user section' : 'user-facing lines of the runbook'}) instead of escalating: ${decision.reasons.join('; ')}.\nWaiting on the user; reminders and the close follow the client's schedule.`);
    return true;
  }

  /** A reply on a ticket in conversation; false = no conversation for this ticket (the executor's case handles it). */
  async onReply(evt: Envelope<TicketReplyV1>, scope: TicketScope): Promise<boolean> {
    const stored = await ConversationRepository.lock(scope.tx, evt.ticketId);
    if (stored === 'busy') throw new ConversationBusyError(`conversation ${evt.ticketId} is being handled by another delivery`);
    if (!stored) return false;
    const r = evt.payload;
    const lastDesk = [...stored.state.turns].reverse().find((t) => t.from === 'desk')?.text ?? '';
    const { reading, by } = r.kind === 'message' && !r.fromMember
      ? await readReply(r.body, lastDesk, this.d.llm)
      : { reading: { intent: 'unclear' as const, confidence: 0, why: 'not a message from the user', question: null }, by: 'rules' as const };
    let step: ConversationStep = onAnswer(stored.state, r, reading, this.d.now());
    if (r.kind === 'status_change' && r.fromMember && stored.state.status === 'waiting') {
      step = { state: { ...stored.state, status: 'handed_over' }, effect: { kind: 'none', why: 'a technician changed the status' }, decision: `technician ${r.fromMember} took over (status "${r.status ?? ''}")` };
    }
    await scope.audit({
      actor: 'executor', action: 'conversation_reply', decision: step.decision,
      why: `reply (${r.kind}, ${r.channel}) read by ${by}: ${reading.intent} (${Math.round(reading.confidence * 100)}%) — ${reading.why}`,
      evidence: { channel: r.channel, fromEmail: r.fromEmail, fromMember: r.fromMember, intent: reading.intent, round: stored.state.round, maxRounds: stored.state.maxRounds },
    });
    await this.apply(scope, stored, step);
    const outcome = { resolve: 'resolved', escalate: 'escalated', answer: 'answered', none: step.state.status === 'handed_over' && stored.state.status !== 'handed_over' ? 'handed_over' : null }[step.effect.kind];
    if (outcome) this.d.count?.(stored.clientIdentifier, outcome);
    return true;
  }

  private async apply(scope: TicketScope, c: StoredConversation, step: ConversationStep): Promise<void> {
    let state = step.state;
    const e = step.effect;
    const name = c.context.ticket.fromName ?? c.context.triage.requester.name;
    if (e.kind === 'resolve') {
      const message = composeResolvedMessage(name);
      state = { ...state, turns: [...state.turns, this.deskTurn(message)] };
      await scope.publish(Subjects.ticketResolved, this.origin(scope, c), {
        ticket: c.context.ticket, category: c.context.category, actions: [],
        evidence: [{ source: 'user', detail: `the user confirmed the guidance worked: "${lastUserText(state.turns).slice(0, 300)}"`, at: this.d.now().toISOString() }],
        customerMessage: message,
        internalNote: `Resolved by guidance: the user confirmed the steps from ${c.context.documents.map((d) => `"${d}"`).join(', ')} worked.\n\n${thread(state.turns)}`,
        handlingSeconds: Math.max(0, (this.d.now().getTime() - Date.parse(c.context.ticket.receivedAt)) / 1000),
      });
      await scope.transition('resolved', 'the user confirmed the guidance worked');
    } else if (e.kind === 'escalate') {
      await escalateTicket(scope, c, {
        reason: e.reason, reasons: [e.why], security: false,
        tried: [`guidance from ${c.context.documents.map((d) => `"${d}"`).join(', ')} (${state.round} round(s))`],
        conversation: state.turns,
      });
    } else if (e.kind === 'answer') {
      const message = composeAnswer(e.text, name);
      state = { ...state, turns: [...state.turns, this.deskTurn(message)] };
      await this.publish(scope, { ...c, state }, 'answer', message, `The user asked a question; answered from the runbook (round ${state.round} of ${state.maxRounds}).\n\n${thread(state.turns)}`);
    }
    await ConversationRepository.save(scope.tx, state);
  }

  private deskTurn(text: string): ConversationTurn {
    return { from: 'desk', at: this.d.now().toISOString(), text };
  }

  private origin(scope: TicketScope, c: StoredConversation) {
    return { ticketId: scope.ticketId, mspClientId: c.clientIdentifier, correlationId: c.correlationId, causationId: scope.causationId };
  }

  private async publish(scope: TicketScope, c: StoredConversation, turn: 'guidance' | 'answer', message: string, internalNote: string): Promise<void> {
    await scope.publish(Subjects.ticketConversation, this.origin(scope, c), {
      ticket: c.context.ticket, category: c.context.category, turn, round: c.state.round, customerMessage: message, internalNote,
      waitingOnClient: true, contactName: firstName(c.context.ticket.fromName ?? c.context.triage.requester.name), conversation: c.state.turns,
    });
    await scope.transition('waiting_on_client', turn === 'guidance' ? 'guidance sent; waiting for the user to confirm' : `question answered (round ${c.state.round}); waiting for the user`);
  }

  /** Why guidance must not replace this escalation (null = it may). */
  private async blocked(decision: Escalation, evt: Envelope<RunbookResolvedV1>, client: string, text: string): Promise<string | null> {
    const { ticket, triage, runbook } = evt.payload;
    if (!GUIDANCE_INSTEAD_OF.has(decision.reason) || decision.security) return `escalation reason ${decision.reason} needs a human`;
    if (!this.d.categories.includes(triage.category)) return `category ${triage.category} is not a guidance category`;
    // Shadow mode: a technician reviews what the desk would do, guidance included.
    if (triage.route.decision !== 'autonomous') return `route ${triage.route.decision}: a technician decides`;
    if (ticket.channel === 'alert' || ticket.alert) return 'monitoring alerts have no user to guide';
    const blocked = guidanceBlocked(runbook);
    if (blocked) return blocked;
    const contacts = await this.d.contacts(client);
    const email = triage.requester.email ?? ticket.fromEmail;
    const requester = email ? contacts.find((x) => lc(x.email) === lc(email)) ?? null : null;
    if (!requester || !requester.active) return 'the requester is not an active contact on file';
    if (ticketSignals(text, contacts.map((x) => x.mobile)).length > 0) return 'the ticket carries a security or social-engineering signal';
    if (outageSignal(text)) return 'several users or devices are affected';
    if (repeatSignal(text)) return 'the problem came back after a fix';
    if (proseConditions(runbook.prose.escalateIf, text).length > 0) return 'the runbook\'s "Escalate if" covers this ticket';
    if (lc(triage.clientIdentifier) !== lc(client)) return 'the ticket is not tied to this client';
    return null;
  }
}

const firstName = (name: string | null): string | null => name?.trim().split(/\s+/)[0] || null;
const lastUserText = (turns: ConversationTurn[]) => [...turns].reverse().find((t) => t.from === 'user')?.text ?? '';

/** The thread for a technician's note, oldest first. */
export function thread(turns: ConversationTurn[]): string {
  return ['Conversation so far:', ...turns.map((t) => `[${t.at.slice(0, 16).replace('T', ' ')} UTC] ${t.from === 'desk' ? 'Desk' : 'User'}:\n${t.text.trim()}`)].join('\n\n');
}
