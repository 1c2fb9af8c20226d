import { MigrationInterface, QueryRunner } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { qualified } from './sql';

function schemaOf(qr: QueryRunner): string {
  const schema = (qr.connection.options as PostgresConnectionOptions).schema;
  if (!schema) throw new Error('platform migration needs a DataSource with a schema');
  return schema;
}

/**
 * The platform's tables in every service schema: the transactional outbox, the processed-event
 * keys that make consumers idempotent, and the dead letters. Runs before the service's own migrations.
 */
export class DeskPlatform1732900000000 implements MigrationInterface {
  name = 'DeskPlatform1732900000000';

  async up(qr: QueryRunner): Promise<void> {
    const s = schemaOf(qr);
    await qr.query(`CREATE TABLE ${qualified(s, 'outbox')} (
      id bigserial PRIMARY KEY,
      subject text NOT NULL,
      event_id uuid NOT NULL,
      body text NOT NULL,
      headers jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await qr.query(`CREATE TABLE ${qualified(s, 'processed_event')} (
      consumer text NOT NULL,
      event_id uuid NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`);
    await qr.query(`CREATE TABLE ${qualified(s, 'dead_letter')} (
      id bigserial PRIMARY KEY,
      consumer text NOT NULL,
      subject text NOT NULL,
      event_id uuid,
      ticket_id uuid,
      error text NOT NULL,
      deliveries integer NOT NULL,
      raw text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    const s = schemaOf(qr);
    await qr.query(`DROP TABLE ${qualified(s, 'dead_letter')}`);
    await qr.query(`DROP TABLE ${qualified(s, 'processed_event')}`);
    await qr.query(`DROP TABLE ${qualified(s, 'outbox')}`);
  }
}
