import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Gauge } from 'prom-client';
import type { PsaSystem } from '@desk/contracts';
import { AdapterRegistry, type ClientConfig } from '@desk/adapters';
import { DeskLogger, DeskMetrics, Poller } from '@desk/platform';
import { WriteStore } from '../adapters/write-store';
import type { PlannedWrite } from '../domain/write-plan';
import { PsaRateLimiter } from '../adapters/rate-limiter';
import { atRiskByClient, composeSlaPage, firstHumanResponse, needsAttention, slaStatus, type SlaState, type SlaStatus } from './sla';
import { isSettled, slaWatchDecision, type SlaWatchMemory } from './sla-watch';
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
  settled_state: SlaState | null;
  responded_at: Date | null;
  settled_at: Date | null;
  next_check_at: Date | null;
}

/** getTicketWithNotes is two vendor requests (the ticket, its notes). */
const REQUESTS_PER_LOOK = 2;

/**
 * Watches tickets the desk handed to a human for a first response within the client's SLA (business
 * time). Keeps desk_sla_at_risk_tickets{client} current and pages once per ticket through psa-writer's
 * durable write queue (a `page` write keyed by ticket, so several replicas page once).
 *
 * The PSA is read only where a read can change an answer (see slaWatchDecision): never for a settled
 * ticket, not before a ticket's warn point, at most once per poll interval after it (across replicas), and
 * within the tenant's token bucket, shared with the writes. A look that finds no token free waits for the
 * next pass rather than queueing ahead of the writes.
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
    private readonly limiter: PsaRateLimiter,
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
              m.psa_ticket_id, m.psa_number, s.settled_state, s.responded_at, s.settled_at, s.next_check_at
         FROM psa_write w JOIN ticket_map m ON m.ticket_id = w.ticket_id LEFT JOIN sla_watch s ON s.ticket_id = w.ticket_id
        WHERE w.kind = 'route' AND w.status = 'done' AND w.done_at >= $1 AND w.client_identifier IS NOT NULL
        GROUP BY w.ticket_id, w.client_identifier, m.psa_ticket_id, m.psa_number, s.settled_state, s.responded_at, s.settled_at, s.next_check_at`, [since]);
    const statuses: SlaStatus[] = [];
    const humans = new Map<string, Set<string>>();
    /** Tenants whose bucket had no token free this pass: their remaining looks wait for the next one. */
    const busy = new Set<string>();
    const tolerance = this.env.DESK_SLA_POLL_MS / 10;
    for (const r of rows) {
      const client = this.registry.findClient(r.client_identifier);
      if (!client) continue;
      const receivedAt = new Date(r.received_at);
      const minutes = this.minutesFor(client.identifier);
      const hours = { timezone: client.timezone, ...client.businessHours };
      const policy = { firstResponseMinutes: minutes, warnAt: this.env.DESK_SLA_WARN_AT };
      const ticket = { ticketId: r.ticket_id, clientIdentifier: client.identifier, receivedAt };
      const decision = slaWatchDecision(ticket, memoryOf(r), hours, policy, now, tolerance);
      const unread = decision.fetch ? slaStatus({ ...ticket, respondedAt: null, closed: false }, hours, policy, now) : decision.status;
      if (!decision.fetch || !(await this.mayLook(r, client, busy, now))) {
        statuses.push(unread);
        continue;
      }
      try {
        const psa = this.registry.psa(client.identifier);
        if (!humans.has(client.identifier)) {
          await this.limiter.bucket(client.psa).take();
          humans.set(client.identifier, await this.team(client.identifier));
        }
        for (let i = 1; i < REQUESTS_PER_LOOK; i++) await this.limiter.bucket(client.psa).take();
        const { ticket: t, notes } = await psa.getTicketWithNotes(r.psa_ticket_id);
        const respondedAt = firstHumanResponse(notes, humans.get(client.identifier)!, receivedAt);
        const s = slaStatus({ ...ticket, closed: t.closed, respondedAt }, hours, policy, now);
        statuses.push(s);
        if (isSettled(s)) await this.settle(r.ticket_id, s, respondedAt, now);
        if (needsAttention(s)) await this.page(r, s, minutes);
      } catch (e) {
        // One unreachable PSA must not hide the other clients' risk: counted as last known (unanswered).
        statuses.push(unread);
        this.log.pino.warn({ err: e, ticket_id: r.ticket_id }, 'SLA status unavailable');
      }
    }
    for (const [client, n] of atRiskByClient(statuses, this.registry.clients().map((c) => c.identifier))) this.gauge.set({ client }, n);
    return statuses;
  }

  /**
   * A look needs a token of the client's tenant free now (the watch never waits in line with the writes:
   * a tenant without one is left for the next pass) and this replica's claim of the ticket.
   */
  private async mayLook(r: WatchedRow, client: ClientConfig, busy: Set<string>, now: Date): Promise<boolean> {
    const tenant = PsaRateLimiter.tenantKey(client.psa);
    if (busy.has(tenant)) return false;
    if (this.limiter.bucket(client.psa).tryTake() !== 0) {
      busy.add(tenant);
      return false;
    }
    return this.claim(r, now);
  }

  /**
   * This replica's turn to look: moves next_check_at one poll interval on, unless another replica already
   * did (or the ticket settled) since this pass read it.
   */
  private async claim(r: WatchedRow, now: Date): Promise<boolean> {
    const next = new Date(now.getTime() + this.env.DESK_SLA_POLL_MS);
    const tolerance = new Date(now.getTime() + this.env.DESK_SLA_POLL_MS / 10);
    const won: unknown[] = await this.ds.query(
      `INSERT INTO sla_watch (ticket_id, client_identifier, next_check_at, checked_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (ticket_id) DO UPDATE SET next_check_at = EXCLUDED.next_check_at, checked_at = EXCLUDED.checked_at
        WHERE sla_watch.settled_state IS NULL AND sla_watch.next_check_at <= $5
       RETURNING ticket_id`, [r.ticket_id, r.client_identifier, next, now, tolerance]);
    return won.length > 0;
  }

  /** Remembers that nothing can change this ticket's answer any more: it is never read again. */
  private async settle(ticketId: string, s: SlaStatus, respondedAt: Date | null, now: Date): Promise<void> {
    await this.ds.query(`UPDATE sla_watch SET settled_state = $2, responded_at = $3, settled_at = $4 WHERE ticket_id = $1`, [ticketId, s.state, respondedAt, now]);
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

function memoryOf(r: WatchedRow): SlaWatchMemory {
  const at = (d: Date | null) => (d ? new Date(d) : null);
  return { settledState: r.settled_state, respondedAt: at(r.responded_at), settledAt: at(r.settled_at), nextCheckAt: at(r.next_check_at) };
}
