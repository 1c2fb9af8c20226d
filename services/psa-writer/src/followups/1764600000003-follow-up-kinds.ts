import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a follow-up timer waits for: the client's answer to guidance (`client`: reminders, then the
 * close), a verification code or a manager's approval (reminders only: the executor's own clock
 * escalates those), or long-running work (`progress`: status updates). `detail` names what is awaited.
 */
export class FollowUpKinds1764600000003 implements MigrationInterface {
  name = 'FollowUpKinds1764600000003';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE follow_up_timer ADD COLUMN kind text NOT NULL DEFAULT 'client', ADD COLUMN detail text`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('ALTER TABLE follow_up_timer DROP COLUMN kind, DROP COLUMN detail');
  }
}
