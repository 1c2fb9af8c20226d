import { z } from 'zod';
import { RmmConnection } from '../config/connections';
import { VendorError, VendorNotFoundError, VendorResponseError } from '../http/errors';
import { HttpClient } from '../http/http-client';
import { parseBody } from '../docs/docs-common';
import { OAuthTokenCache } from '../http/oauth-token';
import { RmmDeviceOfflineError, RmmScriptNotFoundError } from './rmm-errors';
import type { RmmClient, RmmDevice, RmmJob } from './rmm-client';
import { type RmmClientOptions, scriptParameterString, worldDeviceType } from './rmm-common';

type NinjaConnection = Extract<RmmConnection, { system: 'ninjaone' }>;

const Device = z.object({
  id: z.number(),
  organizationId: z.number().optional(),
  nodeClass: z.string().optional(),
  offline: z.boolean(),
  displayName: z.string().optional(),
  systemName: z.string().optional(),
  lastContact: z.number().nullable().optional(),
  os: z.object({ name: z.string().nullable().optional() }).nullable().optional(),
  system: z.object({ serialNumber: z.string().nullable().optional(), chassisType: z.string().nullable().optional() }).nullable().optional(),
  fields: z.record(z.string(), z.unknown()).nullable().optional(),
});
const Activity = z.object({
  id: z.number(),
  seriesUid: z.string().nullable().optional(),
  statusCode: z.string().nullable().optional(),
  activityResult: z.string().nullable().optional(),
  sourceName: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
  data: z.object({ message: z.object({ params: z.record(z.string(), z.unknown()).optional() }).optional() }).nullable().optional(),
});
const Activities = z.object({ activities: z.array(Activity) });
const Scripts = z.object({ scripts: z.array(z.object({ type: z.string(), id: z.number().nullable().optional(), name: z.string() })) });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * NinjaOne (public API v2, OAuth client credentials, token cached and refreshed on 401). One organization per
 * MSP client. Scripts run with `POST /v2/device/{id}/script/run` (204, no body); the run is then found among
 * the device's activities, and its `seriesUid` is the job id that `getJob` follows.
 */
export class NinjaOneRmmClient implements RmmClient {
  readonly system = 'ninjaone' as const;
  private readonly http: HttpClient;
  /** Script runs are never retried by the HTTP layer: a retried POST could run a script twice. */
  private readonly once: HttpClient;
  private readonly tokens: OAuthTokenCache;
  private readonly pageSize: number;
  private scriptIds: Map<string, number> | null = null;

  constructor(private readonly conn: NinjaConnection, private readonly clientIdentifier: string, opts: RmmClientOptions = {}) {
    const base = { vendor: 'ninjaone', baseUrl: conn.baseUrl, timeoutMs: opts.timeoutMs, onCall: opts.observe };
    const auth = new HttpClient({ ...base, retry: opts.retry });
    this.tokens = new OAuthTokenCache(auth, () => ({
      path: '/ws/oauth/token',
      form: { grant_type: 'client_credentials', client_id: conn.clientId, client_secret: conn.clientSecret, scope: 'monitoring management control' },
    }));
    this.http = new HttpClient({ ...base, retry: opts.retry, authorize: (force) => this.tokens.headers(force) });
    this.once = new HttpClient({ ...base, retry: { ...opts.retry, attempts: 1 }, authorize: (force) => this.tokens.headers(force) });
    this.pageSize = opts.pageSize ?? 200;
  }

  async listDevices(clientIdentifier: string): Promise<RmmDevice[]> {
    if (clientIdentifier.toLowerCase() !== this.clientIdentifier.toLowerCase()) throw new Error(`ninjaone adapter serves ${this.clientIdentifier}, not ${clientIdentifier}`);
    const out: RmmDevice[] = [];
    for (let after = 0; ;) {
      const res = await this.http.request({
        method: 'GET', path: '/v2/devices-detailed', query: { df: `org = ${this.conn.organizationId}`, pageSize: this.pageSize, after: after || undefined },
      });
      const page = parseBody('ninjaone', z.array(Device), res.body, 'device list');
      out.push(...page.map((d) => this.toDevice(d)));
      if (page.length < this.pageSize) return out;
      after = page[page.length - 1].id;
    }
  }

  async findDevice(hostnameOrSerial: string): Promise<RmmDevice | null> {
    const key = hostnameOrSerial.trim().toLowerCase();
    return (await this.listDevices(this.clientIdentifier)).find((d) => d.hostname.toLowerCase() === key || d.serial?.toLowerCase() === key) ?? null;
  }

  async listSoftware(deviceId: string): Promise<Array<{ name: string; version: string | null }>> {
    const res = await this.http.request({ method: 'GET', path: `/v2/device/${encodeURIComponent(deviceId)}/software` });
    const list = parseBody('ninjaone', z.array(z.object({ name: z.string(), version: z.string().nullable().optional() })), res.body, 'software');
    return list.map((s) => ({ name: s.name, version: s.version ?? null }));
  }

  async listServices(deviceId: string): Promise<Array<{ name: string; status: 'running' | 'stopped' }>> {
    const res = await this.http.request({ method: 'GET', path: `/v2/device/${encodeURIComponent(deviceId)}/windows-services` });
    const list = parseBody('ninjaone', z.array(z.object({ name: z.string(), state: z.string() })), res.body, 'windows services');
    return list.map((s) => ({ name: s.name, status: s.state.toUpperCase() === 'RUNNING' ? 'running' : 'stopped' }));
  }

