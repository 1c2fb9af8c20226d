import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * dispatch_request: escalations waiting for an owner. Recorded in the escalation handler's transaction
 * (so none is lost), assigned once the escalation's route write is in the PSA.
 */
export class DispatchRequests1764500000002 implements MigrationInterface {
  name = 'DispatchRequests1764500000002';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE dispatch_request (
      event_id uuid PRIMARY KEY,
      ticket_id uuid NOT NULL,
      client_identifier text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending',
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      owner text,
      reasons jsonb,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      done_at timestamptz
    )`);
    await qr.query(`CREATE INDEX dispatch_request_pending ON dispatch_request (next_attempt_at) WHERE status = 'pending'`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE dispatch_request');
  }
}
