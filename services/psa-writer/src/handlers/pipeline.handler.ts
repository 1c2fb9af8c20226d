import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Counter, Histogram } from 'prom-client';
import {
  Subjects, type Envelope, type InboundTicket, type RunbookResolvedV1, type TicketConversationV1, type TicketEscalatedV1, type TicketPlannedV1, type TicketResolvedV1,
  type TicketTriagedV1,
} from '@desk/contracts';
import { AdapterRegistry } from '@desk/adapters';
import { DeskContext, DeskMetrics } from '@desk/platform';
import { planChildTickets, planConversation, planEscalated, planPlanned, planResolved, planTriaged, type PlannedWrite } from '../domain/write-plan';
import { shouldPage, withinBusinessHours } from '../domain/business-hours';
import { WriteStore } from '../adapters/write-store';
import { TicketDigest } from '../after-hours/ticket-digest';
import { WriteDrainer } from '../workers/write-drainer';
import { OwnerAssigner } from '../dispatch/owner-assigner';
import { FollowUpWorker } from '../followups/follow-up.worker';
import type { WaitKind } from '../followups/follow-up-plan';
import { DISPATCH_CLOCK, type Clock } from '../dispatch/tokens';

/** Just before an event's own writes in the ticket's lane (a reopen goes first). */
const justBefore = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();

/**
 * The NATS edge of psa-writer: each event becomes queued writes (in the handler's transaction, keyed by
 * event id + write kind), which the drainer executes against the PSA after commit.
 */
@Controller()
export class PipelineHandler {
  private readonly resolved: Counter<'client' | 'category' | 'after_hours'>;
  private readonly escalated: Counter<'client' | 'category' | 'reason'>;
  private readonly timeToResolution: Histogram<string>;
  private readonly reclaimed: Counter<'client' | 'category'>;

  constructor(
    private readonly registry: AdapterRegistry,
    private readonly drainer: WriteDrainer,
    @Inject(DeskMetrics) metrics: DeskMetrics,
    private readonly followUps: FollowUpWorker,
    @Inject(DISPATCH_CLOCK) private readonly clock: Clock,
  ) {
    this.resolved = metrics.counter('desk_tickets_resolved_total', 'Tickets the desk resolved', ['client', 'category', 'after_hours']);
    this.escalated = metrics.counter('desk_tickets_escalated_total', 'Tickets handed to a human', ['client', 'category', 'reason']);
    this.timeToResolution = metrics.histogram('desk_time_to_resolution_seconds', 'From receipt to verified resolution', [], [10, 30, 60, 120, 300, 600, 1800, 3600, 14400, 86400]);
    this.reclaimed = metrics.counter('desk_technician_seconds_reclaimed_total', 'Technician time saved, in seconds (baseline minutes per category per resolved ticket)', ['client', 'category']);
  }

  @EventPattern(Subjects.ticketTriaged)
  async triaged(@Payload() evt: Envelope<TicketTriagedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    await this.queue(ctx, evt, evt.payload.ticket, evt.payload.triage.clientIdentifier, planTriaged(evt));
  }

  /** The ticket's runbook may ask for child tickets (onboarding: hardware, accounts): opened under its PSA ticket. */
  @EventPattern(Subjects.runbookResolved)
  async runbookResolved(@Payload() evt: Envelope<RunbookResolvedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    const writes = planChildTickets(evt);
    if (writes.length === 0) return;
    await this.queue(ctx, evt, evt.payload.ticket, evt.payload.triage.clientIdentifier, writes);
  }

  @EventPattern(Subjects.ticketPlanned)
  async planned(@Payload() evt: Envelope<TicketPlannedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    const p = evt.payload;
    if ((await this.queue(ctx, evt, p.ticket, null, planPlanned(evt))) === 0) return;
    // Waiting on the user (a code, an approval): reminders; running work: status updates, unasked.
    const kind: WaitKind | null = p.stage === 'awaiting_verification' ? 'verification' : p.stage === 'awaiting_approval' ? 'approval' : p.stage === 'executing' ? 'progress' : null;
    if (!kind) return;
    if (kind === 'progress') await this.followUps.scheduler.settle(ctx.tx, evt.ticketId, { reopen: false });
    const detail = kind === 'progress' ? [...new Set(p.plan.map((a) => a.action.replace(/_/g, ' ')))].join(', ') || null : p.waitingOn ?? null;
    await this.startWaiting(ctx, evt, p.ticket, kind, firstName(p.ticket.fromName), detail);
  }

  /** Guidance or an answer to the user's question: the ticket now waits on the client (reminders, then the close). */
  @EventPattern(Subjects.ticketConversation)
  async conversation(@Payload() evt: Envelope<TicketConversationV1>, @Ctx() ctx: DeskContext): Promise<void> {
    const c = evt.payload;
    // A question after the desk closed the ticket reopens it first (its writes go before this turn's).
    await this.followUps.scheduler.settle(ctx.tx, evt.ticketId, { reopen: true, sortAt: justBefore(evt.occurredAt) });
    if ((await this.queue(ctx, evt, c.ticket, null, planConversation(evt))) === 0) return;
    if (c.waitingOnClient) await this.startWaiting(ctx, evt, c.ticket, 'client', c.contactName, null);
  }

