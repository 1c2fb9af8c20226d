import { startTestSandbox } from '../sandbox-harness';

describe('POST /admin/psa/:system/tickets', () => {
  let sb: Awaited<ReturnType<typeof startTestSandbox>>;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => sb?.stop());
  const create = (system: string, body: unknown) =>
    fetch(`${sb.url}/admin/psa/${system}/tickets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it.each([
    ['connectwise', 'ContosoDental', 'maria.chen@contoso-dental.example', (t: Record<string, unknown>) => (t.contact as { id: number }).id],
    ['halopsa', 'TailspinMfg', 'robert.hayes@tailspin-mfg.example', (t: Record<string, unknown>) => t.user_id],
    ['autotask', 'RiverbendFdn', 'angela.moreno@riverbend-foundation.example', (t: Record<string, unknown>) => t.contactID],
  ])('creates a %s ticket as the client would, linked to the contact', async (system, client, email, contactOf) => {
    const r = await create(system, { clientIdentifier: client, summary: 'Cannot print', description: 'Printer says offline', contactEmail: email });
    expect(r.status).toBe(201);
    const t = (await r.json()) as Record<string, unknown>;
    expect(contactOf(t)).toEqual(expect.any(Number));
    const calls = await sb.calls.list({ vendor: system });
    expect(calls).toHaveLength(0); // not an API call of the vendor: nothing in that vendor's request log
  });

  it('rejects unknown clients and systems', async () => {
    expect((await create('connectwise', { clientIdentifier: 'Nope', summary: 'x' })).status).toBe(404);
    expect((await create('servicenow', { clientIdentifier: 'ContosoDental', summary: 'x' })).status).toBe(404);
  });
});
