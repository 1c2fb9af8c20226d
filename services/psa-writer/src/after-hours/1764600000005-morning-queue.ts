import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ticket_digest: where each desk ticket stands (kept by the handlers), the input of the morning queue.
 * morning_summary: one row per client and business day — the primary key is what makes the summary (and
 * its chat message, queued in the same transaction) happen once however many replicas tick.
 */
export class MorningQueue1764600000005 implements MigrationInterface {
  name = 'MorningQueue1764600000005';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE ticket_digest (
      ticket_id uuid PRIMARY KEY,
      client_identifier text NOT NULL,
      summary text NOT NULL,
      received_at timestamptz NOT NULL,
      priority_level integer NOT NULL,
      state text NOT NULL,
      detail text,
      updated_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE INDEX ticket_digest_client_received ON ticket_digest (client_identifier, received_at)`);
    await qr.query(`CREATE TABLE morning_summary (
      client_identifier text NOT NULL,
      business_day date NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text NOT NULL,
      PRIMARY KEY (client_identifier, business_day)
    )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE morning_summary');
    await qr.query('DROP TABLE ticket_digest');
  }
}
