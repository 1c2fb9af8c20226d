import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { startTestSandbox } from '../sandbox-harness';
import { startReceiver } from './webhook-receiver';

// The vendor's published Swagger (reference material outside the repo); responses are validated against
// its object schemas, which forbid undocumented properties.
const SPEC = resolve(__dirname, '../../../../shared/reference/api-specs/halopsa-api-v2.swagger.json');
const haveSpec = existsSync(SPEC);
if (!haveSpec) process.stdout.write(`HaloPSA schema validation skipped: ${SPEC} not present\n`);

/** OpenAPI 3.0 `nullable` next to `$ref` (no `type`) is not JSON Schema: rewrite it as anyOf [..., null]. */
function openApiToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openApiToJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) o[k] = openApiToJsonSchema(v);
  if (o.nullable === true && o.type === undefined) {
    const { nullable: _n, ...rest } = o;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return o;
}

function validators(): (name: string) => ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'double', 'float', 'date-span', 'byte', 'binary']) ajv.addFormat(f, true);
  ajv.addSchema({ $id: 'halo', components: openApiToJsonSchema((JSON.parse(readFileSync(SPEC, 'utf8')) as { components: unknown }).components) });
  return (name) => {
    const v = ajv.getSchema(`halo#/components/schemas/${name}`);
    if (!v) throw new Error(`no schema ${name}`);
    return v;
  };
}

