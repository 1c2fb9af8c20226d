import { startTestSandbox } from '../../../../sandbox/test/sandbox-harness';
import {
  createRmmClient, DattoRmmClient, NinjaOneRmmClient, RmmClient, RmmDeviceOfflineError, RmmJob, RmmScriptNotFoundError, VendorAuthError,
  VendorNotFoundError, VendorUnavailableError,
} from '@desk/adapters';

type Sb = Awaited<ReturnType<typeof startTestSandbox>>;
const fast = { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ninjaConn = (sb: Sb, organizationId: string, clientSecret = 'sandbox-ninja-secret') =>
  ({ system: 'ninjaone', baseUrl: `${sb.url}/ninja`, clientId: 'sandbox-ninja-client', clientSecret, organizationId }) as const;
const dattoConn = (sb: Sb, siteUid: string, apiSecret = 'sandbox-datto-secret') =>
  ({ system: 'datto', baseUrl: `${sb.url}/datto`, apiKey: 'sandbox-datto-key', apiSecret, siteUid }) as const;

async function untilDone(rmm: RmmClient, job: RmmJob): Promise<{ final: RmmJob; seen: Set<string> }> {
  const seen = new Set<string>([job.status]);
  for (let i = 0; i < 100; i++) {
    const j = await rmm.getJob(job.id, job.deviceId);
    seen.add(j.status);
    if (j.status === 'succeeded' || j.status === 'failed') return { final: j, seen };
    await sleep(50);
  }
  throw new Error(`job ${job.id} did not finish`);
}

async function admin(sb: Sb, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${sb.url}/admin${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`admin ${path}: ${res.status}`);
}

describe('RMM adapters against the sandbox', () => {
  let sb: Sb;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => {
    await sb?.stop();
  });
  beforeEach(async () => {
    await sb.reset();
    await admin(sb, '/rmm/config', { jobMs: 300 });
  });

  describe('NinjaOne', () => {
    let rmm: NinjaOneRmmClient;
    beforeEach(() => {
      rmm = new NinjaOneRmmClient(ninjaConn(sb, '101'), 'ContosoDental', { ...fast, pageSize: 3 });
    });

    it('pages through the organization\'s devices and finds one by hostname or serial', async () => {
      const devices = await rmm.listDevices('ContosoDental');
      expect(devices.length).toBeGreaterThan(3);
      expect(new Set(devices.map((d) => d.id)).size).toBe(devices.length);
      expect(devices.every((d) => d.hostname.startsWith('CDG-') && d.clientIdentifier === 'ContosoDental')).toBe(true);
      const offline = devices.find((d) => d.hostname === 'CDG-LV-OP2');
      expect(offline?.online).toBe(false);
      const server = await rmm.findDevice('cdg-ch-srv01');
      expect(server).toMatchObject({ hostname: 'CDG-CH-SRV01', type: 'server', online: true });
      expect(await rmm.findDevice(server!.serial!)).toMatchObject({ id: server!.id });
      expect(await rmm.findDevice('WC-DC01')).toBeNull();
    });

    it('installs a catalog title: job runs through pending/running to succeeded and the inventory shows it', async () => {
      const device = (await rmm.findDevice('CDG-LT-KONEIL'))!;
      const before = await rmm.listSoftware(device.id);
      expect(before.find((s) => s.name === 'Zoom Workplace')).toBeUndefined();
      // Long enough that polling surely sees the running phase on a loaded machine.
      await admin(sb, '/rmm/config', { jobMs: 1200 });
      const job = await rmm.runScript(device.id, 'Install-ZoomWorkplace', {});
      expect(job.status).toBe('pending');
      const { final, seen } = await untilDone(rmm, job);
      expect(final).toMatchObject({ status: 'succeeded', script: 'Install-ZoomWorkplace' });
      expect(final.output).toContain('Installed Zoom Workplace');
      expect(seen.has('running')).toBe(true);
      const after = await rmm.listSoftware(device.id);
      expect(after.find((s) => s.name === 'Zoom Workplace')?.version).toBeTruthy();
      const runs = await sb.calls.list({ vendor: 'ninjaone', pathContains: '/script/run' });
      expect(runs).toHaveLength(1);
    });

    it('restarts a stopped service and reports a missing one as a failed job', async () => {
      const server = (await rmm.findDevice('CDG-CH-SRV01'))!;
      expect((await rmm.listServices(server.id)).find((s) => s.name === 'ClearViewBridge')?.status).toBe('stopped');
      const ok = await untilDone(rmm, await rmm.runScript(server.id, 'Restart-WindowsService', { serviceName: 'ClearViewBridge' }));
      expect(ok.final.status).toBe('succeeded');
      expect((await rmm.listServices(server.id)).find((s) => s.name === 'ClearViewBridge')?.status).toBe('running');
      const bad = await untilDone(rmm, await rmm.runScript(server.id, 'Restart-WindowsService', { serviceName: 'NoSuchSvc' }));
      expect(bad.final.status).toBe('failed');
      expect(bad.final.output).toContain("Cannot find any service with service name 'NoSuchSvc'");
    });

    it('fails fast with a typed error on an offline device, and types an unknown script', async () => {
      const offline = (await rmm.findDevice('CDG-LV-OP2'))!;
      await expect(rmm.runScript(offline.id, 'Refresh-SoftwareInventory', {})).rejects.toBeInstanceOf(RmmDeviceOfflineError);
      const online = (await rmm.findDevice('CDG-CH-SRV01'))!;
      await expect(rmm.runScript(online.id, 'Format-Everything', {})).rejects.toBeInstanceOf(RmmScriptNotFoundError);
      // A device of another client in the same NinjaOne tenant is never acted on.
      const tailspin = (await new NinjaOneRmmClient(ninjaConn(sb, '103'), 'TailspinMfg', fast).findDevice('TSP-SRV-APP01'))!;
      await expect(rmm.runScript(tailspin.id, 'Refresh-SoftwareInventory', {})).rejects.toBeInstanceOf(VendorNotFoundError);
      expect(await sb.calls.list({ vendor: 'ninjaone', pathContains: '/script/run' })).toHaveLength(0);
    });

    it('fetches a new token after the old one is revoked (401), and rejects bad credentials', async () => {
      await rmm.listDevices('ContosoDental');
      await admin(sb, '/rmm/ninjaone/revoke-tokens', {});
      expect((await rmm.listDevices('ContosoDental')).length).toBeGreaterThan(0);
      const tokenCalls = await sb.calls.list({ vendor: 'ninjaone', pathContains: '/ws/oauth/token' });
      expect(tokenCalls).toHaveLength(2);
      const wrong = new NinjaOneRmmClient(ninjaConn(sb, '101', 'nope'), 'ContosoDental', fast);
      await expect(wrong.listDevices('ContosoDental')).rejects.toBeInstanceOf(VendorAuthError);
    });

    it('retries a 429 then succeeds, and gives up on lasting 5xx with a typed error', async () => {
      await rmm.listDevices('ContosoDental');
      sb.ctx.faults.add({ vendor: 'ninjaone', kind: 'rate_limit', value: 1, count: 1, pathContains: '/v2/' });
      const started = Date.now();
      expect((await rmm.listDevices('ContosoDental')).length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      sb.ctx.faults.add({ vendor: 'ninjaone', kind: 'server_error', value: 502, count: 10, pathContains: '/v2/' });
      await expect(rmm.listDevices('ContosoDental')).rejects.toBeInstanceOf(VendorUnavailableError);
    });
  });

  describe('Datto RMM', () => {
    let rmm: DattoRmmClient;
    beforeEach(() => {
      rmm = new DattoRmmClient(dattoConn(sb, 'site-102'), 'WhitfieldCrane', { ...fast, pageSize: 5 });
    });

    it('pages through the site\'s devices, finds by hostname and serial, reads software', async () => {
      const devices = await rmm.listDevices('WhitfieldCrane');
      expect(devices).toHaveLength(12);
      const dc = await rmm.findDevice('WC-DC01');
      expect(dc).toMatchObject({ type: 'server', online: true });
      expect((await rmm.findDevice('J7KD3Q3'))?.id).toBe(dc!.id);
      expect((await rmm.listSoftware(dc!.id)).map((s) => s.name)).toContain('Microsoft Entra Connect Sync');
    });

    it('reinstalls LexFile on an out-of-date laptop: quick job polled to completion, inventory at catalog version', async () => {
      const laptop = (await rmm.findDevice('WC-LT-DOKORO'))!;
      const before = (await rmm.listSoftware(laptop.id)).find((s) => s.name === 'LexFile DMS Client');
      expect(before?.version).not.toBe('10.3');
      const job = await rmm.runScript(laptop.id, 'Reinstall-CatalogSoftware', { softwareName: 'LexFile DMS Client' });
      const { final } = await untilDone(rmm, job);
      expect(final).toMatchObject({ status: 'succeeded', script: 'Reinstall-CatalogSoftware' });
      expect(final.output).toContain('LexFile DMS Client 10.3 installed');
      expect((await rmm.listSoftware(laptop.id)).find((s) => s.name === 'LexFile DMS Client')?.version).toBe('10.3');
    });

    it('unlocks an AD account on the domain controller; the identity state shows it', async () => {
      await sb.store.patch('user', 'daniel.kim@whitfieldcrane-law.example', { lockedOut: true });
      const dc = (await rmm.findDevice('WC-DC01'))!;
      const { final } = await untilDone(rmm, await rmm.runScript(dc.id, 'Unlock-ADAccount', { samAccountName: 'daniel.kim' }));
      expect(final.status).toBe('succeeded');
      expect((await sb.store.get<{ lockedOut: boolean }>('user', 'daniel.kim@whitfieldcrane-law.example'))?.lockedOut).toBe(false);
    });

    it('reports service state from the service monitors', async () => {
      const alder = new DattoRmmClient(dattoConn(sb, 'site-104'), 'AlderBrooksCPA', fast);
      const laptop = (await alder.findDevice('AB-LT-OPETROVA'))!;
      expect(await alder.listServices(laptop.id)).toEqual([{ name: 'Spooler', status: 'stopped' }]);
      const { final } = await untilDone(alder, await alder.runScript(laptop.id, 'Clear-PrintQueue', { printerName: '' }));
      expect(final.status).toBe('succeeded');
      expect(await alder.listServices(laptop.id)).toEqual([{ name: 'Spooler', status: 'running' }]);
      // A service that was already running shows up once a restart went through its monitor.
      const dc = (await rmm.findDevice('WC-DC01'))!;
      expect((await rmm.listServices(dc.id)).find((x) => x.name === 'DNS')).toBeUndefined();
      expect((await untilDone(rmm, await rmm.runScript(dc.id, 'Restart-WindowsService', { serviceName: 'DNS' }))).final.status).toBe('succeeded');
      expect((await rmm.listServices(dc.id)).find((x) => x.name === 'DNS')).toEqual({ name: 'DNS', status: 'running' });
    });

    it('fails fast on an offline device; a device dropping offline mid-job ends failed', async () => {
      const alder = new DattoRmmClient(dattoConn(sb, 'site-104'), 'AlderBrooksCPA', fast);
      const temp = (await alder.findDevice('AB-WS-TEMP01'))!;
      await expect(alder.runScript(temp.id, 'Refresh-SoftwareInventory', {})).rejects.toBeInstanceOf(RmmDeviceOfflineError);
      const srv = (await alder.findDevice('AB-SRV01'))!;
      // A long job, so the device surely drops before the job is due even on a loaded machine.
      await admin(sb, '/rmm/config', { jobMs: 1500 });
      const job = await alder.runScript(srv.id, 'Refresh-SoftwareInventory', {});
      await admin(sb, '/devices/AB-SRV01/online', { online: false });
      const { final } = await untilDone(alder, job);
      expect(final.status).toBe('failed');
    });

    it('re-authenticates after revocation, rejects a bad secret, retries 429, gives up on 5xx', async () => {
      await rmm.listDevices('WhitfieldCrane');
      await admin(sb, '/rmm/datto/revoke-tokens', {});
      expect(await rmm.listDevices('WhitfieldCrane')).toHaveLength(12);
      await expect(new DattoRmmClient(dattoConn(sb, 'site-102', 'nope'), 'WhitfieldCrane', fast).listDevices('WhitfieldCrane')).rejects.toBeInstanceOf(VendorAuthError);
      sb.ctx.faults.add({ vendor: 'datto', kind: 'rate_limit', value: 1, count: 1, pathContains: '/api/v2/' });
      expect(await rmm.listDevices('WhitfieldCrane')).toHaveLength(12);
      sb.ctx.faults.add({ vendor: 'datto', kind: 'server_error', value: 503, count: 10, pathContains: '/api/v2/' });
      await expect(rmm.listDevices('WhitfieldCrane')).rejects.toBeInstanceOf(VendorUnavailableError);
    });
  });

  it('createRmmClient picks the vendor from configuration', () => {
    expect(createRmmClient(ninjaConn(sb, '103'), 'TailspinMfg').system).toBe('ninjaone');
    expect(createRmmClient(dattoConn(sb, 'site-104'), 'AlderBrooksCPA').system).toBe('datto');
  });
});
