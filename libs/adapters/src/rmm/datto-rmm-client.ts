import { z } from 'zod';
import { RmmConnection } from '../config/connections';
import { VendorNotFoundError } from '../http/errors';
import { HttpClient } from '../http/http-client';
import { parseBody } from '../docs/docs-common';
import { OAuthTokenCache } from '../http/oauth-token';
import { RmmDeviceOfflineError, RmmScriptNotFoundError } from './rmm-errors';
import type { RmmClient, RmmDevice, RmmJob } from './rmm-client';
import { type RmmClientOptions, worldDeviceType } from './rmm-common';

type DattoConnection = Extract<RmmConnection, { system: 'datto' }>;

const PageDetails = z.object({ nextPageUrl: z.string().nullable().optional() }).optional();
const Device = z.object({
  uid: z.string(),
  hostname: z.string(),
  siteUid: z.string().optional(),
  operatingSystem: z.string().nullable().optional(),
  online: z.boolean(),
  lastSeen: z.union([z.string(), z.number()]).nullable().optional(),
  deviceType: z.object({ category: z.string().nullable().optional(), type: z.string().nullable().optional() }).nullable().optional(),
  deviceClass: z.string().nullable().optional(),
  udf: z.record(z.string(), z.string().nullable()).nullable().optional(),
});
const DevicesPage = z.object({ pageDetails: PageDetails, devices: z.array(Device) });
const SoftwarePage = z.object({ pageDetails: PageDetails, software: z.array(z.object({ name: z.string(), version: z.string().nullable().optional() })) });
const ComponentsPage = z.object({ pageDetails: PageDetails, components: z.array(z.object({ uid: z.string(), name: z.string() })) });
const Alert = z.object({
  resolved: z.boolean().optional(),
  alertContext: z.object({ '@class': z.string(), processName: z.string().optional(), status: z.string().optional() }).passthrough().nullable().optional(),
});
const AlertsPage = z.object({ pageDetails: PageDetails, alerts: z.array(Alert) });
const QuickJob = z.object({ job: z.object({ uid: z.string(), name: z.string().optional(), status: z.string().optional() }) });
const JobResults = z.object({
  jobDeploymentStatus: z.string(),
  componentResults: z.array(z.object({ componentName: z.string().optional(), hasStdOut: z.boolean().optional(), hasStdErr: z.boolean().optional() })).optional(),
});
const StdData = z.array(z.object({ stdData: z.string().nullable().optional() }));
const JobComponents = z.object({ jobComponents: z.array(z.object({ name: z.string() })) });
const Audit = z.object({ bios: z.object({ serialNumber: z.string().nullable().optional() }).nullable().optional() });

/**
 * Datto RMM (API v2; token from `/auth/oauth/token` with the public client and the API key/secret as a
 * password grant, cached and refreshed on 401). One site per MSP client. Scripts are components started
 * as quick jobs; `getJob` reads `/job/{uid}/results/{deviceUid}` and the job's stdout/stderr.
 * Device ids are Datto device UIDs. Datto exposes no Windows service inventory: `listServices` reports
 * what the service monitors say (open `status_ctx` alerts = stopped, resolved ones = running again), so a
 * service that never stopped nor was restarted is absent from the list (unknown, not missing).
 */
export class DattoRmmClient implements RmmClient {
  readonly system = 'datto' as const;
  private readonly http: HttpClient;
  /** Quick jobs are never retried by the HTTP layer: a retried PUT would start a second job. */
  private readonly once: HttpClient;
  private readonly tokens: OAuthTokenCache;
  private readonly pageSize: number;
  private components: Map<string, string> | null = null;
  private readonly jobScripts = new Map<string, string>();

