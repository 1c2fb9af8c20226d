import { createPsaClient } from '../../src/psa/create-psa-client';
import { VendorAuthError } from '../../src/http/errors';
import { FAST_RETRY, startPsaSandbox, type PsaSandbox } from './psa-harness';

describe('HaloPSA adapter token handling', () => {
  let env: PsaSandbox;
  const previous = process.env.SANDBOX_HALO_TOKEN_TTL;
  beforeAll(async () => {
    process.env.SANDBOX_HALO_TOKEN_TTL = '2'; // the sandbox issues 2-second tokens to this test
    env = await startPsaSandbox();
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.SANDBOX_HALO_TOKEN_TTL;
    else process.env.SANDBOX_HALO_TOKEN_TTL = previous;
    await env?.stop();
  });

  it('reuses a token while valid and fetches a new one before it lapses', async () => {
    const psa = createPsaClient(env.conn('halopsa'), undefined, { retry: FAST_RETRY });
    const since = await env.mark();
    await psa.listMembers();
    await psa.listMembers();
    const tokenCalls = async () => (await env.sb.calls.list({ vendor: 'halopsa', sinceSeq: since, pathContains: '/auth/token' })).length;
    expect(await tokenCalls()).toBe(1);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await psa.listMembers()).length).toBeGreaterThan(0);
    expect(await tokenCalls()).toBe(2);
    const failed = (await env.sb.calls.list({ vendor: 'halopsa', sinceSeq: since })).filter((c) => c.status === 401);
    expect(failed).toHaveLength(0);
  });

  it('fetches a new token once when the API rejects the cached one (the vendor forgot it)', async () => {
    process.env.SANDBOX_HALO_TOKEN_TTL = '3600';
    const schema = `psat_restart_${process.pid}_${Date.now().toString(36)}`;
    const first = await startPsaSandbox({ schema });
    let second: PsaSandbox | null = null;
    try {
      const psa = createPsaClient(first.conn('halopsa'), undefined, { retry: FAST_RETRY });
      await psa.listMembers();
      // A restarted vendor knows nothing of tokens it issued before; same URL, same data.
      await first.sb.close();
      second = await startPsaSandbox({ schema, port: Number(new URL(first.sb.url).port) });
      const since = await second.mark();
      expect((await psa.listMembers()).length).toBeGreaterThan(0);
      const calls = await second.sb.calls.list({ vendor: 'halopsa', sinceSeq: since });
      expect(calls.map((c) => [c.status, c.path.includes('/auth/token')])).toEqual([[401, false], [200, true], [200, false]]);
    } finally {
      await second?.stop();
      process.env.SANDBOX_HALO_TOKEN_TTL = '2';
    }
  });

  it('reports refused client credentials as an auth error', async () => {
    const conn = env.conn('halopsa');
    const psa = createPsaClient({ ...conn, clientSecret: 'wrong' } as typeof conn, undefined, { retry: FAST_RETRY });
    await expect(psa.getTicket('1')).rejects.toBeInstanceOf(VendorAuthError);
  });
});
