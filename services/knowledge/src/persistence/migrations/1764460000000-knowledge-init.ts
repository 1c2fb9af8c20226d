import { MigrationInterface, QueryRunner } from 'typeorm';
import { knowledgeSchemaSql } from '../schema-sql';

/** Creates the knowledge schema (documents, lexicon, sync state and runs, lookups, verification failures). */
export class KnowledgeInit1764460000000 implements MigrationInterface {
  name = 'KnowledgeInit1764460000000';

  async up(qr: QueryRunner): Promise<void> {
    for (const stmt of knowledgeSchemaSql(schemaOf(qr))) await qr.query(stmt);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP SCHEMA IF EXISTS "${schemaOf(qr)}" CASCADE`);
  }
}

/** The platform's DataSource carries the service schema ("knowledge", behind DB_SCHEMA_PREFIX in tests). */
export function schemaOf(qr: QueryRunner): string {
  const schema = (qr.connection.options as { schema?: string }).schema;
  return schema ?? `${process.env.DB_SCHEMA_PREFIX ?? ''}knowledge`;
}