  constructor(private readonly conn: DattoConnection, private readonly clientIdentifier: string, opts: RmmClientOptions = {}) {
    const base = { vendor: 'datto', baseUrl: conn.baseUrl, timeoutMs: opts.timeoutMs, onCall: opts.observe };
    const auth = new HttpClient({ ...base, retry: opts.retry });
    this.tokens = new OAuthTokenCache(auth, () => ({
      path: '/auth/oauth/token',
      form: { grant_type: 'password', username: conn.apiKey, password: conn.apiSecret },
      headers: { authorization: `Basic ${Buffer.from('public-client:public').toString('base64')}` },
    }));
    this.http = new HttpClient({ ...base, retry: opts.retry, authorize: (force) => this.tokens.headers(force) });
    this.once = new HttpClient({ ...base, retry: { ...opts.retry, attempts: 1 }, authorize: (force) => this.tokens.headers(force) });
    this.pageSize = Math.min(opts.pageSize ?? 250, 250);
  }

  async listDevices(clientIdentifier: string): Promise<RmmDevice[]> {
    if (clientIdentifier.toLowerCase() !== this.clientIdentifier.toLowerCase()) throw new Error(`datto adapter serves ${this.clientIdentifier}, not ${clientIdentifier}`);
    const devices = await this.pages(`/api/v2/site/${encodeURIComponent(this.conn.siteUid)}/devices`, DevicesPage, (p) => p.devices, 'device list');
    return devices.map((d) => this.toDevice(d));
  }

  async findDevice(hostnameOrSerial: string): Promise<RmmDevice | null> {
    const key = hostnameOrSerial.trim().toLowerCase();
    const devices = await this.listDevices(this.clientIdentifier);
    const byName = devices.find((d) => d.hostname.toLowerCase() === key);
    if (byName) return byName;
    // Serial numbers live in the device audit (BIOS), one call per agent device.
    for (const d of devices.filter((x) => x.type !== 'printer' && x.type !== 'firewall')) {
      const res = await this.http.request({ method: 'GET', path: `/api/v2/audit/device/${encodeURIComponent(d.id)}` });
      const serial = parseBody('datto', Audit, res.body, 'device audit').bios?.serialNumber;
      if (serial && serial.toLowerCase() === key) return { ...d, serial };
    }
    return null;
  }

  async listSoftware(deviceId: string): Promise<Array<{ name: string; version: string | null }>> {
    const list = await this.pages(`/api/v2/audit/device/${encodeURIComponent(deviceId)}/software`, SoftwarePage, (p) => p.software, 'software');
    return list.map((s) => ({ name: s.name, version: s.version ?? null }));
  }

  async listServices(deviceId: string): Promise<Array<{ name: string; status: 'running' | 'stopped' }>> {
    const path = (which: string) => `/api/v2/device/${encodeURIComponent(deviceId)}/alerts/${which}`;
    const [open, resolved] = await Promise.all([
      this.pages(path('open'), AlertsPage, (p) => p.alerts, 'open alerts'),
      this.pages(path('resolved'), AlertsPage, (p) => p.alerts, 'resolved alerts'),
    ]);
    const state = new Map<string, 'running' | 'stopped'>();
    for (const a of resolved) if (a.alertContext?.['@class'] === 'status_ctx' && a.alertContext.processName) state.set(a.alertContext.processName, 'running');
    for (const a of open) if (a.alertContext?.['@class'] === 'status_ctx' && a.alertContext.processName) state.set(a.alertContext.processName, a.alertContext.status === 'RUNNING' ? 'running' : 'stopped');
    return [...state].map(([name, status]) => ({ name, status }));
  }

  async runScript(deviceId: string, script: string, parameters: Record<string, string>): Promise<RmmJob> {
    const res = await this.http.request({ method: 'GET', path: `/api/v2/device/${encodeURIComponent(deviceId)}` });
    const device = parseBody('datto', Device, res.body, 'device');
    if (device.siteUid !== undefined && device.siteUid !== this.conn.siteUid) {
      throw new VendorNotFoundError(`datto: device ${deviceId} is not in site ${this.conn.siteUid}`, 'datto', 404, null);
    }
    // Datto would queue the job until it expires; the desk wants to know now.
    if (!device.online) throw new RmmDeviceOfflineError(`datto: device ${device.hostname} is offline`, 'datto', null);
    const componentUid = await this.componentUid(script);
    const created = await this.once.request({
      method: 'PUT', path: `/api/v2/device/${encodeURIComponent(deviceId)}/quickjob`,
      json: { jobName: `Desk: ${script}`, jobComponent: { componentUid, variables: Object.entries(parameters).map(([name, value]) => ({ name, value })) } },
    });
    const { job } = parseBody('datto', QuickJob, created.body, 'quick job');
    this.jobScripts.set(job.uid, script);
    return { id: job.uid, deviceId, script, status: 'pending', output: null };
  }

