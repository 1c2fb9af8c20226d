import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Counter, Histogram } from 'prom-client';
import { Subjects } from '@desk/contracts';
import {
  AdapterRegistry, VendorAuthError, VendorNotFoundError, VendorRateLimitError, VendorRequestError, VendorUnavailableError,
} from '@desk/adapters';
import { DeskLogger, DeskMetrics, UnitOfWork } from '@desk/platform';
import { nextAttemptDelayMs, parseRateLimits } from '../domain/token-bucket';
import { NotReadyError, PsaWriteExecutor } from '../adapters/psa-write-executor';
import { PsaRateLimiter } from '../adapters/rate-limiter';
import { WriteStore, type WriteRow } from '../adapters/write-store';
import { PSA_WRITER_ENV } from '../tokens';
import { AgreementService } from '../agreements/agreement.service';
import type { PsaWriterEnv } from '../config';

const PERMANENT_AFTER = 3;
const NOT_READY_LIMIT = 40;
const OTHER_LIMIT = 10;

/**
 * Drains psa_write: one write at a time per ticket, in order, several tickets in parallel. A PSA outage
 * (5xx, timeouts) or rate limit keeps the write pending with backoff, so writes queue and drain in order
 * when the PSA is back; a refused write (4xx) fails after a few tries and unblocks its ticket.
 *
 * Lanes run independently: a finished write frees its slot at once and the next due head starts, so one
 * slow PSA call never holds the others back (no batch barrier). Woken after a handler's commit, after each
 * finished write, and by the poll (retries that became due).
 */
