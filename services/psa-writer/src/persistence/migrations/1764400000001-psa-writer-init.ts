import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * psa_write is the durable queue of PSA writes: one row per (event, write kind), executed in order per
 * lane (desk ticket), each exactly once in effect. ticket_map links desk tickets to PSA tickets.
 */
export class PsaWriterInit1764400000001 implements MigrationInterface {
  name = 'PsaWriterInit1764400000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE psa_write (
      id bigserial PRIMARY KEY,
      idempotency_key text NOT NULL UNIQUE,
      lane text NOT NULL,
      ticket_id uuid NOT NULL,
      event_id uuid NOT NULL,
      client_identifier text,
      psa_system text,
      kind text NOT NULL,
      payload jsonb NOT NULL,
      sort_at timestamptz NOT NULL,
      op_index integer NOT NULL,
      received_at timestamptz,
      status text NOT NULL DEFAULT 'pending',
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      lease_until timestamptz,
      last_error text,
      result jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      done_at timestamptz
    )`);
    await qr.query(`CREATE INDEX psa_write_pending ON psa_write (lane, sort_at, op_index) WHERE status = 'pending'`);
    await qr.query(`CREATE INDEX psa_write_ticket ON psa_write (ticket_id, id)`);
    await qr.query(`CREATE TABLE ticket_map (
      ticket_id uuid PRIMARY KEY,
      client_identifier text,
      system text NOT NULL,
      psa_ticket_id text NOT NULL,
      psa_number text,
      created_by_desk boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (system, psa_ticket_id)
    )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE ticket_map');
    await qr.query('DROP TABLE psa_write');
  }
}
