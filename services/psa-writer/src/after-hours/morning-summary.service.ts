import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Counter } from 'prom-client';
import { AdapterRegistry, type ClientConfig } from '@desk/adapters';
import { DeskLogger, DeskMetrics, Poller } from '@desk/platform';
import { WriteStore } from '../adapters/write-store';
import { currentOpening, localDate, previousClose, type WorkWindow } from '../dispatch/business-time';
import { DISPATCH_CLOCK, DISPATCH_ENV, type Clock } from '../dispatch/tokens';
import type { DispatchEnv } from '../dispatch/dispatch-config';
import { buildMorningSummary, composeMorningMessage, type DigestState, type MorningSummary } from './morning-summary';
import { stableUuid } from '../domain/stable-uuid';

interface DigestRow {
  ticket_id: string; summary: string; psa_number: string | null; received_at: Date; priority_level: number; state: DigestState; detail: string | null;
}

/**
 * The morning queue: at the start of each client's business day (its hours, its time zone), what arrived
 * since the previous close — resolved, escalated, waiting — ordered by priority and SLA due time, stored
 * (served by GET /morning-summaries/:client) and posted to the desk's Teams / Slack channel. Exactly once
 * per client and day with any number of replicas: the summary row's primary key decides who writes it,
 * and its chat message is queued in psa-writer's durable write queue in the same transaction.
 */
@Injectable()
export class MorningSummaryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly poller: Poller;
  private readonly sent: Counter<'client'>;
  private readonly instance = `${hostname()}:${process.pid}`;

  constructor(
    private readonly ds: DataSource,
    private readonly registry: AdapterRegistry,
    log: DeskLogger,
    metrics: DeskMetrics,
    @Inject(DISPATCH_ENV) private readonly env: DispatchEnv,
    @Inject(DISPATCH_CLOCK) private readonly clock: Clock,
  ) {
    this.sent = metrics.counter('desk_morning_summaries_total', 'Morning queue summaries written (one per client and business day)', ['client']);
    this.poller = new Poller('morning summary', env.DESK_MORNING_SUMMARY_POLL_MS, () => this.tick(), log.pino);
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.poller.stop();
  }

  /** One pass: every client whose business day has begun and has no summary yet gets it. Returns the new ones. */
  async tick(): Promise<MorningSummary[]> {
    const now = this.clock();
    const out: MorningSummary[] = [];
    for (const client of this.registry.clients()) {
      const s = await this.summarize(client, now);
      if (s) out.push(s);
    }
    return out;
  }

  private async summarize(client: ClientConfig, now: Date): Promise<MorningSummary | null> {
    const hours: WorkWindow = { timezone: client.timezone, ...client.businessHours };
    const opening = currentOpening(hours, now);
    if (!opening) return null;
    const day = localDate(hours, now);
    const done: unknown[] = await this.ds.query(`SELECT 1 FROM morning_summary WHERE client_identifier = $1 AND business_day = $2`, [client.identifier, day]);
    if (done.length > 0) return null;
    const windowStart = previousClose(hours, opening);
    const rows: DigestRow[] = await this.ds.query(
      `SELECT d.ticket_id, d.summary, m.psa_number, d.received_at, d.priority_level, d.state, d.detail
         FROM ticket_digest d LEFT JOIN ticket_map m ON m.ticket_id = d.ticket_id
        WHERE d.client_identifier = $1 AND d.received_at >= $2 AND d.received_at < $3`, [client.identifier, windowStart, opening]);
    const summary = buildMorningSummary({
      client: client.identifier, businessDay: day, windowStart, windowEnd: opening, hours,
      slaMinutes: this.env.DESK_SLA_CLIENT_MINUTES[client.identifier] ?? this.env.DESK_SLA_FIRST_RESPONSE_MINUTES,
      tickets: rows.map((r) => ({
        ticketId: r.ticket_id, summary: r.summary, psaNumber: r.psa_number, receivedAt: new Date(r.received_at), priorityLevel: r.priority_level, state: r.state, detail: r.detail,
      })),
    });
    const written = await this.ds.transaction(async (tx) => {
      const ins: unknown[] = await tx.query(
        `INSERT INTO morning_summary (client_identifier, business_day, payload, created_by) VALUES ($1,$2,$3,$4)
         ON CONFLICT (client_identifier, business_day) DO NOTHING RETURNING client_identifier`, [client.identifier, day, JSON.stringify(summary), this.instance]);
      if (ins.length === 0) return false; // another replica wrote it
      const count = summary.worked.length + summary.escalated.length + summary.waiting.length;
      // A quiet night is recorded (and served) but not posted: the channel hears only when there is a queue.
      if (count > 0) {
        const msg = composeMorningMessage(summary, client.name);
        const key = `morning:${client.identifier}:${day}`;
        await WriteStore.enqueue(tx, { eventId: randomUUID(), ticketId: stableUuid(key) }, client.identifier, null, null, [
          { key, lane: `summary:${client.identifier}`, sortAt: now.toISOString(), opIndex: 0, op: { kind: 'chat', subject: msg.subject, body: msg.body } },
        ]);
      }
      return true;
    });
    if (!written) return null;
    this.sent.inc({ client: client.identifier });
    return summary;
  }

  /** The stored summary of a client's business day (the latest when no day is given). */
  async get(clientIdentifier: string, day: string | null): Promise<{ summary: MorningSummary; createdAt: string } | null> {
    const rows: Array<{ payload: MorningSummary; created_at: Date }> = day
      ? await this.ds.query(`SELECT payload, created_at FROM morning_summary WHERE client_identifier = $1 AND business_day = $2`, [clientIdentifier, day])
      : await this.ds.query(`SELECT payload, created_at FROM morning_summary WHERE client_identifier = $1 ORDER BY business_day DESC LIMIT 1`, [clientIdentifier]);
    const r = rows[0];
    return r ? { summary: r.payload, createdAt: new Date(r.created_at).toISOString() } : null;
  }
}
