import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Subjects, type Envelope, type TicketPsaLinkedV1 } from '@desk/contracts';
import { DeskContext } from '@desk/platform';
import { IntakeStore } from '../adapters/intake-store';

/**
 * psa-writer created the PSA ticket for a desk ticket: remember the pair, so a later callback on that
 * PSA ticket (a technician's approval, a user's note) threads onto the desk ticket instead of a new one.
 */
@Controller()
export class PsaLinkedHandler {
  @EventPattern(Subjects.ticketPsaLinked)
  async handle(@Payload() evt: Envelope<TicketPsaLinkedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    const p = evt.payload;
    const existing = await IntakeStore.linkByTicket(ctx.tx, evt.ticketId);
    await IntakeStore.upsertLink(ctx.tx, {
      ticketId: evt.ticketId, clientIdentifier: p.clientIdentifier ?? evt.mspClientId, channel: existing?.channel ?? 'psa_webhook',
      psaSystem: p.psa.system, psaTicketId: p.psa.id, psaNumber: p.psa.number, lastStatus: null, seenNoteIds: [],
    });
  }
}
