import { startDesk, DeskProcesses } from '../../../test/support/desk-processes';

/** The process harness itself: every process ready, /metrics served, SIGKILL + restart of one service. */
let desk: DeskProcesses;

beforeAll(async () => {
  desk = await startDesk();
}, 180_000);

afterAll(async () => {
  await desk?.stop();
}, 60_000);

test('all six services are ready on their own ports and share one isolated stream', async () => {
  for (const [name, url] of Object.entries(desk.urls)) {
    const res = await fetch(`${url}/readyz`);
    expect({ name, status: res.status }).toEqual({ name, status: 200 });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain(`service="${name}"`);
  }
  const schemas = await desk.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY 1', [`e2e${desk.id}_%`]);
  expect(schemas.map((s) => s.nspname)).toEqual(expect.arrayContaining([desk.schema('desk_ledger'), desk.schema('psa-writer'), desk.schema('triage')]));
});

test('a SIGKILLed service comes back ready on restart', async () => {
  await desk.kill('triage');
  await expect(fetch(`${desk.urls.triage}/healthz`)).rejects.toThrow();
  await desk.restart('triage');
  expect((await fetch(`${desk.urls.triage}/readyz`)).status).toBe(200);
}, 120_000);
