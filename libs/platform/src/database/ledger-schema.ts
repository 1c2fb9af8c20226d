import { QueryRunner } from 'typeorm';
import { ident, qualified } from './sql';

/**
 * The lifecycle ledger and audit log are shared by all services, so no single service's migration
 * history can own them: they are created idempotently (under the boot advisory lock) by whichever
 * service starts first.
 */
export async function ensureLedgerSchema(qr: QueryRunner, schema: string): Promise<void> {
  const t = (name: string) => qualified(schema, name);
  await qr.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
  await qr.query(`CREATE TABLE IF NOT EXISTS ${t('ticket_transition')} (
    id bigserial PRIMARY KEY,
    ticket_id uuid NOT NULL,
    state text NOT NULL,
    service text NOT NULL,
    reason text,
    trace_id text,
    event_id uuid,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
  )`);
  await qr.query(`CREATE INDEX IF NOT EXISTS ticket_transition_ticket_at ON ${t('ticket_transition')} (ticket_id, at)`);
  await qr.query(`CREATE TABLE IF NOT EXISTS ${t('ticket_state')} (
    ticket_id uuid PRIMARY KEY,
    state text NOT NULL,
    service text NOT NULL,
    reason text,
    trace_id text,
    first_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  )`);
  // The span that made the latest transition: work resumed later from a timer joins the ticket's trace there.
  await qr.query(`ALTER TABLE ${t('ticket_state')} ADD COLUMN IF NOT EXISTS span_id text`);
  await qr.query(`CREATE TABLE IF NOT EXISTS ${t('audit_entry')} (
    id bigserial PRIMARY KEY,
    ticket_id uuid NOT NULL,
    seq integer NOT NULL,
    at timestamptz NOT NULL,
    service text NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    decision text,
    why jsonb NOT NULL,
    evidence jsonb NOT NULL,
    trace_id text,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    UNIQUE (ticket_id, seq)
  )`);
  // Append-only is enforced by the database, not only by the absence of an update API.
  await qr.query(`CREATE OR REPLACE FUNCTION ${qualified(schema, 'audit_append_only')}() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END $$`);
  await qr.query(`DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_entry_append_only' AND tgrelid = '${t('audit_entry').replace(/'/g, "''")}'::regclass) THEN
      CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON ${t('audit_entry')}
        FOR EACH ROW EXECUTE FUNCTION ${qualified(schema, 'audit_append_only')}();
    END IF;
  END $$`);
}
