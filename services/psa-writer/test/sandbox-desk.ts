import type { DeskApp } from '@desk/platform';
import { cleanup, isolatedEnv, query, startApp, waitFor } from '../../../libs/platform/test/helpers';
import { startTestSandbox } from '../../../sandbox/test/sandbox-harness';
import { PsaWriterModule } from '../src/psa-writer.module';

/**
 * psa-writer against an in-process sandbox (real adapters, real PostgreSQL / NATS), isolated per test file.
 * Dispatch, SLA watch and follow-up timers are off unless `env` turns them on: these tests look at the writes.
 */
export function useSandboxDesk(env: Record<string, string> = {}) {
  const iso = isolatedEnv({
    PSA_WRITER_POLL_MS: '50', PSA_WRITER_RETRY_BASE_MS: '100', PSA_WRITER_MAX_BACKOFF_MS: '1000',
    DESK_DISPATCH_POLL_MS: '0', DESK_SLA_POLL_MS: '0', DESK_FOLLOWUP_POLL_MS: '0', ...env,
  });
  const schema = `${iso.schemaPrefix}psa_writer`;
  const state: { sb?: Awaited<ReturnType<typeof startTestSandbox>>; desk?: DeskApp } = {};
  beforeAll(async () => {
    state.sb = await startTestSandbox();
    process.env.SANDBOX_URL = state.sb.url;
    state.desk = await startApp('psa-writer', PsaWriterModule);
  }, 90_000);
  afterAll(async () => {
    await state.desk?.close();
    await state.sb?.stop();
    await cleanup(iso);
  }, 60_000);

  const psaId = async (ticketId: string) => (await query<{ psa_ticket_id: string }>(`SELECT psa_ticket_id FROM "${schema}".ticket_map WHERE ticket_id = $1`, [ticketId]))[0]?.psa_ticket_id;
  const pendingOf = async (ticketId: string) => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".psa_write WHERE ticket_id = $1 AND status = 'pending'`, [ticketId]))[0]!.n);
  const failedOf = (ticketId: string) => query(`SELECT kind, last_error FROM "${schema}".psa_write WHERE ticket_id = $1 AND status = 'failed'`, [ticketId]);
  return {
    schema,
    get desk(): DeskApp { return state.desk!; },
    get sandbox() { return state.sb!; },
    psaId, pendingOf, failedOf,
    /** The ticket's PSA id once it exists and every queued write of it is done (none failed). */
    async settled(ticketId: string): Promise<string> {
      const id = await waitFor(() => psaId(ticketId), 30_000, 'PSA ticket');
      await waitFor(async () => (await pendingOf(ticketId)) === 0, 60_000, 'writes drained');
      expect(await failedOf(ticketId)).toEqual([]);
      return id!;
    },
  };
}
