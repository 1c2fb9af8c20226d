import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake's tables (unqualified: the platform's search_path puts them in the service schema).
 * raw_delivery is both the audit record and the idempotency key store: UNIQUE(channel, idempotency_key).
 */
export class IntakeInit1764400000000 implements MigrationInterface {
  name = 'IntakeInit1764400000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE raw_delivery (
      id uuid PRIMARY KEY,
      channel text NOT NULL,
      idempotency_key text NOT NULL,
      client_identifier text,
      ticket_id uuid,
      outcome text NOT NULL,
      reason text,
      content_type text,
      headers jsonb NOT NULL DEFAULT '{}'::jsonb,
      body text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (channel, idempotency_key)
    )`);
    await qr.query(`CREATE INDEX raw_delivery_ticket ON raw_delivery (ticket_id)`);
    await qr.query(`CREATE TABLE psa_fetch_job (
      seq bigserial PRIMARY KEY,
      delivery_id uuid NOT NULL UNIQUE REFERENCES raw_delivery(id),
      system text NOT NULL,
      connection_client text NOT NULL,
      psa_ticket_id text NOT NULL,
      action text NOT NULL,
      actor text,
      ticket_number text,
      status text NOT NULL DEFAULT 'pending',
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      lease_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await qr.query(`CREATE INDEX psa_fetch_job_pending ON psa_fetch_job (status, next_attempt_at) WHERE status = 'pending'`);
    await qr.query(`CREATE TABLE ticket_link (
      ticket_id uuid PRIMARY KEY,
      client_identifier text,
      channel text NOT NULL,
      psa_system text,
      psa_ticket_id text,
      psa_number text,
      last_status text,
      seen_note_ids jsonb NOT NULL DEFAULT '[]'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (psa_system, psa_ticket_id)
    )`);
    await qr.query(`CREATE INDEX ticket_link_number ON ticket_link (psa_number)`);
    await qr.query(`CREATE TABLE email_thread (
      message_id text PRIMARY KEY,
      ticket_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await qr.query(`CREATE TABLE alert_storm (
      storm_key text PRIMARY KEY,
      ticket_id uuid NOT NULL,
      first_at timestamptz NOT NULL,
      last_at timestamptz NOT NULL,
      count integer NOT NULL
    )`);
    await qr.query(`CREATE TABLE api_key (
      key_hash text PRIMARY KEY,
      client_identifier text NOT NULL,
      label text,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['api_key', 'alert_storm', 'email_thread', 'ticket_link', 'psa_fetch_job', 'raw_delivery']) await qr.query(`DROP TABLE ${t}`);
  }
}
