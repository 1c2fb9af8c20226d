import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { causedBy, Envelope, Subjects, TicketTriagedV1 } from '@desk/contracts';
import { DeskContext } from '@desk/platform';
import { KnowledgeApp } from '../app/knowledge-app';
import { fromEntityManager } from '../persistence/typeorm-db';
import { KNOWLEDGE_APP, KNOWLEDGE_ENV, KnowledgeEnv } from '../config';

/** triage → knowledge → executor: the client's applicable runbook(s), resolved from the index at run time. */
@Controller()
export class TicketTriagedHandler {
  constructor(@Inject(KNOWLEDGE_APP) private readonly app: KnowledgeApp, @Inject(KNOWLEDGE_ENV) private readonly env: KnowledgeEnv) {}

  @EventPattern(Subjects.ticketTriaged)
  async handle(@Payload() evt: Envelope<TicketTriagedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    const { ticket, triage } = evt.payload;
    const client = triage.clientIdentifier ?? ticket.clientIdentifier ?? evt.mspClientId;
    const tx = fromEntityManager(ctx.tx);
    const notSynced = await this.app.sync.ensureSynced(client);
    // Recorded in the handler's transaction: a redelivery neither double counts nor publishes twice.
    const runbook = await this.app.resolver.resolveForTicket(evt.ticketId, triage.category, client, tx, notSynced);
    if (triage.confidence >= this.env.KNOWLEDGE_LEARN_MIN_CONFIDENCE && triage.classifier !== 'rules') {
      await this.app.examples.add(tx, [{ id: `ticket:${evt.ticketId}`, category: triage.category, origin: triage.classifier, text: `${ticket.summary}\n${ticket.description}` }]);
    }
    await ctx.publish(Subjects.runbookResolved, causedBy(evt, client), { ticket, triage, runbook });
    this.app.gaps.refreshSoon();
    await ctx.audit({
      actor: 'knowledge',
      action: 'resolve_runbook',
      decision: runbook.usable ? 'usable' : 'unusable',
      why: runbook.reasons,
      evidence: {
        client, category: triage.category, gaps: runbook.gaps,
        documents: runbook.documents.map((d) => ({ docId: d.docId, title: d.title, scope: d.scope, why: d.why })),
        automations: runbook.automations.map((a) => ({ action: a.action, identityVerification: a.identityVerification })),
      },
    });
  }
}