  private async startWaiting(ctx: DeskContext, evt: Envelope<unknown>, ticket: InboundTicket, kind: WaitKind, contactName: string | null, detail: string | null): Promise<void> {
    const client = this.clientOf(evt, ticket, null);
    const known = client ? this.registry.findClient(client) : null;
    if (!client || !known) {
      await ctx.audit({ actor: 'psa-writer', action: 'follow_up', decision: 'not_scheduled', why: `no business hours for client ${client ?? 'unknown'}: no reminders` });
      return;
    }
    const since = this.clock();
    const n = await this.followUps.scheduler.startWaiting(ctx.tx, {
      ticketId: evt.ticketId, clientIdentifier: known.identifier, psaSystem: ticket.psa?.system ?? known.psa.system, contactName, since, kind, detail,
    });
    await ctx.audit({
      actor: 'psa-writer', action: 'follow_up', decision: 'scheduled',
      why: `${n} timer(s) for ${kind === 'client' ? 'the client\'s answer' : kind === 'progress' ? 'status updates on running work' : `the ${kind}`} from ${since.toISOString()}, in ${known.timezone} business hours`,
      evidence: { kind, client: known.identifier, timers: n },
    });
  }

  @EventPattern(Subjects.ticketResolved)
  async resolvedEvt(@Payload() evt: Envelope<TicketResolvedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    const r = evt.payload;
    await this.followUps.scheduler.settle(ctx.tx, evt.ticketId, { reopen: false });
    const added = await this.queue(ctx, evt, r.ticket, null, planResolved(evt));
    if (added === 0) return; // a redelivery: counted the first time
    const client = this.clientOf(evt, r.ticket, null) ?? 'unknown';
    const afterHours = !this.inHours(client, new Date(r.ticket.receivedAt));
    this.resolved.inc({ client, category: r.category, after_hours: String(afterHours) });
    this.timeToResolution.observe(r.handlingSeconds);
    const baseline = this.registry.config.msp.baselineMinutesPerCategory[r.category];
    if (baseline) this.reclaimed.inc({ client, category: r.category }, baseline * 60);
  }

  @EventPattern(Subjects.ticketEscalated)
  async escalatedEvt(@Payload() evt: Envelope<TicketEscalatedV1>, @Ctx() ctx: DeskContext): Promise<void> {
    const e = evt.payload;
    const client = this.clientOf(evt, e.ticket, null);
    const afterHours = client ? !this.inHours(client, new Date(evt.occurredAt)) : false;
    const map = await WriteStore.map(ctx.tx, evt.ticketId);
    const writes = planEscalated(evt, {
      afterHours, psaNumber: map?.psaNumber ?? e.ticket.psa?.number ?? null,
      page: shouldPage({ security: e.security, priorityLevel: e.priorityLevel, afterHours }),
    });
    // An answer after the desk's close reopens the ticket before the escalation's writes; waiting stops.
    await this.followUps.scheduler.settle(ctx.tx, evt.ticketId, { reopen: true, sortAt: justBefore(evt.occurredAt) });
    const added = await this.queue(ctx, evt, e.ticket, null, writes);
    // A human must own it: dispatch picks the owner once the route is in the PSA (docs/DISPATCH.md).
    if (added > 0) await OwnerAssigner.record(ctx.tx, evt, client, e);
    if (added > 0) this.escalated.inc({ client: client ?? 'unknown', category: e.category ?? 'unknown', reason: e.reason });
  }

  private clientOf(evt: Envelope<unknown>, ticket: InboundTicket, fromTriage: string | null): string | null {
    const id = ticket.clientIdentifier ?? fromTriage ?? evt.mspClientId;
    return id ? (this.registry.findClient(id)?.identifier ?? id) : null;
  }

  private inHours(client: string, at: Date): boolean {
    const c = this.registry.findClient(client);
    if (!c) return true;
    return withinBusinessHours({ timezone: c.timezone, ...c.businessHours }, at);
  }

  private async queue(ctx: DeskContext, evt: Envelope<unknown>, ticket: InboundTicket, fromTriage: string | null, writes: PlannedWrite[]): Promise<number> {
    const client = this.clientOf(evt, ticket, fromTriage);
    const system = ticket.psa?.system ?? (client ? this.registry.findClient(client)?.psa.system ?? null : null);
    if (ticket.psa) {
      await WriteStore.upsertMap(ctx.tx, { ticketId: evt.ticketId, clientIdentifier: client, system: ticket.psa.system, psaTicketId: ticket.psa.id, psaNumber: ticket.psa.number }, false);
    }
    const added = await WriteStore.enqueue(ctx.tx, evt, client, system, ticket.receivedAt, writes);
    // Where the ticket stands, for the morning queue (same transaction; a late event never overwrites a newer state).
    await TicketDigest.record(ctx.tx, evt, ticket, client);
    if (added > 0) {
      // What the desk will tell the PSA, in the ticket's audit trail (kinds and targets, never note text).
      await ctx.audit({
        actor: 'psa-writer', action: 'psa_writes_queued', decision: evt.type,
        why: `${added} write(s) for ${system ?? 'an unknown PSA'} in order on the ticket's lane`,
        evidence: { system, client, writes: writes.map((w) => (w.op.kind === 'status' ? `status:${w.op.status}` : w.op.kind === 'route' ? `route:${w.op.board}` : w.op.kind)) },
      });
    }
    // Wake the drainer once this transaction has committed (the writes are not visible before).
    ctx.afterCommit(() => this.drainer.kick());
    return added;
  }
}

const firstName = (name: string | null): string | null => name?.trim().split(/\s+/)[0] || null;
