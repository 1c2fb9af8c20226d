import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * sla_watch: what the SLA watch learned of each escalated ticket, so it reads the PSA only when that can
 * change an answer. A settled ticket (answered by a person, or closed) is never read again; an open one
 * not before next_check_at, which replicas advance atomically, so a look happens once per poll interval
 * however many replicas tick.
 */
export class SlaWatch1764800000001 implements MigrationInterface {
  name = 'SlaWatch1764800000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE sla_watch (
      ticket_id uuid PRIMARY KEY,
      client_identifier text NOT NULL,
      next_check_at timestamptz NOT NULL,
      checked_at timestamptz NOT NULL,
      settled_state text,
      responded_at timestamptz,
      settled_at timestamptz
    )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE sla_watch');
  }
}
