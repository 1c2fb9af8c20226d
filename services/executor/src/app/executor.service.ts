import { AdapterRegistry, DeliveryStatus, NotifyDeliveryError } from '@desk/adapters';
import { Envelope, PlannedAction, RunbookResolvedV1, Subjects, TicketReplyV1 } from '@desk/contracts';
import type { Counter } from 'prom-client';
import { TicketScope } from '@desk/platform';
import { escalateTicket } from './escalation';
import { CaseContext, CaseRepository, StoredCase } from '../persistence/case-repository';
import { PgAttemptStore } from '../persistence/attempt-store';
import { ClientDirectory, ContactRecord, lc } from '../domain/records';
import { plan as buildPlan } from '../domain/planner';
import { housekeepingClose } from '../domain/housekeeping';
import type { Escalation } from '../domain/plan-types';
import { refs } from '../domain/targets';
import { CaseState, Effect, Step, advance, codeSent, onCodeDelivery, onReply, onTick, startCase } from '../domain/workflow';
import { RunPorts, RunResult, runAction } from '../domain/runner';
import { generateCode, hashCode, newSalt } from '../domain/secrets';
import { VerificationPolicy, policyOf, resolvePolicy } from '../domain/verification-policy';
import { NewUserRequest, parseNewUserRequest } from '../domain/onboarding-request';
import { NewUserExtractor, mergeExtraction } from '../domain/new-user-extraction';
import {
  approvalEmail, approvalRequestMessage, codeSentMessage, codeSmsBody, describeStep, internalPlanNote, name, retryMessage,
} from '../domain/messages';

export class RetryLaterError extends Error {}

export interface ExecutorDeps {
  registry: AdapterRegistry;
  directory: ClientDirectory;
  cases: CaseRepository;
  attempts: PgAttemptStore;
  actionsTotal: Counter<'client' | 'action' | 'outcome'>;
  now: () => Date;
  /** Pause between in-process retries of a refused vendor call. */
  retryDelayMs: number;
  /** The desk's verification defaults (code lifetime, attempts, length, approval wait); clients override them. */
  verification: VerificationPolicy;
  /** Onboarding: a language model's reading of the request (validated; fills only what rules left empty). */
  newUserExtractor?: NewUserExtractor | null;
  /** Test hook (off in production): called right after a vendor write, before anything records it. */
  afterVendorWrite?: (action: string) => void;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** Guidance instead of an escalation when no safe action applies (conversation module); true = started. */
  guidance?: (scope: TicketScope, evt: Envelope<RunbookResolvedV1>, decision: Escalation, client: string) => Promise<boolean>;
}

const MAX_DELIVERIES_BEFORE_ESCALATION = 4;

/** The executor's use cases; every method runs inside one transaction scope for one ticket. */
export class ExecutorService {
  constructor(private readonly d: ExecutorDeps) {}

  async onRunbookResolved(evt: Envelope<RunbookResolvedV1>, scope: TicketScope): Promise<void> {
    try {
      await this.planAndStart(evt, scope);
    } catch (e) {
      // Retried by redelivery; on the last attempt a person gets the ticket instead of a dead letter.
      if (e instanceof RetryLaterError || scope.deliveryCount < MAX_DELIVERIES_BEFORE_ESCALATION) throw e;
      const { ticket, triage, runbook } = evt.payload;
      const context: CaseContext = { ticket, triage, category: triage.category, documents: runbook.documents.map((x) => x.title), eventId: evt.eventId };
      await escalateTicket(scope, { context, clientIdentifier: triage.clientIdentifier, correlationId: evt.correlationId }, {
        reason: 'other', reasons: [`the desk could not read the client's systems: ${(e as Error).message.slice(0, 200)}`], security: false,
      });
    }
  }

