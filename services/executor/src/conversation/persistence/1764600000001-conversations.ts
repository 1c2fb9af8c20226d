import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * conversation: one row per ticket the desk answers with guidance instead of an action — the state of the
 * conversation with the user (turns, rounds) and what later stages need to publish (the ticket, triage).
 */
export class Conversations1764600000001 implements MigrationInterface {
  name = 'Conversations1764600000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE conversation (
      ticket_id uuid PRIMARY KEY,
      client_identifier text NOT NULL,
      correlation_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('waiting','resolved','escalated','handed_over')),
      round integer NOT NULL,
      state jsonb NOT NULL,
      context jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE conversation');
  }
}
