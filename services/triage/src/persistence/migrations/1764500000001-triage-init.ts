import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Policy (rules per client x category, defaults, kill switches) with its audit trail, and the open desk
 * tickets later duplicates and alert storms attach to. Tables land in the service schema (search_path).
 */
export class TriageInit1764500000001 implements MigrationInterface {
  name = 'TriageInit1764500000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE policy_rule (
      client text NOT NULL,
      category text NOT NULL,
      mode text NOT NULL CHECK (mode IN ('off', 'shadow', 'autonomous')),
      min_confidence double precision CHECK (min_confidence BETWEEN 0 AND 1),
      after_hours text CHECK (after_hours IN ('same', 'shadow', 'escalate')),
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (client, category)
    )`);
    await qr.query(`CREATE TABLE policy_setting (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await qr.query(`CREATE TABLE kill_switch (
      scope text PRIMARY KEY,
      engaged boolean NOT NULL,
      reason text,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await qr.query(`CREATE TABLE policy_audit (
      id bigserial PRIMARY KEY,
      actor text NOT NULL,
      action text NOT NULL,
      target text NOT NULL,
      before jsonb,
      after jsonb,
      reason text,
      at timestamptz NOT NULL DEFAULT now()
    )`);
    await qr.query(`CREATE TABLE open_ticket (
      key text PRIMARY KEY,
      ticket_id uuid NOT NULL,
      kind text NOT NULL,
      client text,
      category text NOT NULL,
      count integer NOT NULL DEFAULT 1,
      first_seen timestamptz NOT NULL,
      last_seen timestamptz NOT NULL
    )`);
    await qr.query('CREATE INDEX open_ticket_ticket ON open_ticket (ticket_id)');
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['open_ticket', 'policy_audit', 'kill_switch', 'policy_setting', 'policy_rule']) await qr.query(`DROP TABLE ${t}`);
  }
}