  private async planAndStart(evt: Envelope<RunbookResolvedV1>, scope: TicketScope): Promise<void> {
    const { ticket, triage, runbook } = evt.payload;
    // One plan per ticket: concurrent deliveries for the same ticket queue here, the later ones find the case.
    const [lock] = (await scope.tx.query('SELECT pg_try_advisory_xact_lock(hashtextextended($1::text, 4242)) AS ok', [evt.ticketId])) as Array<{ ok: boolean }>;
    if (!lock?.ok) throw new RetryLaterError('another delivery is planning this ticket');
    if (await this.d.cases.get(scope.tx, evt.ticketId)) return;
    const client = triage.clientIdentifier ?? ticket.clientIdentifier;
    const context: CaseContext = { ticket, triage, category: triage.category, documents: runbook.documents.map((x) => x.title), eventId: evt.eventId };
    const base = { context, clientIdentifier: client, correlationId: evt.correlationId };
    if (!client || !this.d.registry.findClient(client)) {
      return escalateTicket(scope, base, { reason: 'bad_input', reasons: ['the ticket is not tied to a known client'], security: false });
    }
    const close = housekeepingClose(ticket, triage);
    if (close) return this.closeWithNote(scope, evt, client, { ...close, decision: 'close_housekeeping' });
    const requesterUpn = triage.requester.upn ?? (triage.requester.email && triage.requester.email.includes('@') ? triage.requester.email : null);
    const newUser = triage.category === 'onboarding' ? await this.readNewUser(`${ticket.summary}\n${ticket.description}`) : null;
    const named = newUser ? await this.namedPeople(client, [newUser.sameAccessAs, newUser.manager]) : [];
    const snapshot = await this.d.directory.snapshot(client, {
      upns: [triage.affectedUpn, requesterUpn, ...refs(triage, 'user'), ...named].filter((u): u is string => !!u),
      hostnames: [...refs(triage, 'device'), ...refs(triage, 'printer'), ticket.alert?.deviceName ?? null].filter((h): h is string => !!h),
    });
    const recent = await this.d.attempts.recent(client);
    const decision = buildPlan({ ticketId: evt.ticketId, ticket, triage, runbook, snapshot, recent, now: this.d.now(), newUser });
    if (decision.kind === 'already_so') {
      return this.closeWithNote(scope, evt, client, {
        why: decision.why, customerMessage: decision.customerMessage, decision: 'close_already_so',
        internalNote: `Closed by the desk: ${decision.why} (checked in the directory just now; no change made).`,
      });
    }
    if (decision.kind === 'escalate') {
      if (this.d.guidance && (await this.d.guidance(scope, evt, decision, client))) return;
      await scope.audit({ actor: 'executor', action: 'plan', decision: 'escalate', why: decision.reasons, evidence: { reason: decision.reason, category: triage.category, documents: context.documents } });
      return escalateTicket(scope, base, decision);
    }
    const planned = { ...decision, verification: resolvePolicy(this.d.verification, this.d.registry.findClient(client)?.verification) };
    const step = startCase(evt.ticketId, planned, this.d.now());
    if (!(await this.d.cases.insert(scope.tx, { state: step.state, clientIdentifier: client, correlationId: evt.correlationId, context }))) return;
    await scope.audit({
      actor: 'executor', action: 'plan', decision: decision.mode,
      why: decision.reasons,
      evidence: { steps: decision.steps.map(describeStep), identityRule: decision.identity.rule, relations: decision.identity.relations, approvalNeeded: decision.identity.approval.needed, documents: context.documents },
    });
    await scope.transition('planned', decision.steps.map(describeStep).join('; ').slice(0, 500));
    const stored = await this.d.cases.get(scope.tx, evt.ticketId);
    await this.apply(scope, stored!, step);
  }

  /**
   * Nothing to do — a thank-you that asks for nothing, or a state the ticket asks for that already holds:
   * resolved with a short note, no action, no case.
   */
  private async closeWithNote(scope: TicketScope, evt: Envelope<RunbookResolvedV1>, client: string, close: { why: string; customerMessage: string; internalNote: string; decision: string }): Promise<void> {
    const { ticket, triage } = evt.payload;
    await scope.audit({ actor: 'executor', action: 'plan', decision: close.decision, why: [close.why], evidence: { category: triage.category, route: triage.route.decision } });
    await scope.publish(Subjects.ticketResolved, { ticketId: evt.ticketId, mspClientId: client, correlationId: evt.correlationId, causationId: scope.causationId }, {
      ticket, category: triage.category, actions: [],
      evidence: [{ source: 'triage', detail: close.why, at: this.d.now().toISOString() }],
      customerMessage: close.customerMessage, internalNote: close.internalNote,
      handlingSeconds: Math.max(0, (this.d.now().getTime() - Date.parse(ticket.receivedAt)) / 1000),
    });
    await scope.transition('resolved', `closed with a note: ${close.why}`);
  }

  /** Rules first; a configured language model fills only the gaps, with values found in the text. */
  private async readNewUser(text: string): Promise<NewUserRequest> {
    const rules = parseNewUserRequest(text, this.d.now());
    const llm = this.d.newUserExtractor ? await this.d.newUserExtractor.extract(text) : null;
    return mergeExtraction(rules, llm, text, this.d.now());
  }

