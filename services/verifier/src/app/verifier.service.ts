import { AdapterRegistry } from '@desk/adapters';
import { ActionExecutedV1, ActionName, Envelope, Evidence, Subjects } from '@desk/contracts';
import type { Counter } from 'prom-client';
import { TicketScope } from '@desk/platform';
import { CheckRepository, CheckRow } from '../persistence/check-repository';
import { CheckPorts, checkOnce, deadlineMs, nextPollMs } from '../domain/checks';
import { customerLine } from '../domain/messages';

export interface VerifierDeps {
  registry: AdapterRegistry;
  checks: CheckRepository;
  verificationsTotal: Counter<'action' | 'result'>;
  now: () => Date;
  deadlines: { identityMs: number; rmmMs: number };
  pollBaseMs: number;
}

const source = (a: ActionName) => (['install_software', 'reinstall_software', 'restart_service', 'clear_print_queue'].includes(a) ? 'rmm' : 'identity');

/** Proves each executed action through the same systems, then resolves or escalates the ticket once. */
export class VerifierService {
  constructor(private readonly d: VerifierDeps) {}

  async onExecuted(evt: Envelope<ActionExecutedV1>, scope: TicketScope): Promise<void> {
    const p = evt.payload;
    const step = Number(p.action.params.planStep ?? 1);
    const steps = Number(p.action.params.planSteps ?? 1);
    if (p.outcome === 'failed') {
      this.d.verificationsTotal.inc({ action: p.action.action, result: 'action_failed' });
      if (await this.d.checks.claimOutcome(scope.tx, evt.ticketId, 'escalated')) {
        await this.escalate(scope, evt.mspClientId, evt.correlationId, p, [{ source: source(p.action.action), detail: `action failed: ${p.detail}`, at: p.finishedAt }], 'action_failed');
      }
      return;
    }
    const deadline = new Date(Date.parse(p.finishedAt) + deadlineMs(p.action.action, this.d.deadlines)).toISOString();
    const inserted = await this.d.checks.insert(scope.tx, {
      idempotencyKey: p.action.idempotencyKey, ticketId: evt.ticketId, clientIdentifier: evt.mspClientId, correlationId: evt.correlationId,
      eventId: evt.eventId, executed: p, planStep: step, planSteps: steps, deadline,
    });
    if (!inserted) return;
    await scope.transition('verifying', `${p.action.action}: ${p.action.check}`.slice(0, 500));
    await scope.audit({ actor: 'verifier', action: 'verify_scheduled', decision: 'pending', why: p.action.check, evidence: { idempotencyKey: p.action.idempotencyKey, vendorRef: p.vendorRef, deadline } });
  }

  /** One poll of one pending check; called by the worker inside its own transaction. */
  async poll(key: string, scope: (ticketId: string) => TicketScope, tx: TicketScope['tx']): Promise<'passed' | 'failed' | 'pending' | 'skipped'> {
    const row = await this.d.checks.lockPending(tx, key);
    if (!row) return 'skipped';
    const sc = scope(row.ticketId);
    const client = row.clientIdentifier ?? row.executed.triage.clientIdentifier;
    if (!client) return this.finish(sc, row, 'failed', 'no client on the ticket', {});
    const ports: CheckPorts = { identity: () => this.d.registry.identity(client), rmm: () => this.d.registry.rmm(client) };
    const r = await checkOnce(ports, { action: row.executed.action, vendorRef: row.executed.vendorRef, startedAt: row.executed.startedAt, state: row.state });
    if (r.status === 'pending' && this.d.now().getTime() < Date.parse(row.deadline)) {
      await this.d.checks.update(tx, key, { status: 'pending', state: r.state, evidence: row.evidence, nextInMs: nextPollMs(row.attempts, this.d.pollBaseMs) });
      return 'pending';
    }
    const status = r.status === 'passed' ? 'passed' : 'failed';
    const detail = r.status === 'pending' ? `deadline passed without proof: ${r.evidence}` : r.evidence;
    return this.finish(sc, row, status, detail, r.state);
  }