describe('sandbox HaloPSA', () => {
  let sb: Awaited<ReturnType<typeof startTestSandbox>>;
  let base: string;
  let token: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${base}/api${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) } });

  let schemas: ((name: string) => ValidateFunction) | null = null;

  beforeAll(async () => {
    if (haveSpec) {
      // Compile before any HTTP: a long synchronous compile would outlive idle keep-alive sockets.
      schemas = validators();
      for (const n of ['Faults', 'Actions', 'Area', 'Users', 'Uname', 'TStatus', 'Policy', 'Device', 'ContractHeader', 'Webhook']) schemas(n);
    }
    sb = await startTestSandbox();
    base = `${sb.url}/halo`;
    const r = await fetch(`${base}/auth/token?tenant=harborline`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-halo-client', client_secret: 'sandbox-halo-secret', scope: 'all' }),
    });
    expect(r.status).toBe(200);
    token = ((await r.json()) as { access_token: string }).access_token;
  }, 180_000);
  afterAll(async () => sb?.stop());

  it('refuses bad client credentials and missing or wrong bearer tokens', async () => {
    const bad = await fetch(`${base}/auth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_client' });
    expect((await fetch(`${base}/api/Tickets`)).status).toBe(401);
    expect((await fetch(`${base}/api/Tickets`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const calls = await sb.calls.list({ vendor: 'halopsa', pathContains: '/auth/token' });
    expect(JSON.stringify(calls)).not.toContain('sandbox-halo-secret');
  });

  it('upserts tickets from an array, lists with paging and filters, adds actions that change status', async () => {
    const created = (await (await api('/Tickets', { method: 'POST', body: JSON.stringify([{ summary: 'Kiosk printer', details: 'jammed', client_id: 103, user_id: 3001 }]) })).json()) as { id: number; status_name: string; user_email: string };
    expect(created.status_name).toBe('New');
    await api('/Tickets', { method: 'POST', body: JSON.stringify([{ summary: 'Second', client_id: 103 }, { summary: 'Third', client_id: 103 }]) });
    const page = (await (await api('/Tickets?pageinate=true&page_size=2&page_no=2&client_id=103&order=id')).json()) as { record_count: number; tickets: Array<{ summary: string }> };
    expect(page.record_count).toBe(3);
    expect(page.tickets.map((t) => t.summary)).toEqual(['Third']);
    const statuses = (await (await api('/Status')).json()) as Array<{ id: number; name: string }>;
    const resolved = statuses.find((s) => s.name === 'Resolved');
    const action = (await (await api('/Actions', { method: 'POST', body: JSON.stringify([{ ticket_id: created.id, note: 'Fixed', outcome: 'Resolved', new_status: resolved?.id, hiddenfromuser: false }]) })).json()) as { new_status_name: string };
    expect(action.new_status_name).toBe('Resolved');
    const open = (await (await api('/Tickets?open_only=true&client_id=103')).json()) as { tickets: Array<{ id: number }> };
    expect(open.tickets.map((t) => t.id)).not.toContain(created.id);
    const actions = (await (await api(`/Actions?ticket_id=${created.id}`)).json()) as { actions: Array<{ note: string }> };
    expect(actions.actions.map((a) => a.note)).toEqual(['jammed', 'Fixed']);
    const updated = (await (await api('/Tickets', { method: 'POST', body: JSON.stringify([{ id: created.id, team: 'Escalations', priority_id: 2 }]) })).json()) as { team: string; priority_name: string };
    expect(updated).toMatchObject({ team: 'Escalations', priority_name: 'Priority 2 - High' });
    expect((await api('/Tickets/999999')).status).toBe(404);
  });

  (haveSpec ? it : it.skip)('serves objects that validate against the vendor Swagger schemas', async () => {
    const v = schemas as (name: string) => ValidateFunction;
    const check = (schema: string, obj: unknown) => {
      const fn = v(schema);
      if (!fn(obj)) throw new Error(`${schema}: ${JSON.stringify(fn.errors?.slice(0, 5))}`);
    };
    expect(v('Faults')({ id: 1, not_a_halo_field: true })).toBe(false); // the schemas do reject undocumented fields
    const t = (await (await api('/Tickets', { method: 'POST', body: JSON.stringify([{ summary: 'Schema', details: 'd', client_id: 103, user_id: 3001, agent_id: 101 }]) })).json()) as { id: number };
    check('Faults', await (await api(`/Tickets/${t.id}`)).json());
    const actions = (await (await api(`/Actions?ticket_id=${t.id}`)).json()) as { actions: unknown[] };
    for (const a of actions.actions) check('Actions', a);
    for (const c of ((await (await api('/Client')).json()) as { clients: unknown[] }).clients) check('Area', c);
    for (const u of ((await (await api('/Users?client_id=103')).json()) as { users: unknown[] }).users) check('Users', u);
    for (const a of (await (await api('/Agent')).json()) as unknown[]) check('Uname', a);
    for (const s of (await (await api('/Status')).json()) as unknown[]) check('TStatus', s);
    for (const p of (await (await api('/Priority')).json()) as unknown[]) check('Policy', p);
    for (const a of ((await (await api('/Asset?client_id=103')).json()) as { assets: unknown[] }).assets) check('Device', a);
    for (const c of ((await (await api('/ClientContract')).json()) as { contracts: unknown[] }).contracts) check('ContractHeader', c);
    const hook = await (await api('/Webhook', { method: 'POST', body: JSON.stringify([{ name: 'x', url: 'http://127.0.0.1:9/x' }]) })).json();
    check('Webhook', hook);
  });

  it('delivers webhooks with the registered Basic credentials on new tickets', async () => {
    const rx = await startReceiver();
    try {
      await api('/Webhook', { method: 'POST', body: JSON.stringify([{ name: 'desk', url: `${rx.url}/halo`, authentication_type: 1, basic_username: 'halo-hook', basic_password: 'sandbox-halo-hook-pw' }]) });
      const t = (await (await api('/Tickets', { method: 'POST', body: JSON.stringify([{ summary: 'Hook me', client_id: 103 }]) })).json()) as { id: number };
      const got = (await rx.waitFor(1)).filter((x) => x.url === '/halo');
      expect(got.length).toBeGreaterThanOrEqual(1);
      expect(got[0].headers.authorization).toBe(`Basic ${Buffer.from('halo-hook:sandbox-halo-hook-pw').toString('base64')}`);
      expect(JSON.parse(got[0].body)).toMatchObject({ event: 'New Ticket Logged', ticket_id: t.id, ticket: { summary: 'Hook me' } });
    } finally {
      await rx.close();
    }
  });
});