@Injectable()
export class WriteDrainer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private filling: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** Writes being executed, by id (each holds its lease). */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly executor: PsaWriteExecutor;
  private readonly writes: Counter<'system' | 'kind' | 'outcome'>;
  private readonly firstResponse: Histogram<string>;

  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly registry: AdapterRegistry,
    private readonly log: DeskLogger,
    metrics: DeskMetrics,
    @Inject(PSA_WRITER_ENV) private readonly env: PsaWriterEnv,
    private readonly agreements: AgreementService,
  ) {
    this.executor = new PsaWriteExecutor(registry, new PsaRateLimiter(parseRateLimits(env.PSA_RATE_LIMITS)));
    this.writes = metrics.counter('desk_psa_writes_total', 'PSA writes by system, kind and outcome', ['system', 'kind', 'outcome']);
    this.firstResponse = metrics.histogram('desk_time_to_first_response_seconds', 'From receipt to the first response note in the PSA', [],
      [1, 2, 5, 10, 30, 60, 120, 300, 900, 3600]);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.env.PSA_WRITER_POLL_MS);
  }

  /** In-flight writes finish (and are booked) before the pool closes. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.filling;
    await Promise.all(this.inFlight.values());
  }

  /** Starts due writes into free lanes; a kick during a fill makes it look again once done. */
  kick(): void {
    if (this.stopped) return;
    if (this.filling) {
      this.again = true;
      return;
    }
    this.filling = this.fill().finally(() => {
      this.filling = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async fill(): Promise<void> {
    const lanes = this.env.PSA_WRITER_CONCURRENCY;
    const room = lanes - this.inFlight.size;
    if (room <= 0) return;
    try {
      // In-flight writes are leased, so the query skips them; the filter covers a lease not yet visible.
      const heads = (await WriteStore.dueHeads(this.ds, lanes)).filter((id) => !this.inFlight.has(id)).slice(0, room);
      for (const id of heads) {
        if (this.stopped) return;
        // Different tickets in parallel; within a ticket the next write only becomes a head after this one.
        const run = this.one(id).catch((e: unknown) => this.log.pino.error({ err: e }, 'psa write failed unexpectedly')).finally(() => {
          this.inFlight.delete(id);
          this.kick();
        });
        this.inFlight.set(id, run);
      }
    } catch (e) {
      this.log.pino.error({ err: e }, 'psa write drain failed');
    }
  }

  private async one(id: string): Promise<void> {
    const row = await WriteStore.claim(this.ds, id, 120);
    if (!row) return;
    const system = row.op.kind === 'page' || row.op.kind === 'chat' ? 'notify' : row.psaSystem ?? 'unknown';
    try {
      const map = await WriteStore.map(this.ds, row.ticketId);
      const result = await this.executor.run(row, map, {
        agent: this.registry.config.msp.agentMemberIdentifier,
        workTypes: this.agreements.workTypes(),
        notifier: (subject, body) => this.notify(['webhook', 'teams', 'slack'], subject, body),
        chat: (subject, body) => this.notify(['teams', 'slack'], subject, body),
        coverage: (client, input) => this.agreements.decide(client, input),
      });
      await this.uow.run(async (ctx) => {
        if (result.created) {
          const c = result.created;
          await WriteStore.upsertMap(ctx.tx, { ticketId: row.ticketId, clientIdentifier: c.clientIdentifier, system: c.system, psaTicketId: c.id, psaNumber: c.number }, true);
          await ctx.publish(Subjects.ticketPsaLinked, { ticketId: row.ticketId, mspClientId: c.clientIdentifier, correlationId: row.ticketId, causationId: row.eventId },
            { psa: { system: c.system, id: c.id, number: c.number }, system: c.system, clientIdentifier: c.clientIdentifier });
        }
        if (result.child) await WriteStore.recordChild(ctx.tx, row.ticketId, row.idempotencyKey, result.child);
        if (result.escalation) {
          // Same transaction as the write's bookkeeping: the escalation is published exactly once.
          await ctx.publish(Subjects.ticketEscalated, { ticketId: row.ticketId, mspClientId: row.clientIdentifier, correlationId: row.ticketId, causationId: row.eventId }, result.escalation);
        }
        await WriteStore.done(ctx.tx, row.id, { detail: result.detail, alreadyThere: result.alreadyThere ?? false });
      });
      this.writes.inc({ system: row.op.kind === 'page' || row.op.kind === 'chat' ? system : result.created?.system ?? map?.system ?? system, kind: row.op.kind, outcome: result.alreadyThere ? 'already_present' : 'written' });
      if (row.op.kind === 'note' && row.op.firstResponse && row.receivedAt) {
        this.firstResponse.observe(Math.max(0, (Date.now() - Date.parse(row.receivedAt)) / 1000));
      }
    } catch (e) {
      await this.failed(row, system, e);
    }
  }

  private async failed(row: WriteRow, system: string, e: unknown): Promise<void> {
    const msg = e instanceof Error ? e.message : String(e);
    const base = this.env.PSA_WRITER_RETRY_BASE_MS;
    const max = this.env.PSA_WRITER_MAX_BACKOFF_MS;
    if (e instanceof VendorUnavailableError || e instanceof VendorRateLimitError) {
      // The PSA is down or throttling: keep the write (and every later write of this ticket) queued.
      const rateLimited = e instanceof VendorRateLimitError;
      if (rateLimited) this.executor.pause(row, 5000);
      this.writes.inc({ system, kind: row.op.kind, outcome: rateLimited ? 'rate_limited' : 'deferred' });
      await WriteStore.retryLater(this.ds, row.id, nextAttemptDelayMs(row.attempts, base, max, rateLimited ? 5000 : null), msg);
      return;
    }
    const permanent = e instanceof VendorRequestError || e instanceof VendorAuthError || e instanceof VendorNotFoundError;
    const limit = e instanceof NotReadyError ? NOT_READY_LIMIT : permanent ? PERMANENT_AFTER : OTHER_LIMIT;
    if (row.attempts >= limit) {
      this.log.pino.error({ err: e, kind: row.op.kind, ticket_id: row.ticketId }, 'PSA write failed for good');
      this.writes.inc({ system, kind: row.op.kind, outcome: 'failed' });
      await WriteStore.fail(this.ds, row.id, msg);
      return;
    }
    this.log.pino.warn({ err: e, kind: row.op.kind, ticket_id: row.ticketId, attempts: row.attempts }, 'PSA write will be retried');
    this.writes.inc({ system, kind: row.op.kind, outcome: 'retry' });
    await WriteStore.retryLater(this.ds, row.id, nextAttemptDelayMs(row.attempts, base, max), msg);
  }

  /**
   * Sends through the MSP's configured channels: a page goes to the paging webhook, Teams and Slack; the
   * morning queue to Teams and Slack. One channel reaching the desk is enough; none = the write is retried.
   */
  private async notify(channels: Array<'webhook' | 'teams' | 'slack'>, subject: string, body: string): Promise<string> {
    const notifier = this.registry.notifier(null);
    const targets = channels.map((c) => notifier.defaultTarget(c)).filter((t) => t !== null);
    if (targets.length === 0) throw new Error(`none of ${channels.join(', ')} is configured for the MSP`);
    const results = await Promise.allSettled(targets.map((t) => notifier.send(t, { subject, body, sensitive: false })));
    const sent = results.filter((r) => r.status === 'fulfilled' && r.value.status !== 'failed').length;
    if (sent === 0) throw new Error(`every channel failed: ${results.map((r) => (r.status === 'rejected' ? String((r.reason as Error).message) : r.value.detail)).join('; ')}`);
    return `sent on ${sent} of ${targets.length} channel(s)`;
  }
}
