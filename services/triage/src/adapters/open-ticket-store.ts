import { TicketCategory } from '@desk/contracts';
import { qualified } from '@desk/platform';
import { EntityManager } from 'typeorm';
import { OpenTicket, OpenTicketStore } from '../domain/storm';

interface Row {
  key: string;
  ticket_id: string;
  count: number;
  first_seen: Date;
  last_seen: Date;
}

/** Open tickets in PostgreSQL, inside the handler's transaction (a rollback forgets the attach too). */
export class PgOpenTicketStore implements OpenTicketStore {
  private readonly table: string;

  constructor(private readonly tx: EntityManager, schema: string) {
    this.table = qualified(schema, 'open_ticket');
  }

  async find(key: string, since: string): Promise<OpenTicket | null> {
    // FOR UPDATE: two alerts of one storm handled at once serialise here instead of opening two tickets.
    const rows = (await this.tx.query(`SELECT key, ticket_id, count, first_seen, last_seen FROM ${this.table} WHERE key = $1 AND last_seen >= $2 FOR UPDATE`, [key, since])) as Row[];
    return rows[0] ? toOpen(rows[0]) : null;
  }

  async upsert(e: { key: string; ticketId: string; kind: 'duplicate' | 'storm'; client: string | null; category: TicketCategory; at: string }): Promise<OpenTicket> {
    const rows = (await this.tx.query(
      `INSERT INTO ${this.table} (key, ticket_id, kind, client, category, count, first_seen, last_seen)
       VALUES ($1, $2, $3, $4, $5, 1, $6, $6)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN ${this.table}.ticket_id = EXCLUDED.ticket_id THEN ${this.table}.count + 1 ELSE 1 END,
         first_seen = CASE WHEN ${this.table}.ticket_id = EXCLUDED.ticket_id THEN ${this.table}.first_seen ELSE EXCLUDED.first_seen END,
         last_seen = GREATEST(${this.table}.last_seen, EXCLUDED.last_seen),
         ticket_id = EXCLUDED.ticket_id
       RETURNING key, ticket_id, count, first_seen, last_seen`,
      [e.key, e.ticketId, e.kind, e.client, e.category, e.at],
    )) as Row[];
    return toOpen(rows[0]!);
  }
}

function toOpen(r: Row): OpenTicket {
  return { key: r.key, ticketId: r.ticket_id, count: Number(r.count), firstSeen: new Date(r.first_seen).toISOString(), lastSeen: new Date(r.last_seen).toISOString() };
}