  async runScript(deviceId: string, script: string, parameters: Record<string, string>): Promise<RmmJob> {
    const device = await this.getDevice(deviceId);
    if (!device.online) throw new RmmDeviceOfflineError(`ninjaone: device ${device.hostname} is offline`, 'ninjaone', null);
    const scriptId = await this.scriptId(deviceId, script);
    const last = await this.activities(deviceId, { type: 'ACTION', pageSize: 1 });
    const lastId = last[0]?.id ?? 0;
    try {
      await this.once.request({
        method: 'POST', path: `/v2/device/${encodeURIComponent(deviceId)}/script/run`,
        json: { type: 'SCRIPT', id: scriptId, parameters: scriptParameterString(parameters), runAs: 'system' },
      });
    } catch (e) {
      if (e instanceof VendorError && e.status === 400 && /DEVICE_OFFLINE|offline/i.test(e.body ?? '')) {
        throw new RmmDeviceOfflineError(`ninjaone: device ${device.hostname} is offline`, 'ninjaone', 400, e.body);
      }
      throw e;
    }
    // The run answers 204 without an id: find its START_REQUESTED activity (a few tries: activities are indexed asynchronously).
    for (let attempt = 0; attempt < 5; attempt++) {
      const fresh = await this.activities(deviceId, { type: 'ACTION', newerThan: lastId, pageSize: 50 });
      const mine = fresh.filter((a) => a.sourceName === script && a.statusCode === 'START_REQUESTED' && a.seriesUid).sort((a, b) => a.id - b.id)[0];
      if (mine?.seriesUid) return { id: mine.seriesUid, deviceId, script, status: 'pending', output: null };
      await sleep(100 * (attempt + 1));
    }
    throw new VendorResponseError(`ninjaone: the run of ${script} on ${device.hostname} left no activity`, 'ninjaone', null, null);
  }

  async getJob(jobId: string, deviceId: string): Promise<RmmJob> {
    const acts = await this.activities(deviceId, { seriesUid: jobId, pageSize: 50 });
    if (!acts.length) throw new VendorNotFoundError(`ninjaone: no job ${jobId} on device ${deviceId}`, 'ninjaone', 404, null);
    const latest = [...acts].sort((a, b) => b.id - a.id)[0];
    const script = latest.sourceName ?? '';
    if (latest.statusCode === 'COMPLETED') {
      const params = latest.data?.message?.params ?? {};
      const output = typeof params.output === 'string' ? params.output : latest.message ?? null;
      return { id: jobId, deviceId, script, status: latest.activityResult === 'SUCCESS' ? 'succeeded' : 'failed', output };
    }
    return { id: jobId, deviceId, script, status: latest.statusCode === 'STARTED' ? 'running' : 'pending', output: null };
  }

  /** A device of this client's organization; another client's device is not found (never acted on). */
  private async getDevice(deviceId: string): Promise<RmmDevice> {
    const res = await this.http.request({ method: 'GET', path: `/v2/device/${encodeURIComponent(deviceId)}` });
    const d = parseBody('ninjaone', Device, res.body, 'device');
    if (d.organizationId !== undefined && String(d.organizationId) !== this.conn.organizationId) {
      throw new VendorNotFoundError(`ninjaone: device ${deviceId} is not in organization ${this.conn.organizationId}`, 'ninjaone', 404, null);
    }
    return this.toDevice(d);
  }

  private async scriptId(deviceId: string, name: string): Promise<number> {
    if (!this.scriptIds?.has(name)) {
      const res = await this.http.request({ method: 'GET', path: `/v2/device/${encodeURIComponent(deviceId)}/scripting/options` });
      const { scripts } = parseBody('ninjaone', Scripts, res.body, 'scripting options');
      this.scriptIds = new Map(scripts.filter((s) => s.type === 'SCRIPT' && typeof s.id === 'number').map((s) => [s.name, s.id as number]));
    }
    const id = this.scriptIds.get(name);
    if (id === undefined) throw new RmmScriptNotFoundError(`ninjaone: script ${name} is not in the library`, 'ninjaone', null);
    return id;
  }

  private async activities(deviceId: string, query: Record<string, string | number>): Promise<Array<z.infer<typeof Activity>>> {
    const res = await this.http.request({ method: 'GET', path: `/v2/device/${encodeURIComponent(deviceId)}/activities`, query });
    return parseBody('ninjaone', Activities, res.body, 'activities').activities;
  }

  private toDevice(d: z.infer<typeof Device>): RmmDevice {
    const assetTag = d.fields?.assetTag;
    return {
      id: String(d.id), hostname: d.systemName ?? d.displayName ?? String(d.id), clientIdentifier: this.clientIdentifier,
      serial: d.system?.serialNumber ?? null, assetTag: typeof assetTag === 'string' ? assetTag : null, os: d.os?.name ?? null,
      type: worldDeviceType(d.nodeClass ?? null, d.system?.chassisType ?? null), online: !d.offline,
      lastSeen: typeof d.lastContact === 'number' ? new Date(d.lastContact * 1000).toISOString() : null,
    };
  }
}

