import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Subjects } from '@desk/contracts';
import { AdapterRegistry, VendorAuthError, VendorNotFoundError, VendorRequestError, type PsaNote, type PsaTicket } from '@desk/adapters';
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
  /** The newest pending job of the same PSA ticket when this one was claimed (its callback precedes the fetch). */
  covered_seq: string;
}

/** Statuses the PSA writer sets on the desk's behalf (see psa-writer's status map). */
const DESK_STATUSES = ['New', 'In Progress', 'Waiting on Verification', 'Awaiting Approval', 'Waiting on Client', 'Resolved', 'Escalated'];
const MAX_ATTEMPTS = 10;

/** An "added" callback that may be the desk's own ticket, whose link is not committed yet: look again shortly. */
class SettleWait extends Error {}

/**
 * The durable step after a PSA callback's 2xx: fetch the ticket (and its notes) from the PSA, decide what
 * is new, publish it. Jobs of one PSA ticket run in arrival order; a PSA outage only delays them.
 *
 * Up to INTAKE_FETCH_CONCURRENCY lanes claim jobs side by side. A lane starts on each accepted callback
 * (kick) and on each poll, keeps claiming while there is work (and starts a sibling when it found some),
 * and ends when the queue is empty — unless a kick arrived meanwhile, so no job waits for the next poll.
 */
