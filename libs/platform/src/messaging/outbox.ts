import { headers as natsHeaders } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { qualified } from '../database/sql';
import { DeskMetrics } from '../metrics/metrics';
import { currentTraceHeaders, Headers } from '../tracing/tracing';
import { encodeText } from './codec';
import { NatsConnectionService } from './nats-connection.service';
import { Poller } from '../scheduling/poller';

export interface OutboxRow {
  id: string;
  subject: string;
  eventId: string;
  body: string;
  headers: Headers;
}

interface RawRow { id: string; subject: string; event_id: string; body: string; headers: Headers }

/**
 * The transactional outbox: events are rows written in the caller's transaction, published only after
 * it commits (Nats-Msg-Id = eventId, so a re-publish is dropped by the server), then deleted.
 * The relay republishes rows a crash left behind.
 */
export class Outbox {
  private readonly table: string;
  private deletes: string[] = [];
  private deleteTimer: NodeJS.Timeout | null = null;
  private relay: Poller | null = null;

  constructor(
    private readonly ds: DataSource,
    schema: string,
    private readonly nats: NatsConnectionService,
    private readonly metrics: DeskMetrics,
    private readonly log: Logger,
  ) {
    this.table = qualified(schema, 'outbox');
  }

  /** Writes one event in `tx`; the traceparent of the active span travels with it. `subject` is unprefixed. */
  async write(tx: EntityManager, subject: string, eventId: string, body: string): Promise<OutboxRow> {
    const headers = currentTraceHeaders();
    const rows = (await tx.query(
      `INSERT INTO ${this.table} (subject, event_id, body, headers) VALUES ($1, $2, $3, $4) RETURNING id`,
      [subject, eventId, body, JSON.stringify(headers)],
    )) as Array<{ id: string }>;
    return { id: String(rows[0]!.id), subject, eventId, body, headers };
  }

  /** Publishes rows of a committed transaction, in order. A failure leaves the rest for the relay. */
  async publish(rows: OutboxRow[]): Promise<void> {
    for (const row of rows) {
      try {
        await this.publishOne(row);
      } catch (e) {
        this.log.warn({ err: e, subject: row.subject, event_id: row.eventId }, 'outbox publish failed; the relay will retry');
        return;
      }
      this.deletes.push(row.id);
    }
    this.scheduleDelete();
  }

  private async publishOne(row: OutboxRow): Promise<void> {
    const h = natsHeaders();
    for (const [k, v] of Object.entries(row.headers)) h.set(k, v);
    await this.nats.js.publish(this.nats.subject(row.subject), encodeText(row.body), { msgID: row.eventId, headers: h });
    this.metrics.published.inc({ service: this.metrics.service, subject: row.subject });
  }

  // Deleting published rows in batches keeps the per-event cost to one INSERT on the hot path.
  private scheduleDelete(): void {
    if (this.deletes.length >= 500) {
      void this.flushDeletes();
    } else if (!this.deleteTimer && this.deletes.length > 0) {
      this.deleteTimer = setTimeout(() => void this.flushDeletes(), 50);
    }
  }

  async flushDeletes(): Promise<void> {
    if (this.deleteTimer) clearTimeout(this.deleteTimer);
    this.deleteTimer = null;
    const ids = this.deletes;
    this.deletes = [];
    if (ids.length === 0 || !this.ds.isInitialized) return;
    await this.ds.query(`DELETE FROM ${this.table} WHERE id = ANY($1::bigint[])`, [ids]).catch((e: unknown) => {
      // Rows still present are republished later and deduplicated downstream; nothing is lost.
      this.log.warn({ err: e }, 'outbox cleanup failed');
    });
  }

  startRelay(pollMs: number, minAgeMs = 2000): void {
    if (this.relay) return;
    this.relay = new Poller('outbox relay', pollMs, () => this.relayOnce(minAgeMs), this.log);
    this.relay.start();
  }

  /**
   * Publishes rows older than `minAgeMs` (younger ones are still being published by their writer).
   * SKIP LOCKED lets replicas relay in parallel without double work. Returns how many were published.
   */
  async relayOnce(minAgeMs = 2000): Promise<number> {
    // Almost always nothing is left over: one cheap probe instead of a transaction on every poll.
    const left = (await this.ds.query(
      `SELECT 1 FROM ${this.table} WHERE created_at < now() - ($1::int * interval '1 millisecond') LIMIT 1`, [minAgeMs])) as unknown[];
    if (left.length === 0) return 0;
    const qr = this.ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const rows = (await qr.query(
        `SELECT id, subject, event_id, body, headers FROM ${this.table}
          WHERE created_at < now() - ($1::int * interval '1 millisecond')
          ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED`,
        [minAgeMs],
      )) as RawRow[];
      const done: string[] = [];
      for (const r of rows) {
        try {
          await this.publishOne({ id: String(r.id), subject: r.subject, eventId: r.event_id, body: r.body, headers: r.headers });
        } catch (e) {
          this.log.warn({ err: e, subject: r.subject }, 'outbox relay publish failed');
          break;
        }
        done.push(String(r.id));
      }
      if (done.length > 0) await qr.query(`DELETE FROM ${this.table} WHERE id = ANY($1::bigint[])`, [done]);
      await qr.commitTransaction();
      if (done.length > 0) this.log.info({ published: done.length }, 'outbox relay republished events');
      return done.length;
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await qr.release();
    }
  }

  async stop(): Promise<void> {
    await this.relay?.stop();
    this.relay = null;
    await this.flushDeletes();
  }
}
