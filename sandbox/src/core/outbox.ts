import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Outbox, OutboxMessage } from './context';
import { quoteIdent } from './pg-store';

/** Messages notify providers accepted, in PostgreSQL (tests read them to get one-time codes, pages...). */
export class PgOutbox implements Outbox {
  private readonly s: string;
  constructor(private readonly pool: Pool, schema: string) {
    this.s = quoteIdent(schema);
  }

  async add(msg: Omit<OutboxMessage, 'id' | 'at'>): Promise<OutboxMessage> {
    const id = randomUUID();
    const r = await this.pool.query(
      `INSERT INTO ${this.s}.outbox (id, channel, provider, "to", "from", subject, body, status, principal)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING at`,
      [id, msg.channel, msg.provider, msg.to, msg.from, msg.subject, msg.body, msg.status, msg.principal],
    );
    return { ...msg, id, at: (r.rows[0].at as Date).toISOString() };
  }

  async list(filter: { channel?: string; to?: string; since?: string } = {}): Promise<OutboxMessage[]> {
    const args: unknown[] = [];
    const where: string[] = [];
    if (filter.channel) { args.push(filter.channel); where.push(`channel = $${args.length}`); }
    if (filter.to) { args.push(filter.to); where.push(`"to" = $${args.length}`); }
    if (filter.since) { args.push(filter.since); where.push(`at > $${args.length}::timestamptz`); }
    const r = await this.pool.query(
      `SELECT id, at, channel, provider, "to", "from", subject, body, status, principal FROM ${this.s}.outbox
       ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq`,
      args,
    );
    return r.rows.map((x) => ({ ...x, at: (x.at as Date).toISOString() }) as OutboxMessage);
  }

  /** Updates a message's delivery status (e.g. an SMS going queued → delivered). */
  async setStatus(id: string, status: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.s}.outbox SET status = $2 WHERE id = $1`, [id, status]);
  }
}