  /** UPNs of the contacts a request names (template colleague, manager), so their accounts are read live. */
  private async namedPeople(client: string, names: Array<string | null>): Promise<string[]> {
    const contacts = await this.d.directory.contacts(client);
    const wanted = names.filter((n): n is string => !!n).map(lc);
    return contacts.filter((c) => c.upn && wanted.some((w) => w === lc(`${c.firstName} ${c.lastName}`) || w === lc(c.email) || w === lc(c.upn))).map((c) => c.upn!);
  }

  private async locked(scope: TicketScope, ticketId: string): Promise<StoredCase | null> {
    const c = await this.d.cases.lock(scope.tx, ticketId);
    if (c === 'busy') throw new RetryLaterError(`ticket ${ticketId} is being handled by another delivery`);
    return c;
  }

  async onReply(evt: Envelope<TicketReplyV1>, scope: TicketScope): Promise<void> {
    const stored = await this.locked(scope, evt.ticketId);
    if (!stored) return;
    const r = evt.payload;
    const contacts = await this.d.directory.contacts(stored.clientIdentifier);
    const members = r.kind === 'status_change' && r.fromMember ? await this.members(stored.clientIdentifier) : [];
    const step = onReply(stored.state, r, { contacts, isMember: (m) => members.some((x) => lc(x) === lc(m)), now: this.d.now() });
    await scope.audit({
      actor: 'executor', action: 'reply', decision: step.decision,
      why: `reply (${r.kind}) in stage ${stored.state.stage}`,
      // Never the body: it may hold the code.
      evidence: { channel: r.channel, fromEmail: r.fromEmail, fromPhoneTail: r.fromPhone ? r.fromPhone.replace(/\D/g, '').slice(-4) : null, fromMember: r.fromMember, status: r.status },
    });
    await this.apply(scope, stored, step);
  }

  /** A technician approves a shadow-mode proposal (HTTP API). */
  async approveProposal(ticketId: string, member: string, scope: TicketScope): Promise<'approved' | 'not_found' | 'not_proposed' | 'not_a_member'> {
    const stored = await this.locked(scope, ticketId);
    if (!stored) return 'not_found';
    if (stored.state.stage !== 'proposed') return 'not_proposed';
    const members = await this.members(stored.clientIdentifier);
    if (!members.some((m) => lc(m) === lc(member))) return 'not_a_member';
    await scope.audit({ actor: member, action: 'approve_proposal', decision: 'approved', why: 'technician approved the shadow-mode plan', evidence: { steps: stored.state.plan.steps.map(describeStep) } });
    await this.apply(scope, stored, advance({ ...stored.state, technicianApprovedBy: member }, this.d.now()));
    return 'approved';
  }

  async onTick(ticketId: string, scope: TicketScope): Promise<void> {
    const stored = await this.d.cases.lock(scope.tx, ticketId);
    if (stored === 'busy') return; // the next tick tries again
    if (!stored) return;
    const watched = await this.watchCodeDelivery(scope, stored);
    if (watched) return;
    const step = onTick(stored.state, this.d.now());
    if (step.effects.length === 0) return;
    await scope.audit({ actor: 'executor', action: 'timeout', decision: step.decision, why: step.decision });
    await this.apply(scope, stored, step);
  }

  /**
   * A code the API accepted can still fail at the carrier (undelivered, unknown number): read the
   * provider's report and escalate with its reason instead of waiting for the code to expire.
   * True when the case was handled (saved or escalated) here.
   */
  private async watchCodeDelivery(scope: TicketScope, stored: StoredCase): Promise<boolean> {
    const code = stored.state.code;
    if (stored.state.stage !== 'awaiting_verification' || !code?.messageId || code.delivery !== 'pending') return false;
    const report = await this.codeSmsStatus(stored.clientIdentifier, code.messageId);
    if (!report) return false;
    const step = onCodeDelivery(stored.state, report);
    if (step.state === stored.state) return false;
    await scope.audit({
      actor: 'executor', action: 'code_delivery', decision: report.state, why: step.decision,
      evidence: { provider: 'sms', providerStatus: report.providerStatus, errorCode: report.errorCode, messageId: code.messageId },
    });
    await this.apply(scope, stored, step);
    return step.effects.length > 0;
  }

