import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { causedBy, Envelope, Subjects, TicketReceivedV1 } from '@desk/contracts';
import { DeskContext } from '@desk/platform';
import { TriageService } from '../services/triage.service';

/** The NATS edge: a received ticket becomes triaged (or escalated, or a duplicate) in one transaction. */
@Controller()
export class TicketReceivedHandler {
  constructor(private readonly triage: TriageService) {}

  @EventPattern(Subjects.ticketReceived)
  async handle(@Payload() evt: Envelope<TicketReceivedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    const ticket = evt.payload.ticket;
    const outcome = await this.triage.run(ticket, evt.ticketId, ctx.tx);
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
}
