import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The executor's own tables (search_path is the service schema). ticket_case: where each ticket waits
 * and why; the code is kept only as a salted hash. action_attempt: one row per idempotency key, committed
 * before the vendor call, so a redelivery or a crash never runs an action twice.
 */
export class ExecutorInit1732900100000 implements MigrationInterface {
  name = 'ExecutorInit1732900100000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE ticket_case (
      ticket_id uuid PRIMARY KEY,
      client_identifier text NOT NULL,
      correlation_id text NOT NULL,
      stage text NOT NULL CHECK (stage IN ('proposed','awaiting_approval','awaiting_verification','scheduled','executing','executed','escalated')),
      mode text NOT NULL,
      plan jsonb NOT NULL,
      context jsonb NOT NULL,
      technician_approved_by text,
      approval_by text,
      approval_requested_at timestamptz,
      code_salt text,
      code_hash text,
      code_expires_at timestamptz,
      code_attempts integer NOT NULL DEFAULT 0,
      code_recipient_contact_id text,
      code_sent_to_phone text,
      code_verified_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await qr.query(`CREATE INDEX ticket_case_waiting ON ticket_case (stage, code_expires_at) WHERE stage IN ('awaiting_verification','awaiting_approval','proposed','scheduled')`);
    await qr.query(`CREATE TABLE action_attempt (
      idempotency_key text PRIMARY KEY,
      ticket_id uuid NOT NULL,
      client_identifier text NOT NULL,
      action text NOT NULL,
      target text NOT NULL,
      status text NOT NULL CHECK (status IN ('started','released','succeeded','failed')),
      tries integer NOT NULL DEFAULT 1,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      vendor_ref text,
      detail text
    )`);
    await qr.query(`CREATE INDEX action_attempt_recent ON action_attempt (client_identifier, action, started_at)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE action_attempt');
    await qr.query('DROP TABLE ticket_case');
  }
}
