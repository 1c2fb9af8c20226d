import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Gauge } from 'prom-client';
import type { PsaSystem } from '@desk/contracts';
import { AdapterRegistry } from '@desk/adapters';
import { DeskLogger, DeskMetrics, Poller } from '@desk/platform';
import { WriteStore } from '../adapters/write-store';
import type { PlannedWrite } from '../domain/write-plan';
import { atRiskByClient, composeSlaPage, firstHumanResponse, needsAttention, slaStatus, type SlaStatus } from './sla';
import { roleOf } from './roles';
import { DISPATCH_CLOCK, DISPATCH_ENV, type Clock } from './tokens';
import type { DispatchEnv } from './dispatch-config';

interface WatchedRow {
  ticket_id: string;
  client_identifier: string;
  psa_system: PsaSystem | null;
  received_at: Date;
  psa_ticket_id: string;
  psa_number: string | null;
}

/**
 * Watches tickets the desk handed to a human for a first response within the client's SLA (business
 * time). Keeps desk_sla_at_risk_tickets{client} current and pages once per ticket through psa-writer's
 * durable write queue (a `page` write keyed by ticket, so several replicas page once).
 */
@Injectable()
export class SlaMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly poller: Poller;
  private readonly gauge: Gauge<'client'>;

  constructor(
    private readonly ds: DataSource,
    private readonly registry: AdapterRegistry,
    private readonly log: DeskLogger,
    metrics: DeskMetrics,
    @Inject(DISPATCH_ENV) private readonly env: DispatchEnv,
    @Inject(DISPATCH_CLOCK) private readonly clock: Clock,
  ) {
    this.gauge = metrics.gauge('desk_sla_at_risk_tickets', 'Escalated tickets with no technician response, at risk of or past the client\'s first-response SLA', ['client']);
    this.poller = new Poller('sla', env.DESK_SLA_POLL_MS, () => this.check(), log.pino);
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.poller.stop();
  }

  minutesFor(client: string): number {
    return this.env.DESK_SLA_CLIENT_MINUTES[client] ?? this.env.DESK_SLA_FIRST_RESPONSE_MINUTES;
  }

  /** One pass: statuses of every watched ticket, the gauge per client, and pages for the newly at risk. */
  async check(): Promise<SlaStatus[]> {
    const now = this.clock();
    const since = new Date(now.getTime() - this.env.DESK_SLA_LOOKBACK_HOURS * 3_600_000);
    // Tickets whose escalation route was written: from then on a person owes the client a response.
    const rows: WatchedRow[] = await this.ds.query(
      `SELECT w.ticket_id, w.client_identifier, max(w.psa_system) AS psa_system, min(coalesce(w.received_at, w.created_at)) AS received_at,
              m.psa_ticket_id, m.psa_number
         FROM psa_write w JOIN ticket_map m ON m.ticket_id = w.ticket_id
        WHERE w.kind = 'route' AND w.status = 'done' AND w.done_at >= $1 AND w.client_identifier IS NOT NULL
        GROUP BY w.ticket_id, w.client_identifier, m.psa_ticket_id, m.psa_number`, [since]);
    const statuses: SlaStatus[] = [];
    const humans = new Map<string, Set<string>>();
    for (const r of rows) {
      const client = this.registry.findClient(r.client_identifier);
      if (!client) continue;
      try {
        const psa = this.registry.psa(client.identifier);
        if (!humans.has(client.identifier)) humans.set(client.identifier, await this.team(client.identifier));
        const { ticket, notes } = await psa.getTicketWithNotes(r.psa_ticket_id);
        const receivedAt = new Date(r.received_at);
        const minutes = this.minutesFor(client.identifier);
        const s = slaStatus({
          ticketId: r.ticket_id, clientIdentifier: client.identifier, receivedAt, closed: ticket.closed,
          respondedAt: firstHumanResponse(notes, humans.get(client.identifier)!, receivedAt),
        }, { timezone: client.timezone, ...client.businessHours }, { firstResponseMinutes: minutes, warnAt: this.env.DESK_SLA_WARN_AT }, now);
        statuses.push(s);
        if (needsAttention(s)) await this.page(r, s, minutes);
      } catch (e) {
        // One unreachable PSA must not hide the other clients' risk.
        this.log.pino.warn({ err: e, ticket_id: r.ticket_id }, 'SLA status unavailable');
      }
    }
    for (const [client, n] of atRiskByClient(statuses, this.registry.clients().map((c) => c.identifier))) this.gauge.set({ client }, n);
    return statuses;
  }

  /** Members who count as a human response: everyone with a role except the automation's own member. */
  private async team(client: string): Promise<Set<string>> {
    const agent = this.registry.config.msp.agentMemberIdentifier.toLowerCase();
    const members = await this.registry.psa(client).listMembers();
    return new Set(members.filter((m) => m.identifier.toLowerCase() !== agent && roleOf(m.identifier, m.role) !== null).map((m) => m.identifier.toLowerCase()));
  }

  /** Queues the page; the unique key makes a second replica's (or a later pass's) insert a no-op. */
  private async page(r: WatchedRow, s: SlaStatus, minutes: number): Promise<void> {
    const p = composeSlaPage(s, r.psa_number, minutes);
    const write: PlannedWrite = {
      key: `${r.ticket_id}:sla_${s.state}`, lane: `page:${r.ticket_id}`, sortAt: this.clock().toISOString(), opIndex: 0,
      op: { kind: 'page', subject: p.subject, body: p.body },
    };
    await this.ds.transaction((tx) => WriteStore.enqueue(tx, { eventId: randomUUID(), ticketId: r.ticket_id }, r.client_identifier, r.psa_system, new Date(r.received_at).toISOString(), [write]));
  }
}