  async getJob(jobId: string, deviceId: string): Promise<RmmJob> {
    const base = `/api/v2/job/${encodeURIComponent(jobId)}/results/${encodeURIComponent(deviceId)}`;
    const res = await this.http.request({ method: 'GET', path: base });
    const r = parseBody('datto', JobResults, res.body, 'job results');
    const script = r.componentResults?.[0]?.componentName ?? (await this.jobScript(jobId));
    const status = r.jobDeploymentStatus;
    if (status === 'Pending') return { id: jobId, deviceId, script, status: 'pending', output: null };
    if (status === 'Running') return { id: jobId, deviceId, script, status: 'running', output: null };
    const ok = status === 'Success' || status === 'Warning';
    const parts: string[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const has = r.componentResults?.some((c) => (stream === 'stdout' ? c.hasStdOut : c.hasStdErr));
      if (!has) continue;
      const out = await this.http.request({ method: 'GET', path: `${base}/${stream}` });
      parts.push(...parseBody('datto', StdData, out.body, stream).map((s) => s.stdData ?? '').filter(Boolean));
    }
    const output = parts.length ? parts.join('\n') : status === 'Expired' ? 'Job expired: the device did not come online in time.' : null;
    return { id: jobId, deviceId, script, status: ok ? 'succeeded' : 'failed', output };
  }

  private async jobScript(jobId: string): Promise<string> {
    const known = this.jobScripts.get(jobId);
    if (known) return known;
    try {
      const res = await this.http.request({ method: 'GET', path: `/api/v2/job/${encodeURIComponent(jobId)}/components` });
      return parseBody('datto', JobComponents, res.body, 'job components').jobComponents[0]?.name ?? '';
    } catch (e) {
      if (e instanceof VendorNotFoundError) return '';
      throw e;
    }
  }

  private async componentUid(script: string): Promise<string> {
    if (!this.components?.has(script)) {
      const list = await this.pages('/api/v2/account/components', ComponentsPage, (p) => p.components, 'components');
      this.components = new Map(list.map((c) => [c.name, c.uid]));
    }
    const uid = this.components.get(script);
    if (!uid) throw new RmmScriptNotFoundError(`datto: component ${script} is not in the account`, 'datto', null);
    return uid;
  }

  /** Every item of a paged list, following `pageDetails.nextPageUrl` (absolute, carries `page` and `max`). */
  private async pages<P extends { pageDetails?: { nextPageUrl?: string | null } }, T>(
    path: string, schema: z.ZodType<P>, items: (p: P) => T[], what: string,
  ): Promise<T[]> {
    const out: T[] = [];
    let next: string | null = path;
    let query: Record<string, number> | undefined = { max: this.pageSize, page: 0 };
    while (next) {
      const res: { body: unknown } = await this.http.request({ method: 'GET', path: next, query });
      const page: P = parseBody('datto', schema, res.body, what);
      const got = items(page);
      out.push(...got);
      next = got.length ? page.pageDetails?.nextPageUrl ?? null : null;
      query = undefined;
    }
    return out;
  }

  private toDevice(d: z.infer<typeof Device>): RmmDevice {
    const cls = d.deviceType?.type === 'Firewall' ? 'FIREWALL' : d.deviceClass === 'printer' ? 'PRINTER' : d.deviceType?.category ?? null;
    const lastSeen = d.lastSeen == null ? null : typeof d.lastSeen === 'number' ? new Date(d.lastSeen).toISOString() : d.lastSeen;
    return {
      id: d.uid, hostname: d.hostname, clientIdentifier: this.clientIdentifier, serial: null, assetTag: d.udf?.udf1 ?? null,
      os: d.operatingSystem ?? null, type: worldDeviceType(cls, null), online: d.online, lastSeen,
    };
  }
}

