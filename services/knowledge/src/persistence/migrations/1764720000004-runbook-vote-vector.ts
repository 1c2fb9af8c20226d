import { MigrationInterface, QueryRunner } from 'typeorm';
import { assertSchemaName } from '../db';
import { VOTE_TSV_COLUMN } from '../schema-sql';
import { schemaOf } from './1764460000000-knowledge-init';

/** What each runbook says it is for, as a stored search vector: the runbook's vote on a ticket's category. */
export class RunbookVoteVector1764720000004 implements MigrationInterface {
  name = 'RunbookVoteVector1764720000004';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(VOTE_TSV_COLUMN(`"${assertSchemaName(schemaOf(qr))}"`));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "${assertSchemaName(schemaOf(qr))}".document DROP COLUMN IF EXISTS vote_tsv`);
  }
}