  private async codeSmsStatus(client: string, messageId: string): Promise<DeliveryStatus | null> {
    try {
      return (await this.d.registry.notifier(client).deliveryStatus?.('sms', messageId)) ?? null;
    } catch (e) {
      this.d.log('code SMS status not readable; checked again at the next tick', { error: (e as Error).message });
      return null;
    }
  }

  async proposals(scope: TicketScope): Promise<Array<{ ticketId: string; client: string; summary: string; steps: string[]; proposedAt: string }>> {
    const rows = await this.d.cases.list(scope.tx, 'proposed');
    return rows.map((c) => ({ ticketId: c.state.ticketId, client: c.clientIdentifier, summary: c.context.ticket.summary, steps: c.state.plan.steps.map(describeStep), proposedAt: c.createdAt }));
  }

  private async members(client: string): Promise<string[]> {
    try {
      return (await this.d.registry.psa(client).listMembers()).map((m) => m.identifier);
    } catch (e) {
      this.d.log('PSA members not readable; technician approvals cannot be checked', { error: (e as Error).message });
      return [];
    }
  }

  private origin(scope: TicketScope, c: StoredCase) {
    return { ticketId: scope.ticketId, mspClientId: c.clientIdentifier, correlationId: c.correlationId, causationId: scope.causationId };
  }

  private async planned(scope: TicketScope, c: StoredCase, state: CaseState, stage: 'proposed' | 'awaiting_verification' | 'awaiting_approval' | 'executing', customerMessage: string | null, header: string, waitingOn: string | null = null): Promise<void> {
    await scope.publish(Subjects.ticketPlanned, this.origin(scope, c), {
      ticket: c.context.ticket, category: c.context.category, stage, plan: state.plan.steps, customerMessage,
      internalNote: internalPlanNote(state.plan, c.context.documents, header),
      ...(waitingOn ? { waitingOn } : {}),
    });
  }

  /** Carries out a workflow step's effects, then stores the resulting state. */
  private async apply(scope: TicketScope, c: StoredCase, step: Step): Promise<void> {
    let state = step.state;
    for (const effect of step.effects) state = await this.effect(scope, c, state, effect);
    await this.d.cases.save(scope.tx, state);
  }

  private async effect(scope: TicketScope, c: StoredCase, state: CaseState, e: Effect): Promise<CaseState> {
    switch (e.kind) {
      case 'propose':
        await this.planned(scope, c, state, 'proposed', null, 'SHADOW MODE — proposal only. Approve with POST /proposals/<ticketId>/approve {member} or set the PSA status to "Approved".');
        await scope.transition('proposed', 'shadow mode: waiting for a technician');
        return state;
      case 'request_approval': {
        const contacts = await this.d.directory.contacts(c.clientIdentifier);
        const approvers = e.approverContactIds.map((id) => contacts.find((x) => x.id === id)).filter((x): x is ContactRecord => !!x);
        if (approvers.length === 0) {
          await escalateTicket(scope, c, { reason: 'not_authorized', reasons: ['approval is required and nobody on file can give it'], security: false, steps: state.plan.steps });
          return { ...state, stage: 'escalated' };
        }
        const mailed = await this.mailApprovers(scope, c, state, approvers, contacts);
        if (mailed.kind === 'none_reached') {
          await escalateTicket(scope, c, { reason: 'not_authorized', reasons: [`approval is required and the request reached no approver on file: ${mailed.failures.join('; ')}`.slice(0, 500)], security: false, steps: state.plan.steps });
          return { ...state, stage: 'escalated' };
        }
        const note = mailed.failures.length ? ` Approval e-mail not delivered to: ${mailed.failures.join('; ')}.` : '';
        await this.planned(scope, c, state, 'awaiting_approval', approvalRequestMessage(approvers, state.plan), `Waiting for written approval from: ${approvers.map(name).join(', ')}.${note}`,
          approvers.slice(0, 3).map(name).join(' or '));
        await scope.transition('awaiting_approval', 'written approval requested');
        return state;
      }
      case 'send_code':
        return this.sendCode(scope, c, state, e.recipientContactId);
      case 'notify_retry':
        await this.planned(scope, c, state, 'awaiting_verification', retryMessage(e.attemptsLeft), `Wrong verification code; ${e.attemptsLeft} attempt(s) left.`);
        return state;
      case 'schedule':
        await this.planned(scope, c, state, 'executing', `Confirmed. The change is scheduled for ${e.at.slice(0, 16).replace('T', ' ')} UTC, the time you gave us.`, `Gates passed; execution scheduled for ${e.at}.`);
        await scope.transition('planned', `scheduled for ${e.at}`);
        return state;
      case 'execute':
        return this.execute(scope, c, state);
      case 'escalate':
        await escalateTicket(scope, c, { reason: e.reason, reasons: [e.why], security: false, steps: state.plan.steps });
        return { ...state, stage: 'escalated' };
    }
  }