  private async finish(scope: TicketScope, row: CheckRow, status: 'passed' | 'failed', detail: string, state: CheckRow['state']): Promise<'passed' | 'failed'> {
    const evidence: Evidence[] = [...row.evidence, { source: source(row.executed.action.action), detail, at: this.d.now().toISOString() }];
    await this.d.checks.update(scope.tx, row.idempotencyKey, { status, state, evidence, nextInMs: 0 });
    this.d.verificationsTotal.inc({ action: row.executed.action.action, result: status });
    await scope.audit({ actor: 'verifier', action: 'verify', decision: status, why: row.executed.action.check, evidence: { idempotencyKey: row.idempotencyKey, detail } });
    await this.decide(scope, row);
    return status;
  }

  /** All steps proven → resolved; any step failed → escalated with the evidence. Exactly one outcome per ticket. */
  private async decide(scope: TicketScope, row: CheckRow): Promise<void> {
    const all = await this.d.checks.forTicket(scope.tx, row.ticketId);
    const evidence = all.flatMap((c) => c.evidence);
    const p = row.executed;
    if (all.some((c) => c.status === 'failed')) {
      if (await this.d.checks.claimOutcome(scope.tx, row.ticketId, 'escalated')) {
        await this.escalate(scope, row.clientIdentifier, row.correlationId, p, evidence, 'verification_failed');
      }
      return;
    }
    if (all.length < row.planSteps || all.some((c) => c.status !== 'passed')) return;
    if (!(await this.d.checks.claimOutcome(scope.tx, row.ticketId, 'resolved'))) return;
    const actions = all.map((c) => c.executed.action);
    const handlingSeconds = Math.max(0, (this.d.now().getTime() - Date.parse(p.ticket.receivedAt)) / 1000);
    await scope.publish(Subjects.ticketResolved, { ticketId: row.ticketId, mspClientId: row.clientIdentifier, correlationId: row.correlationId, causationId: row.eventId }, {
      ticket: p.ticket,
      category: p.triage.category,
      actions: actions.map((a) => a.action),
      evidence,
      customerMessage: [...new Set(actions.map(customerLine))].join(' '),
      internalNote: ['Verified by the desk:', ...evidence.map((e) => `- [${e.source}] ${e.detail}`), `Runbooks: ${p.documents.join(', ') || 'n/a'}`].join('\n'),
      handlingSeconds,
    });
    await scope.transition('resolved', `verified: ${actions.map((a) => a.action).join(', ')}`);
    await scope.audit({ actor: 'verifier', action: 'resolve', decision: 'resolved', why: 'every planned action proven through the vendor systems', evidence: { evidence } });
  }

  private async escalate(scope: TicketScope, client: string | null, correlationId: string, p: ActionExecutedV1, evidence: Evidence[], reason: 'verification_failed' | 'action_failed'): Promise<void> {
    const reasons = evidence.map((e) => e.detail).slice(-5);
    await scope.publish(Subjects.ticketEscalated, { ticketId: scope.ticketId, mspClientId: client, correlationId, causationId: scope.causationId }, {
      ticket: p.ticket,
      category: p.triage.category,
      stage: 'verifier',
      reason,
      reasons: reasons.length > 0 ? reasons : ['the fix could not be proven'],
      summary: {
        asked: p.ticket.summary,
        tried: [`${p.action.action} (${p.detail})`],
        learned: reasons,
        context: {
          client, requester: p.triage.requester.email ?? p.ticket.fromEmail, affectedUser: p.triage.affectedUpn,
          assets: [p.action.params.hostname, p.action.params.printer].filter((x): x is string => typeof x === 'string'),
          relatedTickets: [], documents: p.documents,
        },
        suggestedNextStep: `The action ran but its check did not pass (${p.action.check}). Inspect the vendor state and finish by hand; do not repeat blindly.`,
        confidence: p.triage.confidence,
      },
      priorityLevel: p.triage.priority.level,
      security: false,
    });
    await scope.transition('escalated', `${reason}: ${reasons[0] ?? ''}`.slice(0, 500));
    await scope.audit({ actor: 'verifier', action: 'escalate', decision: reason, why: reasons, evidence: { evidence } });
  }
}
