import { MigrationInterface, QueryRunner } from 'typeorm';
import { assertSchemaName } from '../db';
import { CHILD_TICKETS_COLUMN } from '../schema-sql';
import { schemaOf } from './1764460000000-knowledge-init';

/**
 * The runbook header's `childTickets`, kept per document. Documents indexed before this column existed are
 * re-read on the next sync (their content hash is cleared, so the sync does not skip them as unchanged).
 */
export class RunbookChildTickets1764600000003 implements MigrationInterface {
  name = 'RunbookChildTickets1764600000003';

  async up(qr: QueryRunner): Promise<void> {
    const s = `"${assertSchemaName(schemaOf(qr))}"`;
    await qr.query(CHILD_TICKETS_COLUMN(s));
    await qr.query(`UPDATE ${s}.document SET content_hash = ''`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "${assertSchemaName(schemaOf(qr))}".document DROP COLUMN IF EXISTS child_tickets`);
  }
}
