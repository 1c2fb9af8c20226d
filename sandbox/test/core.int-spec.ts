import express from 'express';
import { startTestSandbox } from './sandbox-harness';
import { Kinds } from '../src/core/seed';
import type { VendorEntry } from '../src/vendors/index';

// A tiny vendor used only to exercise the core (call log, faults, store) without any real vendor module.
const probe: VendorEntry = {
  vendor: 'probe', prefix: '/probe',
  mount: (ctx) => {
    const r = express.Router();
    r.use((_req, res, next) => { res.locals.principal = 'probe-user'; next(); });
    r.get('/devices/:hostname', async (req, res) => {
      const [d] = await ctx.store.list(Kinds.device, { where: { hostname: req.params.hostname } });
      if (!d) return void res.status(404).json({ message: 'not found' });
      res.json(d);
    });
    r.post('/things', async (req, res) => {
      const id = await ctx.store.nextId('probe.thing');
      res.status(201).json(await ctx.store.put('probe.thing', String(id), { id, ...(req.body as object) }, 'ContosoDental'));
    });
    return r;
  },
};

describe('sandbox core', () => {
  let sb: Awaited<ReturnType<typeof startTestSandbox>>;
  beforeAll(async () => {
    sb = await startTestSandbox({ mounts: [probe] });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('loads the whole demo world in under 5 s and resets in under 500 ms', async () => {
    expect(sb.loadMs).toBeLessThan(5000);
    await sb.ctx.store.put('probe.thing', '999', { id: 999 });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = Date.now();
      await sb.reset();
      times.push(Date.now() - t);
    }
    process.stdout.write(`sandbox load ${sb.loadMs} ms; reset ${times.join('/')} ms\n`);
    expect(Math.min(...times)).toBeLessThan(500);
    expect(await sb.ctx.store.get('probe.thing', '999')).toBeNull();
    const devices = sb.ctx.world.clients.reduce((n, c) => n + c.devices.length, 0);
    expect(await sb.ctx.store.count(Kinds.device)).toBe(devices);
    expect(await sb.ctx.store.count(Kinds.contact, { client: 'ContosoDental' })).toBe(sb.ctx.world.clients[0].contacts.length);
    expect(sb.ctx.world.runbooks.length).toBeGreaterThan(30);
    expect(sb.ctx.world.trainingTickets).toHaveLength(240);
  });

  it('records calls with principal and body, and filters them', async () => {
    const since = await sb.calls.lastSeq();
    const res = await fetch(`${sb.url}/probe/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 1 }) });
    expect(res.status).toBe(201);
    const calls = (await (await fetch(`${sb.url}/admin/calls?vendor=probe&sinceSeq=${since}&method=POST`)).json()) as Array<Record<string, unknown>>;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ vendor: 'probe', method: 'POST', path: '/probe/things', status: 201, body: { a: 1 }, principal: 'probe-user' });
  });

  it('hands out monotonic ids after the seeded ones and keeps kept kinds across resets', async () => {
    const a = await sb.ctx.store.nextId(Kinds.contact);
    const b = await sb.ctx.store.nextId(Kinds.contact);
    expect(b).toBe(a + 1);
    expect(a).toBeGreaterThan(Math.max(...sb.ctx.world.clients.flatMap((c) => c.contacts.map((x) => x.id))));
    sb.ctx.store.keepOnReset('probe.hook');
    await sb.ctx.store.put('probe.hook', '1', { url: 'x' });
    await sb.reset();
    expect(await sb.ctx.store.get('probe.hook', '1')).toEqual({ url: 'x' });
    await sb.reset({ everything: true });
    expect(await sb.ctx.store.get('probe.hook', '1')).toBeNull();
  });

  it('applies faults: 429 with Retry-After for N requests, then 5xx for a period, path filter', async () => {
    const admin = (body: unknown) => fetch(`${sb.url}/admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await admin({ vendor: 'probe', kind: 'rate_limit', value: 3, count: 2 })).status).toBe(201);
    const r1 = await fetch(`${sb.url}/probe/devices/CDG-LV-OP2`);
    expect(r1.status).toBe(429);
    expect(r1.headers.get('retry-after')).toBe('3');
    expect((await fetch(`${sb.url}/probe/devices/CDG-LV-OP2`)).status).toBe(429);
    expect((await fetch(`${sb.url}/probe/devices/CDG-LV-OP2`)).status).toBe(200);
    await admin({ vendor: 'probe', kind: 'server_error', value: 502, durationMs: 300, pathContains: '/devices/' });
    expect((await fetch(`${sb.url}/probe/devices/CDG-LV-OP2`)).status).toBe(502);
    expect((await fetch(`${sb.url}/probe/things`, { method: 'POST' })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 350));
    expect((await fetch(`${sb.url}/probe/devices/CDG-LV-OP2`)).status).toBe(200);
    await admin({ vendor: 'probe', kind: 'timeout', value: 2000 });
    await expect(fetch(`${sb.url}/probe/devices/CDG-LV-OP2`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect((await fetch(`${sb.url}/admin/faults`, { method: 'DELETE' })).status).toBe(204);
    expect(await (await fetch(`${sb.url}/admin/faults`)).json()).toEqual([]);
  });

  it('turns a device offline and online through the admin API', async () => {
    const off = await fetch(`${sb.url}/admin/devices/cdg-ch-fd01/online`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"online":false}' });
    expect(off.status).toBe(200);
    const dev = (await (await fetch(`${sb.url}/probe/devices/CDG-CH-FD01`)).json()) as { online: boolean };
    expect(dev.online).toBe(false);
    expect((await fetch(`${sb.url}/admin/devices/NOPE/online`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"online":true}' })).status).toBe(404);
    const health = (await (await fetch(`${sb.url}/admin/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
  });
});
