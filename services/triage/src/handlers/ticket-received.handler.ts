import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { causedBy, Envelope, Subjects, TicketReceivedV1 } from '@desk/contracts';
import { DeskContext } from '@desk/platform';
import { TriageEnv, TRIAGE_ENV } from '../config';
import { TriageOutcome } from '../domain/triage';
import { TriageService } from '../services/triage.service';

/** The NATS edge: a received ticket becomes triaged (or escalated, or a duplicate) in one transaction. */
@Controller()
export class TicketReceivedHandler {
  constructor(private readonly triage: TriageService, @Inject(TRIAGE_ENV) private readonly env: TriageEnv) {}

  @EventPattern(Subjects.ticketReceived)
  async handle(@Payload() evt: Envelope<TicketReceivedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    const ticket = evt.payload.ticket;
    let outcome: TriageOutcome;
    try {
      outcome = await this.triage.run(ticket, evt.ticketId, ctx.tx);
    } catch (e) {
      // Earlier deliveries retry (a vendor or the database may be back); the last one hands the ticket to a
      // human instead of dead-lettering it, so no ticket is ever lost to a triage fault.
      if (ctx.deliveryCount < this.env.DESK_MAX_DELIVER) throw e;
      await this.handOver(evt, ctx, e instanceof Error ? e.message : String(e));
      return;
    }
    const r = outcome.result;
    const origin = causedBy(evt, r.clientIdentifier ?? evt.mspClientId);
    if (outcome.escalation) {
      const e = outcome.escalation;
      await ctx.publish(Subjects.ticketEscalated, origin, {
        ticket, category: r.category, stage: 'triage', reason: e.reason, reasons: e.reasons, summary: e.summary, priorityLevel: e.priorityLevel, security: e.security,
      });
    } else {
      await ctx.publish(Subjects.ticketTriaged, origin, { ticket, triage: r });
    }
    await ctx.transition(outcome.transition, outcome.transition === 'duplicate' ? `duplicate of ${r.duplicateOf}` : `${r.category} -> ${r.route.decision}`);
    await ctx.audit({
      actor: 'triage',
      action: 'route',
      decision: r.duplicateOf ? 'duplicate' : r.route.decision,
      why: r.route.reasons,
      evidence: {
        category: r.category, confidence: r.confidence, classifier: r.classifier, alternatives: r.alternatives,
        client: r.clientIdentifier, requester: r.requester.email, affectedUpn: r.affectedUpn, priority: r.priority,
        security: r.security, duplicateOf: r.duplicateOf, afterHours: r.afterHours, policy: { mode: r.route.policyMode, threshold: r.route.threshold },
        entities: r.entities.map((x) => ({ kind: x.kind, mention: x.mention, ref: x.ref, note: x.note })), inputNotes: outcome.notes,
      },
    });
  }

  private async handOver(evt: Envelope<TicketReceivedV1>, ctx: DeskContext, error: string): Promise<void> {
    const ticket = evt.payload.ticket;
    const reasons = [`triage failed after ${ctx.deliveryCount} attempts: ${error.slice(0, 300)}`];
    await ctx.publish(Subjects.ticketEscalated, causedBy(evt), {
      ticket, category: null, stage: 'triage', reason: 'other', reasons, priorityLevel: 3, security: false,
      summary: {
        asked: ticket.summary.slice(0, 300) || '(no summary)', tried: ['automatic triage'], learned: reasons,
        context: { client: ticket.clientIdentifier, requester: ticket.fromEmail, affectedUser: null, assets: [], relatedTickets: [], documents: [] },
        suggestedNextStep: 'A technician triages the ticket by hand.', confidence: null,
      },
    });
    await ctx.transition('escalated', 'triage failed');
    await ctx.audit({ actor: 'triage', action: 'route', decision: 'escalate', why: reasons, evidence: { deliveries: ctx.deliveryCount } });
  }
}
