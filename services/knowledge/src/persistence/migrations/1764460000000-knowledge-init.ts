import { MigrationInterface, QueryRunner } from 'typeorm';
import { knowledgeSchemaSql } from '../schema-sql';

/** Creates the knowledge schema (documents, lexicon, sync state and runs, lookups, verification failures). */
export class KnowledgeInit1764460000000 implements MigrationInterface {
  name = 'KnowledgeInit1764460000000';

  async up(qr: QueryRunner): Promise<void> {
    for (const stmt of knowledgeSchemaSql(knowledgeSchemaName())) await qr.query(stmt);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP SCHEMA IF EXISTS "${knowledgeSchemaName()}" CASCADE`);
  }
}

/** "knowledge", behind DB_SCHEMA_PREFIX so test runs never collide. */
export function knowledgeSchemaName(env: NodeJS.ProcessEnv = process.env): string {
  return `${env.DB_SCHEMA_PREFIX ?? ''}knowledge`;
}
