import { randomUUID } from 'node:crypto';
import type { InboundTicket } from '@desk/contracts';
import { Subjects } from '@desk/contracts';
import { UnitOfWork, UowContext, type PlatformCore } from '@desk/platform';
import type { ReplyInput } from '../domain/psa-follow-up';
import { IntakeStore, type DeliveryRow } from './intake-store';

export interface RawDelivery {
  channel: string;
  idempotencyKey: string;
  clientIdentifier: string | null;
  contentType: string | null;
  headers: Record<string, string>;
  /** UTF-8 text of the body as received (kept for audit). */
  body: string;
}

export type Accepted =
  | { outcome: 'duplicate'; deliveryId: string; ticketId: string | null }
  | { outcome: 'received' | 'reply' | 'ignored' | 'pending_fetch' | 'storm'; deliveryId: string; ticketId: string | null; reason?: string; count?: number };

type NewTicket = Omit<InboundTicket, 'rawRef' | 'attachments' | 'alert' | 'fromName' | 'contactId'> & Partial<Pick<InboundTicket, 'attachments' | 'alert' | 'fromName' | 'contactId'>>;

/**
 * The durable write behind every 2xx: the raw delivery (audit + idempotency key) and the event in the
 * outbox commit in one transaction; the event is published after commit. A duplicate delivery stores
 * nothing new and reports the ticket of the first one.
 */
export class Deliveries {
  private readonly uow: { run<T>(fn: (ctx: UowContext) => Promise<T>): Promise<T> };

  constructor(core: PlatformCore) {
    // The 2xx waits for the commit, not for the JetStream publish (the outbox makes the event durable).
    const uow = new UnitOfWork(core.ds, core.deps, core.log);
    this.uow = { run: (fn) => uow.run(fn, { awaitPublish: false }) };
  }

  private async begin(ctx: UowContext, d: RawDelivery, outcome: DeliveryRow['outcome'], ticketId: string | null, reason: string | null): Promise<{ id: string } | Accepted> {
    const id = randomUUID();
    const inserted = await IntakeStore.insertDelivery(ctx.tx, { id, ...d, ticketId, outcome, reason });
    if (inserted) return { id };
    const prior = await IntakeStore.findDelivery(ctx.tx, d.channel, d.idempotencyKey);
    return { outcome: 'duplicate', deliveryId: prior?.id ?? id, ticketId: prior?.ticketId ?? null };
  }

  /** A new ticket: the delivery, the link row (for threading and the portal), ticketReceived, the ledger. */
  async newTicket(d: RawDelivery, ticket: NewTicket, extra?: (ctx: UowContext, ticketId: string) => Promise<void>): Promise<Accepted> {
    return this.uow.run(async (ctx) => {
      const ticketId = randomUUID();
      const b = await this.begin(ctx, d, 'received', ticketId, null);
      if ('outcome' in b) return b;
      await IntakeStore.upsertLink(ctx.tx, {
        ticketId, clientIdentifier: ticket.clientIdentifier, channel: ticket.channel, psaSystem: ticket.psa?.system ?? null,
        psaTicketId: ticket.psa?.id ?? null, psaNumber: ticket.psa?.number ?? null, lastStatus: null, seenNoteIds: [],
      });
      if (extra) await extra(ctx, ticketId);
      await ctx.publish(Subjects.ticketReceived, { ticketId, mspClientId: ticket.clientIdentifier, correlationId: ticketId }, { ticket: { ...ticket, rawRef: b.id } });
      await ctx.transition(ticketId, 'received', `via ${ticket.channel}`);
      return { outcome: 'received', deliveryId: b.id, ticketId };
    });
  }

  /** An answer on an existing ticket → ticketReply (the waiting stage picks it up). */
  async reply(d: RawDelivery, ticketId: string, clientIdentifier: string | null, reply: ReplyInput, extra?: (ctx: UowContext) => Promise<void>): Promise<Accepted> {
    return this.uow.run(async (ctx) => {
      const b = await this.begin(ctx, d, 'reply', ticketId, null);
      if ('outcome' in b) return b;
      if (extra) await extra(ctx);
      await ctx.publish(Subjects.ticketReply, { ticketId, mspClientId: clientIdentifier, correlationId: b.id }, reply);
      return { outcome: 'reply', deliveryId: b.id, ticketId };
    });
  }

