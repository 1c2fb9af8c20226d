/* eslint-disable @typescript-eslint/no-explicit-any -- assertions walk raw vendor JSON of many shapes */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { startSandbox, type RunningSandbox } from '../../src/core/sandbox';

/** NinjaOne and Datto RMM of the sandbox, spoken to over raw HTTP as each vendor documents it. */
const schema = `sbx_rmm_${process.pid}_${Date.now() % 100000}`;
let sbx: RunningSandbox;

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(sbx.url + path, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
const json = (o: unknown) => JSON.stringify(o);
const admin = (path: string, body: unknown) => call('POST', `/admin${path}`, { 'content-type': 'application/json' }, json(body));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ninjaToken(): Promise<Record<string, string>> {
  const r = await call('POST', '/ninja/ws/oauth/token', { 'content-type': 'application/x-www-form-urlencoded' },
    'grant_type=client_credentials&client_id=sandbox-ninja-client&client_secret=sandbox-ninja-secret&scope=monitoring%20management%20control');
  expect(r.status).toBe(200);
  return { authorization: `Bearer ${r.body.access_token}` };
}

async function dattoToken(): Promise<Record<string, string>> {
  const r = await call('POST', '/datto/auth/oauth/token', {
    'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('public-client:public').toString('base64')}`,
  }, 'grant_type=password&username=sandbox-datto-key&password=sandbox-datto-secret');
  expect(r.status).toBe(200);
  return { authorization: `Bearer ${r.body.access_token}` };
}

beforeAll(async () => {
  sbx = await startSandbox({ schema, port: 0 });
});
afterAll(async () => {
  await sbx?.close({ dropSchema: true });
});
beforeEach(async () => {
  await sbx.reset();
  await admin('/rmm/config', { jobMs: 300 });
});

describe('NinjaOne', () => {
  it('refuses bad client credentials and calls without a token', async () => {
    const bad = await call('POST', '/ninja/ws/oauth/token', { 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=client_credentials&client_id=x&client_secret=y');
    expect(bad.status).toBe(401);
    expect((await call('GET', '/ninja/v2/devices')).status).toBe(401);
  });

  it('lists an organization\'s devices with df and after-paging', async () => {
    const h = await ninjaToken();
    const orgs = await call('GET', '/ninja/v2/organizations', h);
    expect(orgs.body.map((o: any) => o.id).sort()).toEqual([101, 103, 105]);
    const all = await call('GET', `/ninja/v2/devices-detailed?df=${encodeURIComponent('org = 101')}`, h);
    expect(all.body.length).toBeGreaterThan(3);
    expect(all.body.every((d: any) => d.organizationId === 101)).toBe(true);
    const p1 = await call('GET', `/ninja/v2/devices-detailed?df=${encodeURIComponent('org = 101')}&pageSize=2`, h);
    const p2 = await call('GET', `/ninja/v2/devices-detailed?df=${encodeURIComponent('org = 101')}&pageSize=2&after=${p1.body[1].id}`, h);
    expect([...p1.body, ...p2.body].map((d: any) => d.id)).toEqual(all.body.slice(0, 4).map((d: any) => d.id));
    // Datto-managed devices are not visible in NinjaOne.
    expect((await call('GET', '/ninja/v2/device/20001', h)).status).toBe(404);
  });

  it('runs a script: the job takes time, completes through activities, and the service state changes', async () => {
    const h = await ninjaToken();
    const devices = await call('GET', `/ninja/v2/devices?df=${encodeURIComponent('org = 103')}`, h);
    const kiosk = devices.body.find((d: any) => d.systemName === 'TSP-KIOSK-02');
    const before = await call('GET', `/ninja/v2/device/${kiosk.id}/windows-services`, h);
    expect(before.body.find((s: any) => s.name === 'MESClientAgent').state).toBe('STOPPED');
    const options = await call('GET', `/ninja/v2/device/${kiosk.id}/scripting/options`, h);
    const restart = options.body.scripts.find((s: any) => s.name === 'Restart-WindowsService');
    const run = await call('POST', `/ninja/v2/device/${kiosk.id}/script/run`, { ...h, 'content-type': 'application/json' },
      json({ type: 'SCRIPT', id: restart.id, parameters: '-serviceName MESClientAgent', runAs: 'system' }));
    expect(run.status).toBe(204);
    const first = await call('GET', `/ninja/v2/device/${kiosk.id}/activities?type=ACTION`, h);
    const requested = first.body.activities.find((a: any) => a.statusCode === 'START_REQUESTED');
    expect(requested.sourceName).toBe('Restart-WindowsService');
    const series = requested.seriesUid;
    await sleep(400);
    const done = await call('GET', `/ninja/v2/device/${kiosk.id}/activities?seriesUid=${series}`, h);
    expect(done.body.activities[0]).toMatchObject({ statusCode: 'COMPLETED', activityResult: 'SUCCESS', sourceName: 'Restart-WindowsService' });
    // A poller reading only newer activities sees the rest of the run.
    const newer = await call('GET', `/ninja/v2/device/${kiosk.id}/activities?newerThan=${requested.id}`, h);
    expect(newer.body.activities.map((a: any) => a.statusCode).sort()).toEqual(['COMPLETED', 'STARTED']);
    const after = await call('GET', `/ninja/v2/device/${kiosk.id}/windows-services`, h);
    expect(after.body.find((s: any) => s.name === 'MESClientAgent').state).toBe('RUNNING');
  });

  it('refuses to run on an offline device, and a job fails when its device drops offline', async () => {
    const h = await ninjaToken();
    const devices = await call('GET', '/ninja/v2/devices', h);
    const offline = devices.body.find((d: any) => d.systemName === 'TSP-KIOSK-03');
    expect(offline.offline).toBe(true);
    const refused = await call('POST', `/ninja/v2/device/${offline.id}/script/run`, { ...h, 'content-type': 'application/json' }, json({ type: 'SCRIPT', id: 32 }));
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe('DEVICE_OFFLINE');

    // A long job, so the device surely drops before the job is due even on a loaded machine.
    await admin('/rmm/config', { jobMs: 1500 });
    const kiosk1 = devices.body.find((d: any) => d.systemName === 'TSP-KIOSK-01');
    const refresh = (await call('GET', `/ninja/v2/device/${kiosk1.id}/scripting/options`, h)).body.scripts.find((s: any) => s.name === 'Refresh-SoftwareInventory');
    expect((await call('POST', `/ninja/v2/device/${kiosk1.id}/script/run`, { ...h, 'content-type': 'application/json' }, json({ type: 'SCRIPT', id: refresh.id }))).status).toBe(204);
    await admin('/devices/TSP-KIOSK-01/online', { online: false });
    await sleep(1600);
    const acts = await call('GET', `/ninja/v2/device/${kiosk1.id}/activities`, h);
    expect(acts.body.activities[0]).toMatchObject({ statusCode: 'COMPLETED', activityResult: 'FAILURE' });
  });

  it('fires an alert webhook to the URL registered through PUT /v2/webhook', async () => {
    const got: any[] = [];
    const server: Server = createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        got.push({ headers: req.headers, body: JSON.parse(b) });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const h = await ninjaToken();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      expect((await call('PUT', '/ninja/v2/webhook', { ...h, 'content-type': 'application/json' }, json({ url, headers: [{ name: 'x-hook-key', value: 'k1' }] }))).status).toBe(204);
      const fired = await admin('/rmm/ninjaone/alerts', { hostname: 'CDG-CH-SRV01', message: 'Service ClearViewBridge stopped' });
      expect(fired.body.deliveredTo).toEqual([url]);
      expect(got).toHaveLength(1);
      expect(got[0].headers['x-hook-key']).toBe('k1');
      expect(got[0].body).toMatchObject({ activityType: 'CONDITION', statusCode: 'TRIGGERED', message: 'Service ClearViewBridge stopped' });
      expect(typeof got[0].body.deviceId).toBe('number');
    } finally {
      server.close();
      await call('DELETE', '/admin/rmm/ninjaone/webhooks');
    }
  });
});

describe('Datto RMM', () => {
  const specPath = join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'api-specs', 'datto-rmm-v2.openapi.json');
  const haveSpec = existsSync(specPath);
  let validate: (name: string, value: unknown) => void = () => undefined;
  beforeAll(() => {
    if (!haveSpec) {
      console.warn(`Datto OpenAPI description not found at ${specPath}: responses are not validated against it`);
      return;
    }
    const spec = JSON.parse(readFileSync(specPath, 'utf8')) as { components: unknown };
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'datto', components: spec.components });
    validate = (name, value) => {
      const v = name.endsWith('[]')
        ? ajv.compile({ type: 'array', items: { $ref: `datto#/components/schemas/${name.slice(0, -2)}` } })
        : ajv.getSchema(`datto#/components/schemas/${name}`);
      if (!v) throw new Error(`no schema ${name}`);
      if (!v(value)) throw new Error(`${name} does not match the Datto OpenAPI description: ${ajv.errorsText(v.errors)}`);
    };
  });

  it('refuses a wrong API secret and calls without a token', async () => {
    const r = await call('POST', '/datto/auth/oauth/token', {
      'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('public-client:public').toString('base64')}`,
    }, 'grant_type=password&username=sandbox-datto-key&password=wrong');
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_grant');
    expect((await call('GET', '/datto/api/v2/account/sites')).status).toBe(401);
  });

  (haveSpec ? it : it.skip)('serves responses that match the Datto OpenAPI description', async () => {
    const h = await dattoToken();
    const sites = await call('GET', '/datto/api/v2/account/sites', h);
    validate('SitesPage', sites.body);
    expect(sites.body.sites.map((s: any) => s.uid).sort()).toEqual(['site-102', 'site-104']);
    const devices = await call('GET', '/datto/api/v2/site/site-102/devices?max=5&page=0', h);
    validate('DevicesPage', devices.body);
    expect(devices.body.pageDetails.nextPageUrl).toContain('page=1');
    const dc = devices.body.devices.find((d: any) => d.hostname === 'WC-DC01');
    validate('Device', (await call('GET', `/datto/api/v2/device/${dc.uid}`, h)).body);
    validate('DeviceAudit', (await call('GET', `/datto/api/v2/audit/device/${dc.uid}`, h)).body);
    validate('SoftwarePage', (await call('GET', `/datto/api/v2/audit/device/${dc.uid}/software`, h)).body);
    const comps = await call('GET', '/datto/api/v2/account/components', h);
    validate('ComponentsPage', comps.body);
    validate('Account', (await call('GET', '/datto/api/v2/account', h)).body);
    const refresh = comps.body.components.find((c: any) => c.name === 'Refresh-SoftwareInventory');
    const created = await call('PUT', `/datto/api/v2/device/${dc.uid}/quickjob`, { ...h, 'content-type': 'application/json' },
      json({ jobName: 'inventory', jobComponent: { componentUid: refresh.uid, variables: [] } }));
    validate('CreateQuickJobResponse', created.body);
    validate('Job', (await call('GET', `/datto/api/v2/job/${created.body.job.uid}`, h)).body);
    await sleep(400);
    validate('JobResults', (await call('GET', `/datto/api/v2/job/${created.body.job.uid}/results/${dc.uid}`, h)).body);
    validate('JobStdData[]', (await call('GET', `/datto/api/v2/job/${created.body.job.uid}/results/${dc.uid}/stdout`, h)).body);
  });

  it('runs Unlock-ADAccount on WC-DC01 as a quick job polled to completion, and clears the lockout', async () => {
    const h = await dattoToken();
    const user = await sbx.store.get<{ lockedOut: boolean }>('user', 'ethan.marsh@whitfieldcrane-law.example');
    if (!user) throw new Error('seed changed: ethan.marsh is expected at Whitfield & Crane');
    await sbx.store.patch('user', 'ethan.marsh@whitfieldcrane-law.example', { lockedOut: true });
    const devices = await call('GET', '/datto/api/v2/site/site-102/devices', h);
    const dc = devices.body.devices.find((d: any) => d.hostname === 'WC-DC01');
    const unlock = (await call('GET', '/datto/api/v2/account/components', h)).body.components.find((c: any) => c.name === 'Unlock-ADAccount');
    const created = await call('PUT', `/datto/api/v2/device/${dc.uid}/quickjob`, { ...h, 'content-type': 'application/json' },
      json({ jobName: 'Unlock ethan.marsh', jobComponent: { componentUid: unlock.uid, variables: [{ name: 'samAccountName', value: 'ethan.marsh' }] } }));
    expect(created.status).toBe(200);
    expect(created.body.job.status).toBe('active');
    const uid = created.body.job.uid;
    let status = '';
    for (let i = 0; i < 20 && status !== 'completed'; i++) {
      await sleep(100);
      status = (await call('GET', `/datto/api/v2/job/${uid}`, h)).body.status;
    }
    expect(status).toBe('completed');
    const results = await call('GET', `/datto/api/v2/job/${uid}/results/${dc.uid}`, h);
    expect(results.body.jobDeploymentStatus).toBe('Success');
    const out = await call('GET', `/datto/api/v2/job/${uid}/results/${dc.uid}/stdout`, h);
    expect(out.body[0].stdData).toContain('now False');
    expect((await sbx.store.get<{ lockedOut: boolean }>('user', 'ethan.marsh@whitfieldcrane-law.example'))?.lockedOut).toBe(false);
  });

  it('fires a Datto-shaped alert webhook to a URL registered through the admin API', async () => {
    const got: any[] = [];
    const server: Server = createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        got.push(JSON.parse(b));
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/datto-hook`;
      expect((await admin('/rmm/datto/webhooks', { url })).status).toBe(201);
      await sbx.reset();
      const fired = await admin('/rmm/datto/alerts', { hostname: 'AB-LT-OPETROVA', message: 'Service Spooler is STOPPED', category: 'Service' });
      expect(fired.body.deliveredTo).toEqual([url]);
      expect(got[0]).toMatchObject({ device_hostname: 'AB-LT-OPETROVA', site_uid: 'site-104', alert_message: 'Service Spooler is STOPPED', alert_resolved: false });
      expect(got[0].device_uid).toMatch(/^[0-9a-f-]{36}$/);
      expect((await admin('/rmm/datto/alerts', { hostname: 'CDG-CH-SRV01', message: 'x' })).status).toBe(404);
    } finally {
      server.close();
      await call('DELETE', '/admin/rmm/datto/webhooks');
    }
  });

  it('lets a job for an offline device expire, and shows stopped services as open alerts', async () => {
    const h = await dattoToken();
    const devices = (await call('GET', '/datto/api/v2/site/site-104/devices', h)).body.devices;
    const temp = devices.find((d: any) => d.hostname === 'AB-WS-TEMP01');
    expect(temp.online).toBe(false);
    const refresh = (await call('GET', '/datto/api/v2/account/components', h)).body.components.find((c: any) => c.name === 'Refresh-SoftwareInventory');
    const created = await call('PUT', `/datto/api/v2/device/${temp.uid}/quickjob`, { ...h, 'content-type': 'application/json' },
      json({ jobName: 'inventory', jobComponent: { componentUid: refresh.uid, variables: [] } }));
    await sleep(400);
    const results = await call('GET', `/datto/api/v2/job/${created.body.job.uid}/results/${temp.uid}`, h);
    expect(results.body.jobDeploymentStatus).toBe('Expired');

    const laptop = devices.find((d: any) => d.hostname === 'AB-LT-OPETROVA');
    const open = await call('GET', `/datto/api/v2/device/${laptop.uid}/alerts/open`, h);
    expect(open.body.alerts.map((a: any) => a.alertContext.processName)).toEqual(['Spooler']);
  });
});
