import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Child tickets the desk opens (a runbook's `childTickets`) are recorded in ticket_map as created by the
 * desk, so intake does not take the PSA's "added" callback for one as a new request. parent_ticket_id names
 * the desk ticket they were opened under; their own ticket_id is derived from the write and joins nothing.
 */
export class DeskChildTickets1764700000001 implements MigrationInterface {
  name = 'DeskChildTickets1764700000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE ticket_map ADD COLUMN parent_ticket_id uuid`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE ticket_map DROP COLUMN parent_ticket_id`);
  }
}
