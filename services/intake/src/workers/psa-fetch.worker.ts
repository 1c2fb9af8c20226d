import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Subjects } from '@desk/contracts';
import { AdapterRegistry, VendorAuthError, VendorNotFoundError, VendorRequestError, type PsaNote } from '@desk/adapters';
import type { PsaSystem } from '@desk/contracts';
import { DeskLogger, UnitOfWork } from '@desk/platform';
import { decidePsaFollowUp } from '../domain/psa-follow-up';
import type { PsaCallback } from '../domain/psa-webhooks';
import { IntakeStore } from '../adapters/intake-store';
import { INTAKE_ENV } from '../tokens';
import type { IntakeEnv } from '../config';

interface JobRow {
  seq: string; delivery_id: string; system: string; connection_client: string; psa_ticket_id: string;
  action: string; actor: string | null; ticket_number: string | null; attempts: number;
}

/** Statuses the PSA writer sets on the desk's behalf (see psa-writer's status map). */
const DESK_STATUSES = ['New', 'In Progress', 'Waiting on Verification', 'Awaiting Approval', 'Waiting on Client', 'Resolved', 'Escalated'];
const MAX_ATTEMPTS = 10;

/**
 * The durable step after a PSA callback's 2xx: fetch the ticket (and its notes) from the PSA, decide what
 * is new, publish it. Jobs of one PSA ticket run in arrival order; a PSA outage only delays them.
 */