  /** One answer that belongs to several tickets (intake cannot tell which): the same reply on each, the reason on the delivery. */
  async replyToEach(d: RawDelivery, targets: Array<{ ticketId: string; clientIdentifier: string | null }>, reply: ReplyInput, reason: string): Promise<Accepted> {
    return this.uow.run(async (ctx) => {
      const b = await this.begin(ctx, d, 'reply', targets[0]?.ticketId ?? null, reason);
      if ('outcome' in b) return b;
      for (const t of targets) await ctx.publish(Subjects.ticketReply, { ticketId: t.ticketId, mspClientId: t.clientIdentifier, correlationId: b.id }, reply);
      return { outcome: 'reply', deliveryId: b.id, ticketId: targets[0]?.ticketId ?? null, reason };
    });
  }

  /** Stored for audit, nothing published (auto-replies, bounces, alert repeats inside a storm). */
  async ignored(d: RawDelivery, reason: string, ticketId: string | null = null, outcome: 'ignored' | 'storm' = 'ignored'): Promise<Accepted> {
    return this.uow.run(async (ctx) => {
      const b = await this.begin(ctx, d, outcome, ticketId, reason);
      if ('outcome' in b) return b;
      return { outcome, deliveryId: b.id, ticketId, reason };
    });
  }

  /** A PSA callback: stored with a fetch job; the worker fetches the ticket (after `delayMs`) and publishes after the 2xx. */
  async psaCallback(d: RawDelivery, job: { system: string; connectionClient: string; psaTicketId: string; action: string; actor: string | null; ticketNumber: string | null }, delayMs = 0): Promise<Accepted> {
    return this.uow.run(async (ctx) => {
      const b = await this.begin(ctx, d, 'pending_fetch', null, null);
      if ('outcome' in b) return b;
      await IntakeStore.enqueueFetch(ctx.tx, { deliveryId: b.id, ...job }, delayMs);
      return { outcome: 'pending_fetch', deliveryId: b.id, ticketId: null };
    });
  }

  /** An RMM alert: a new ticket, or one more count on the open storm for the same device + condition. */
  async alert(d: RawDelivery, stormKey: string, windowSeconds: number, ticket: (count: number) => NewTicket): Promise<Accepted> {
    return this.uow.run(async (ctx) => {
      const candidate = randomUUID();
      // Claim the idempotency key first: a re-delivered alert must not count twice.
      const probe = await this.begin(ctx, d, 'storm', null, null);
      if ('outcome' in probe) return probe;
      const storm = await IntakeStore.recordAlert(ctx.tx, stormKey, candidate, windowSeconds);
      if (!storm.isNew) {
        await IntakeStore.updateDeliveryOutcome(ctx.tx, probe.id, 'storm', storm.ticketId, `repeat #${storm.count} within the storm window`);
        return { outcome: 'storm', deliveryId: probe.id, ticketId: storm.ticketId, count: storm.count };
      }
      const t = ticket(storm.count);
      await IntakeStore.updateDeliveryOutcome(ctx.tx, probe.id, 'received', storm.ticketId, null);
      await IntakeStore.upsertLink(ctx.tx, {
        ticketId: storm.ticketId, clientIdentifier: t.clientIdentifier, channel: t.channel, psaSystem: null, psaTicketId: null, psaNumber: null, lastStatus: null, seenNoteIds: [],
      });
      await ctx.publish(Subjects.ticketReceived, { ticketId: storm.ticketId, mspClientId: t.clientIdentifier, correlationId: storm.ticketId }, { ticket: { ...t, rawRef: probe.id } });
      await ctx.transition(storm.ticketId, 'received', 'via alert');
      return { outcome: 'received', deliveryId: probe.id, ticketId: storm.ticketId, count: storm.count };
    });
  }
}
