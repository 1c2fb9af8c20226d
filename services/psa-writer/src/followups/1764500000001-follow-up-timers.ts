import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * follow_up_timer: durable timers of tickets waiting on the client (reminders, the close). A row is fired
 * once: claimed with FOR UPDATE SKIP LOCKED and marked fired in the same transaction that queues its PSA
 * writes, so replicas never both fire it and a crash before commit leaves it pending.
 */
export class FollowUpTimers1764500000001 implements MigrationInterface {
  name = 'FollowUpTimers1764500000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE follow_up_timer (
      id bigserial PRIMARY KEY,
      ticket_id uuid NOT NULL,
      period text NOT NULL,
      step text NOT NULL,
      client_identifier text NOT NULL,
      psa_system text,
      contact_name text,
      reminders integer NOT NULL,
      due_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'pending',
      fired_at timestamptz,
      fired_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (ticket_id, period, step)
    )`);
    await qr.query(`CREATE INDEX follow_up_timer_due ON follow_up_timer (due_at) WHERE status = 'pending'`);
    await qr.query(`CREATE INDEX follow_up_timer_ticket ON follow_up_timer (ticket_id)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE follow_up_timer');
  }
}