  /**
   * Mails the approval request to every approver on file (when the client has an e-mail provider): a
   * temporary refusal (SMTP 4xx) is tried again a little later; a bounce or a permanent refusal is
   * recorded with the relay's reply. The request stands if at least one approver was reached.
   */
  private async mailApprovers(scope: TicketScope, c: StoredCase, state: CaseState, approvers: ContactRecord[], contacts: ContactRecord[]): Promise<{ kind: 'reached' | 'none_reached' | 'no_email'; failures: string[] }> {
    const notifier = this.d.registry.notifier(c.clientIdentifier);
    if (!notifier.channels().includes('email')) return { kind: 'no_email', failures: [] };
    const requester = contacts.find((x) => x.id === state.plan.identity.requesterContactId) ?? null;
    const failures: string[] = [];
    let reached = 0;
    for (const a of approvers) {
      if (!a.email) {
        failures.push(`${name(a)}: no e-mail on file`);
        continue;
      }
      const mail = approvalEmail(a, requester, c.context.ticket.summary, state.plan);
      const outcome = await this.sendWithRetries(() => notifier.send({ channel: 'email', address: a.email! }, { ...mail, sensitive: false, threadId: c.state.ticketId }));
      await scope.audit({ actor: 'executor', action: 'approval_request', decision: outcome.ok ? 'sent' : 'not_delivered', why: 'written approval needed before the plan runs', evidence: { to: a.email, tries: outcome.tries, detail: outcome.detail } });
      if (outcome.ok) reached++;
      else failures.push(`${name(a)} <${a.email}>: ${outcome.detail}`);
    }
    return { kind: reached > 0 ? 'reached' : 'none_reached', failures };
  }

  /** Temporary refusals (SMTP 4xx, provider 5xx, 429) are tried up to three times, with growing pauses. */
  private async sendWithRetries(send: () => Promise<unknown>): Promise<{ ok: boolean; tries: number; detail: string | null }> {
    for (let i = 1; ; i++) {
      try {
        await send();
        return { ok: true, tries: i, detail: null };
      } catch (e) {
        // The desk's own per-recipient limit frees up in minutes, not seconds: not worth an in-process retry.
        const temporary = e instanceof NotifyDeliveryError && e.temporary && e.reason !== 'recipient_rate_limited';
        const detail = (e as Error).message.slice(0, 200);
        if (!temporary || i >= 3) return { ok: false, tries: i, detail: temporary ? `${detail} (after ${i} tries)` : detail };
        await new Promise((r) => setTimeout(r, this.d.retryDelayMs * i));
      }
    }
  }

  private async sendCode(scope: TicketScope, c: StoredCase, state: CaseState, recipientId: string): Promise<CaseState> {
    const contacts = await this.d.directory.contacts(c.clientIdentifier);
    const recipient = contacts.find((x) => x.id === recipientId);
    if (!recipient?.mobile || !recipient.active) {
      await escalateTicket(scope, c, { reason: 'identity_verification_failed', reasons: ['no mobile on file for the one-time code'], security: false, steps: state.plan.steps });
      return { ...state, stage: 'escalated' };
    }
    const policy = policyOf(state.plan);
    const minutes = Math.max(1, Math.round(policy.codeTtlMs / 60_000));
    const code = generateCode(policy.codeDigits);
    const salt = newSalt();
    let messageId: string | null;
    try {
      const notifier = this.d.registry.notifier(c.clientIdentifier);
      const receipt = await notifier.send({ channel: 'sms', phone: recipient.mobile }, { body: codeSmsBody(code, minutes), sensitive: true });
      if (receipt.status === 'failed') throw new Error(receipt.detail ?? 'provider refused the message');
      // Watched until the carrier reports it, when the provider reports delivery at all.
      messageId = notifier.deliveryStatus && receipt.status !== 'sent' ? receipt.providerMessageId : null;
    } catch (err) {
      await escalateTicket(scope, c, { reason: 'identity_verification_failed', reasons: [`the verification code could not be delivered to the mobile on file: ${(err as Error).message.slice(0, 200)}`], security: false, steps: state.plan.steps });
      return { ...state, stage: 'escalated' };
    }
    const next = codeSent(state, { salt, hash: hashCode(code, salt), recipientContactId: recipient.id, phone: recipient.mobile, messageId }, this.d.now());
    await scope.audit({ actor: 'executor', action: 'send_code', decision: 'sent', why: 'identity verification before a sensitive action', evidence: { to: `mobile on file of ${name(recipient)} ending ${recipient.mobile.replace(/\D/g, '').slice(-4)}`, expiresAt: next.code?.expiresAt } });
    await this.planned(scope, c, next, 'awaiting_verification', codeSentMessage(recipient, minutes, policy.codeDigits), `Verification code sent to the mobile on file of ${name(recipient)}; expires ${next.code?.expiresAt}.`);
    await scope.transition('awaiting_verification', `code sent, expires ${next.code?.expiresAt}`);
    return next;
  }

