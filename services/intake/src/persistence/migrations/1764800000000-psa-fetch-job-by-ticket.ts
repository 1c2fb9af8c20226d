import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fetch worker's claim asks, for every pending job, whether an earlier job of the same PSA ticket is
 * still pending (jobs of one ticket run in order), and coalesces a ticket's pending jobs into one fetch.
 * Without an index on (system, psa_ticket_id, seq) both were scans of the pending set: a backlog made
 * each claim O(backlog) and the database the desk's busiest process.
 */
export class PsaFetchJobByTicket1764800000000 implements MigrationInterface {
  name = 'PsaFetchJobByTicket1764800000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE INDEX psa_fetch_job_pending_ticket ON psa_fetch_job (system, psa_ticket_id, seq) WHERE status = 'pending'`);
    await qr.query(`CREATE INDEX psa_fetch_job_pending_seq ON psa_fetch_job (seq) WHERE status = 'pending'`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP INDEX psa_fetch_job_pending_seq`);
    await qr.query(`DROP INDEX psa_fetch_job_pending_ticket`);
  }
}
