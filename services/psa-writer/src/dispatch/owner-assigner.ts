import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Counter } from 'prom-client';
import { TicketEscalatedV1 } from '@desk/contracts';
import { DeskLogger, DeskMetrics, Poller } from '@desk/platform';
import { DispatchService } from './dispatch.service';
import { DISPATCH_ENV } from './tokens';
import type { DispatchEnv } from './dispatch-config';

interface RequestRow {
  event_id: string;
  ticket_id: string;
  client_identifier: string;
  payload: unknown;
  attempts: number;
  psa_ticket_id: string;
}

const MAX_ATTEMPTS = 8;

/**
 * Gives every escalated ticket an owner: once psa-writer's route write for the escalation is done, the
 * ticket is re-routed with the dispatched owner and a "Dispatch" note (why). A request is claimed with
 * FOR UPDATE SKIP LOCKED, so replicas never assign the same ticket at once.
 */
@Injectable()
export class OwnerAssigner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly poller: Poller;
  private readonly assigned: Counter<'client' | 'outcome'>;

  constructor(
    private readonly ds: DataSource,
    private readonly dispatch: DispatchService,
    private readonly log: DeskLogger,
    metrics: DeskMetrics,
    @Inject(DISPATCH_ENV) env: DispatchEnv,
  ) {
    this.assigned = metrics.counter('desk_dispatch_assignments_total', 'Escalated tickets given an owner (or left without one)', ['client', 'outcome']);
    this.poller = new Poller('dispatch', env.DESK_DISPATCH_POLL_MS, () => this.drain(), log.pino);
  }

  /** Called in the escalation handler's transaction: the request survives whatever happens next. */
  static async record(tx: Pick<EntityManager, 'query'>, evt: { eventId: string; ticketId: string }, client: string | null, escalation: TicketEscalatedV1): Promise<void> {
    if (!client) return;
    await tx.query(`INSERT INTO dispatch_request (event_id, ticket_id, client_identifier, payload) VALUES ($1,$2,$3,$4) ON CONFLICT (event_id) DO NOTHING`,
      [evt.eventId, evt.ticketId, client, JSON.stringify(escalation)]);
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.poller.stop();
  }

  /** Assigns every request whose route is in the PSA; returns how many got an owner. */
  async drain(limit = 20): Promise<number> {
    return this.ds.transaction(async (tx) => {
      const rows: RequestRow[] = await tx.query(
        `SELECT d.event_id, d.ticket_id, d.client_identifier, d.payload, d.attempts, m.psa_ticket_id
           FROM dispatch_request d
           JOIN psa_write w ON w.event_id = d.event_id AND w.kind = 'route' AND w.status = 'done'
           JOIN ticket_map m ON m.ticket_id = d.ticket_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now()
          ORDER BY d.created_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED`, [limit]);
      let n = 0;
      for (const r of rows) {
        try {
          const e = TicketEscalatedV1.parse(r.payload);
          const d = await this.dispatch.assign(r.client_identifier, r.psa_ticket_id, e);
          await tx.query(`UPDATE dispatch_request SET status = 'done', owner = $2, reasons = $3, done_at = now() WHERE event_id = $1`,
            [r.event_id, d.ownerIdentifier, JSON.stringify(d.reasons)]);
          this.assigned.inc({ client: r.client_identifier, outcome: d.ownerIdentifier ? 'assigned' : 'no_owner' });
          if (d.ownerIdentifier) n++;
        } catch (err) {
          const last = r.attempts + 1 >= MAX_ATTEMPTS;
          this.log.pino.warn({ err, ticket_id: r.ticket_id, attempts: r.attempts + 1 }, last ? 'dispatch failed for good' : 'dispatch will be retried');
          await tx.query(`UPDATE dispatch_request SET attempts = attempts + 1, last_error = $2, status = $3,
                          next_attempt_at = now() + make_interval(secs => $4) WHERE event_id = $1`,
          [r.event_id, err instanceof Error ? err.message : String(err), last ? 'failed' : 'pending', Math.min(300, 5 * 2 ** r.attempts)]);
          if (last) this.assigned.inc({ client: r.client_identifier, outcome: 'failed' });
        }
      }
      return n;
    });
  }
}
