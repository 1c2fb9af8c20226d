import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Envelope, Subjects, TicketEscalatedV1 } from '@desk/contracts';
import { DeskContext } from '@desk/platform';
import { KnowledgeApp } from '../app/knowledge-app';
import { fromEntityManager } from '../persistence/typeorm-db';
import { KNOWLEDGE_APP } from '../config';

/** Counts runbooks whose action then failed verification (a gap of the runbook, not only of the ticket). */
@Controller()
export class TicketEscalatedHandler {
  constructor(@Inject(KNOWLEDGE_APP) private readonly app: KnowledgeApp) {}

  @EventPattern(Subjects.ticketEscalated)
  async handle(@Payload() evt: Envelope<TicketEscalatedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    const p = evt.payload;
    if (p.reason !== 'verification_failed') return;
    await this.app.gapStore.recordVerificationFailure(fromEntityManager(ctx.tx), {
      ticketId: evt.ticketId,
      clientIdentifier: p.ticket.clientIdentifier ?? evt.mspClientId,
      category: p.category,
      documents: p.summary.context.documents,
      reasons: p.reasons,
    });
    this.app.gaps.refreshSoon();
  }
}
