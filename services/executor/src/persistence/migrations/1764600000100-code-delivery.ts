import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The provider's id of the SMS that carried the code and what the carrier said about it: a code that was
 * accepted by the API and then reported undelivered/failed escalates at once instead of waiting to expire.
 */
export class ExecutorCodeDelivery1764600000100 implements MigrationInterface {
  name = 'ExecutorCodeDelivery1764600000100';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE ticket_case ADD COLUMN code_message_id text, ADD COLUMN code_delivery text CHECK (code_delivery IN ('pending','delivered','failed'))`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('ALTER TABLE ticket_case DROP COLUMN code_delivery, DROP COLUMN code_message_id');
  }
}