@Injectable()
export class PsaFetchWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly registry: AdapterRegistry,
    private readonly log: DeskLogger,
    @Inject(INTAKE_ENV) private readonly env: IntakeEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.env.INTAKE_FETCH_POLL_MS);
  }

  /** Lets an in-flight job finish before the pool closes (its lease would otherwise delay it a minute). */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Wakes the worker at once (after an accepted callback) instead of waiting for the next poll. */
  kick(): void {
    setImmediate(() => void this.tick());
  }

  async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = this.work().finally(() => {
      this.running = null;
    });
    await this.running;
  }

  private async work(): Promise<void> {
    // Several lanes claim jobs side by side; claim() never hands out a ticket's job while an earlier one
    // of the same PSA ticket is pending, so each ticket's callbacks are still processed in order.
    await Promise.all(Array.from({ length: this.env.INTAKE_FETCH_CONCURRENCY }, () => this.lane()));
  }

  private async lane(): Promise<void> {
    try {
      for (let i = 0; i < 50 && !this.stopped; i++) {
        const job = await this.claim();
        if (!job) break;
        await this.process(job);
      }
    } catch (e) {
      this.log.pino.error({ err: e }, 'psa fetch worker tick failed');
    }
  }

  private async claim(): Promise<JobRow | null> {
    const rows: [JobRow[], number] | JobRow[] = await this.ds.query(
      `UPDATE psa_fetch_job SET lease_until = now() + interval '60 seconds', attempts = attempts + 1
       WHERE seq = (
         SELECT j.seq FROM psa_fetch_job j
         WHERE j.status = 'pending' AND j.next_attempt_at <= now() AND (j.lease_until IS NULL OR j.lease_until < now())
           AND NOT EXISTS (SELECT 1 FROM psa_fetch_job o WHERE o.system = j.system AND o.psa_ticket_id = j.psa_ticket_id AND o.status = 'pending' AND o.seq < j.seq)
         ORDER BY j.seq LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`);
    // TypeORM returns [rows, affected] for UPDATE … RETURNING on postgres.
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as JobRow[];
    return list[0] ?? null;
  }

  private async process(job: JobRow): Promise<void> {
    const callback: PsaCallback = {
      system: job.system as PsaSystem, psaTicketId: job.psa_ticket_id, action: job.action as PsaCallback['action'],
      deliveryId: job.delivery_id, actor: job.actor, eventTime: null, ticketNumber: job.ticket_number,
    };
    try {
      const psa = this.registry.psa(job.connection_client);
      const ticket = await psa.getTicket(job.psa_ticket_id);
      const notes: PsaNote[] = callback.action === 'deleted' ? [] : await psa.listNotes(job.psa_ticket_id);
      await this.uow.run(async (ctx) => {
        const link = await IntakeStore.linkByPsa(ctx.tx, job.system, ticket.id, true);
        const createdByDesk = !link && (await this.createdByDesk(ctx.tx, job.system, ticket.id));
        const decision = decidePsaFollowUp({
          callback, ticket, notes, createdByDesk, link: link ? { deskTicketId: link.ticketId, clientIdentifier: link.clientIdentifier, lastStatus: link.lastStatus, seenNoteIds: link.seenNoteIds } : null,
          agentIdentifier: this.registry.config.msp.agentMemberIdentifier, deskStatuses: DESK_STATUSES, rawRef: job.delivery_id, now: new Date(),
        });
        if (decision.kind === 'new') {
          const t = decision.ticket;
          const ticketId = randomUUID();
          await IntakeStore.upsertLink(ctx.tx, {
            ticketId, clientIdentifier: t.clientIdentifier, channel: 'psa_webhook', psaSystem: job.system, psaTicketId: ticket.id,
            psaNumber: t.psa?.number ?? null, lastStatus: decision.lastStatus, seenNoteIds: decision.seenNoteIds,
          });
          await ctx.publish(Subjects.ticketReceived, { ticketId, mspClientId: t.clientIdentifier, correlationId: ticketId }, { ticket: t });
          await ctx.transition(ticketId, 'received', `via ${job.system} webhook`);
          await IntakeStore.updateDeliveryOutcome(ctx.tx, job.delivery_id, 'received', ticketId, null);
        } else if (decision.kind === 'replies') {
          const l = link!;
          for (const r of decision.replies) {
            await ctx.publish(Subjects.ticketReply, { ticketId: l.ticketId, mspClientId: l.clientIdentifier ?? ticket.companyIdentifier, correlationId: job.delivery_id }, r);
          }
          await IntakeStore.saveFollowUpState(ctx.tx, l.ticketId, decision);
          await IntakeStore.updateDeliveryOutcome(ctx.tx, job.delivery_id, 'reply', l.ticketId, `${decision.replies.length} reply event(s)`);
        } else {
          if (link) await IntakeStore.saveFollowUpState(ctx.tx, link.ticketId, decision);
          await IntakeStore.updateDeliveryOutcome(ctx.tx, job.delivery_id, 'ignored', link?.ticketId ?? null, decision.reason);
        }
        await ctx.tx.query(`UPDATE psa_fetch_job SET status = 'done', lease_until = NULL, last_error = NULL WHERE seq = $1`, [job.seq]);
      });
    } catch (e) {
      const permanent = e instanceof VendorNotFoundError || e instanceof VendorAuthError || e instanceof VendorRequestError || job.attempts >= MAX_ATTEMPTS;
      const delayMs = Math.min(60_000, 500 * 2 ** Math.min(job.attempts, 7));
      this.log.pino.warn({ err: e, system: job.system, psaTicketId: job.psa_ticket_id, attempts: job.attempts, permanent }, 'PSA fetch failed');
      await this.ds.query(
        `UPDATE psa_fetch_job SET status = $2, lease_until = NULL, last_error = $3, next_attempt_at = now() + make_interval(secs => $4) WHERE seq = $1`,
        [job.seq, permanent ? 'failed' : 'pending', String((e as Error).message).slice(0, 500), delayMs / 1000]);
    }
  }

  /**
   * Whether psa-writer opened this PSA ticket: read from its ticket map (same database, read only), for the
   * window before its psaLinked event reaches intake. Absent table (psa-writer not deployed yet) = no.
   */
  private async createdByDesk(tx: EntityManager, system: string, psaTicketId: string): Promise<boolean> {
    const table = `"${this.env.DB_SCHEMA_PREFIX}psa_writer"."ticket_map"`;
    try {
      await tx.query('SAVEPOINT desk_map_probe');
      const rows: unknown[] = await tx.query(`SELECT 1 FROM ${table} WHERE system = $1 AND psa_ticket_id = $2 AND created_by_desk`, [system, psaTicketId]);
      await tx.query('RELEASE SAVEPOINT desk_map_probe');
      return rows.length > 0;
    } catch {
      await tx.query('ROLLBACK TO SAVEPOINT desk_map_probe');
      return false;
    }
  }
}