@Injectable()
export class PsaFetchWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly lanes = new Set<Promise<void>>();
  private kicks = 0;
  /** Lanes between asking for a job and getting the answer. */
  private claiming = 0;
  private stopped = false;
  /** Whether psa-writer's tables are in this database (once seen, they stay). */
  private psaWriterTables = false;

  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly registry: AdapterRegistry,
    private readonly log: DeskLogger,
    @Inject(INTAKE_ENV) private readonly env: IntakeEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.env.INTAKE_FETCH_POLL_MS);
  }

  /** Lets in-flight jobs finish before the pool closes (their lease would otherwise delay them a minute). */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.lanes);
  }

  /** Wakes the worker at once (after an accepted callback has committed) instead of waiting for the next poll. */
  kick(): void {
    this.kicks++;
    // A lane that is looking right now sees the kick (it looks again) — another lane would only find the
    // same job or nothing; a lane that finds a job starts a sibling, so parallelism still follows the work.
    if (this.claiming > 0) return;
    this.spawn();
  }

  /** Runs until the queue is empty (tests and tools). */
  async tick(): Promise<void> {
    this.kick();
    while (this.lanes.size > 0) await Promise.all(this.lanes);
  }

  private spawn(): void {
    if (this.stopped || this.lanes.size >= this.env.INTAKE_FETCH_CONCURRENCY) return;
    const lane: Promise<void> = this.lane().finally(() => this.lanes.delete(lane));
    this.lanes.add(lane);
  }

  private async lane(): Promise<void> {
    try {
      while (!this.stopped) {
        const kicksBefore = this.kicks;
        // claim() never hands out a ticket's job while an earlier one of the same PSA ticket is pending,
        // so each ticket's callbacks are still processed in order.
        this.claiming++;
        const job = await this.claim().finally(() => this.claiming--);
        if (!job) {
          if (this.kicks === kicksBefore) return;
          continue;
        }
        this.spawn();
        await this.process(job);
      }
    } catch (e) {
      this.log.pino.error({ err: e }, 'psa fetch worker lane failed');
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
       RETURNING *, (SELECT max(o.seq) FROM psa_fetch_job o
                     WHERE o.system = psa_fetch_job.system AND o.psa_ticket_id = psa_fetch_job.psa_ticket_id AND o.status = 'pending') AS covered_seq`);
    // TypeORM returns [rows, affected] for UPDATE … RETURNING on postgres.
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as JobRow[];
    return list[0] ?? null;
  }

  /**
   * Every pending callback of the same PSA ticket that was stored before this job was claimed describes a
   * change the PSA had already made when the fetch ran, so the fetched ticket and notes cover it: those
   * jobs are done with this one instead of fetching the same state again. The desk's own writes fire
   * several callbacks each (note, status, time entry); this turns a burst of them into one or two fetches.
   * A "deleted" callback is never folded in (it must be judged on its own).
   */
  private async coalesce(tx: EntityManager, job: JobRow, ticketId: string | null): Promise<void> {
    if (BigInt(job.covered_seq) <= BigInt(job.seq)) return;
    await tx.query(
      `WITH folded AS (
         UPDATE psa_fetch_job SET status = 'done', lease_until = NULL, last_error = NULL
          WHERE system = $1 AND psa_ticket_id = $2 AND status = 'pending' AND seq > $3 AND seq <= $4 AND action <> 'deleted'
          RETURNING delivery_id)
       UPDATE raw_delivery SET outcome = 'ignored', ticket_id = COALESCE($5, ticket_id), reason = $6
        WHERE id IN (SELECT delivery_id FROM folded)`,
      [job.system, job.psa_ticket_id, job.seq, job.covered_seq, ticketId, `covered by the fetch for delivery ${job.delivery_id}`]);
  }

  private async process(job: JobRow): Promise<void> {
    const callback: PsaCallback = {
      system: job.system as PsaSystem, psaTicketId: job.psa_ticket_id, action: job.action as PsaCallback['action'],
      deliveryId: job.delivery_id, actor: job.actor, eventTime: null, ticketNumber: job.ticket_number,
    };
    try {
      const psa = this.registry.psa(job.connection_client);
      const { ticket, notes }: { ticket: PsaTicket; notes: PsaNote[] } = callback.action === 'deleted'
        ? { ticket: await psa.getTicket(job.psa_ticket_id), notes: [] }
        : await psa.getTicketWithNotes(job.psa_ticket_id);
      await this.uow.run(async (ctx) => {
        const link = await IntakeStore.linkByPsa(ctx.tx, job.system, ticket.id, true);
        const origin = link ? null : await this.deskOrigin(ctx.tx, job, ticket.id);
        if (origin?.settling) throw new SettleWait();
        const createdByDesk = origin?.created ?? false;
        const decision = decidePsaFollowUp({
          callback, ticket, notes, createdByDesk, link: link ? { deskTicketId: link.ticketId, clientIdentifier: link.clientIdentifier, lastStatus: link.lastStatus, seenNoteIds: link.seenNoteIds } : null,
          agentIdentifier: this.registry.config.msp.agentMemberIdentifier, deskStatuses: DESK_STATUSES, rawRef: job.delivery_id, now: new Date(),
        });
        let deskTicketId = link?.ticketId ?? null;
        if (decision.kind === 'new') {
          const t = decision.ticket;
          const ticketId = randomUUID();
          deskTicketId = ticketId;
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
        await this.coalesce(ctx.tx, job, deskTicketId);
      });
    } catch (e) {
      if (e instanceof SettleWait) {
        // Not an attempt: the job is fine, its answer is only a moment away.
        await this.ds.query(
          `UPDATE psa_fetch_job SET lease_until = NULL, attempts = attempts - 1, next_attempt_at = now() + make_interval(secs => $2) WHERE seq = $1`,
          [job.seq, Math.min(200, this.env.INTAKE_ADDED_SETTLE_MS) / 1000]);
        return;
      }
      const permanent = e instanceof VendorNotFoundError || e instanceof VendorAuthError || e instanceof VendorRequestError || job.attempts >= MAX_ATTEMPTS;
      const delayMs = Math.min(60_000, 500 * 2 ** Math.min(job.attempts, 7));
      this.log.pino.warn({ err: e, system: job.system, psaTicketId: job.psa_ticket_id, attempts: job.attempts, permanent }, 'PSA fetch failed');
      await this.ds.query(
        `UPDATE psa_fetch_job SET status = $2, lease_until = NULL, last_error = $3, next_attempt_at = now() + make_interval(secs => $4) WHERE seq = $1`,
        [job.seq, permanent ? 'failed' : 'pending', String((e as Error).message).slice(0, 500), delayMs / 1000]);
    }
  }

  /**
   * Whether psa-writer opened this PSA ticket (its ticket map, same database, read only: the desk's tickets
   * and the child tickets it opens under them), and whether the answer may still change: psa-writer is
   * creating a ticket or a child ticket in this PSA right now (a pending create write) and this "added"
   * callback is younger than INTAKE_ADDED_SETTLE_MS — its callback can arrive before psa-writer commits the
   * link. Only then does the callback wait; every other one is handled at once.
   * Absent tables (psa-writer not deployed) = not the desk's.
   */
  private async deskOrigin(tx: EntityManager, job: JobRow, psaTicketId: string): Promise<{ created: boolean; settling: boolean }> {
    const schema = `"${this.env.DB_SCHEMA_PREFIX}psa_writer"`;
    if (!this.psaWriterTables) {
      const found: Array<{ t: string | null }> = await tx.query(`SELECT to_regclass($1) AS t`, [`${schema}.psa_write`]);
      if (!found[0]?.t) return { created: false, settling: false };
      this.psaWriterTables = true;
    }
    const rows: Array<{ created: boolean; settling: boolean }> = await tx.query(
      `SELECT EXISTS (SELECT 1 FROM ${schema}.ticket_map WHERE system = $1 AND psa_ticket_id = $2 AND created_by_desk) AS created,
              ($3 = 'added' AND (SELECT created_at FROM psa_fetch_job WHERE seq = $4) > now() - make_interval(secs => $5)
               AND EXISTS (SELECT 1 FROM ${schema}.psa_write WHERE status = 'pending' AND kind IN ('create_ticket', 'create_child') AND psa_system = $1)) AS settling`,
      [job.system, psaTicketId, job.action, job.seq, this.env.INTAKE_ADDED_SETTLE_MS / 1000]);
    const r = rows[0]!;
    return { created: r.created, settling: !r.created && r.settling };
  }
}
