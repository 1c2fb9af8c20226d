import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * pending_check: one row per executed action, polled until its check passes, fails or runs out of time
 * (survives restarts; nothing waits inside a transaction). ticket_outcome: a ticket is resolved or
 * escalated by the verifier once.
 */
export class VerifierInit1732900200000 implements MigrationInterface {
  name = 'VerifierInit1732900200000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE pending_check (
      idempotency_key text PRIMARY KEY,
      ticket_id uuid NOT NULL,
      client_identifier text,
      correlation_id text NOT NULL,
      event_id uuid NOT NULL,
      executed jsonb NOT NULL,
      plan_step integer NOT NULL DEFAULT 1,
      plan_steps integer NOT NULL DEFAULT 1,
      status text NOT NULL CHECK (status IN ('pending','passed','failed')),
      state jsonb NOT NULL DEFAULT '{}'::jsonb,
      attempts integer NOT NULL DEFAULT 0,
      evidence jsonb NOT NULL DEFAULT '[]'::jsonb,
      deadline timestamptz NOT NULL,
      next_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    await qr.query(`CREATE INDEX pending_check_due ON pending_check (next_at) WHERE status = 'pending'`);
    await qr.query(`CREATE INDEX pending_check_ticket ON pending_check (ticket_id)`);
    await qr.query(`CREATE TABLE ticket_outcome (
      ticket_id uuid PRIMARY KEY,
      outcome text NOT NULL CHECK (outcome IN ('resolved','escalated')),
      at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE ticket_outcome');
    await qr.query('DROP TABLE pending_check');
  }
}