  private ports(client: string): RunPorts {
    return {
      identity: () => this.d.registry.identity(client),
      rmm: () => this.d.registry.rmm(client),
      attempts: this.d.attempts,
      afterVendorWrite: this.d.afterVendorWrite,
      secrets: {
        sendSecret: async (mobile, body) => {
          const r = await this.d.registry.notifier(client).send({ channel: 'sms', phone: mobile }, { body, sensitive: true });
          if (r.status === 'failed') throw new Error(r.detail ?? 'SMS refused');
          return r.providerMessageId;
        },
      },
    };
  }

  private async execute(scope: TicketScope, c: StoredCase, state: CaseState): Promise<CaseState> {
    const contacts = state.plan.identity.secretRecipientContactId ? await this.d.directory.contacts(c.clientIdentifier) : [];
    const secretMobile = contacts.find((x) => x.id === state.plan.identity.secretRecipientContactId)?.mobile ?? null;
    await this.planned(scope, c, state, 'executing', null, 'Executing the plan.');
    await scope.transition('executing', state.plan.steps.map(describeStep).join('; ').slice(0, 500));
    const total = state.plan.steps.length;
    for (const [i, step] of state.plan.steps.entries()) {
      const result = await this.runWithRetries(step, c, secretMobile);
      this.d.actionsTotal.inc({ client: c.clientIdentifier, action: step.action, outcome: result.outcome === 'succeeded' ? (result.replayed ? 'replayed' : 'succeeded') : result.outcome });
      await scope.audit({
        actor: 'executor', action: step.action, decision: result.outcome,
        why: describeStep(step),
        evidence: { idempotencyKey: step.idempotencyKey, detail: result.detail, vendorRef: result.outcome === 'succeeded' ? result.vendorRef : null, approver: state.approvalBy, technician: state.technicianApprovedBy, identityRule: state.plan.identity.rule, codeVerifiedAt: state.code?.verifiedAt ?? null },
      });
      if (result.outcome === 'failed' && result.retryable && scope.deliveryCount < MAX_DELIVERIES_BEFORE_ESCALATION && scope.causationId !== null) {
        throw new RetryLaterError(`vendor refused ${step.action}: ${result.detail}`);
      }
      if (result.outcome !== 'succeeded') {
        await escalateTicket(scope, c, {
          reason: 'action_failed', reasons: [`${describeStep(step)}: ${result.detail}`], security: false,
          steps: state.plan.steps.slice(i), tried: state.plan.steps.slice(0, i + 1).map(describeStep),
        });
        return { ...state, stage: 'escalated' };
      }
      const action: PlannedAction = { ...step, params: { ...step.params, planStep: i + 1, planSteps: total } };
      await scope.publish(Subjects.actionExecuted, this.origin(scope, c), {
        ticket: c.context.ticket, triage: c.context.triage, documents: c.context.documents, action,
        outcome: 'succeeded', vendorRef: result.vendorRef, detail: result.detail, startedAt: result.startedAt, finishedAt: result.finishedAt,
      });
    }
    return { ...state, stage: 'executed' };
  }

  private async runWithRetries(step: PlannedAction, c: StoredCase, secretMobile: string | null): Promise<RunResult> {
    let result: RunResult | null = null;
    for (let i = 0; i < 3; i++) {
      result = await runAction(step, this.ports(c.clientIdentifier), { ticketId: c.state.ticketId, clientIdentifier: c.clientIdentifier, secretMobile, now: this.d.now });
      if (!(result.outcome === 'failed' && result.retryable)) return result;
      await new Promise((r) => setTimeout(r, this.d.retryDelayMs * (i + 1)));
    }
    return result!;
  }
}
