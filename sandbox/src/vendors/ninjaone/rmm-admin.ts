import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { Kinds } from '../../core/seed';
import { deviceUid, PLATFORM, siteUid } from '../datto/datto-shapes';
import { ACTIVITY_SEQ, JOB_KIND, type JobRecord, jobDurationMs, setJobDurationMs } from './rmm-jobs';
import type { RmmVendor, StoredDevice } from './rmm-state';
import { revokeTokens } from './tokens';
import { deliverAlert, registerWebhook, removeWebhooks, WEBHOOK_KIND, webhooksOf } from './webhooks';

/**
 * Test controls for the RMMs, mounted at `/admin/rmm` (not part of any vendor API):
 *   GET/POST /admin/rmm/config               {jobMs}: how long a script job takes
 *   POST /admin/rmm/:system/revoke-tokens     every issued bearer token stops working (adapters must re-auth)
 *   GET/POST/DELETE /admin/rmm/:system/webhooks   {url, headers?}: alert webhook registrations
 *   POST /admin/rmm/:system/alerts            {hostname, message, subject?, severity?, priority?, category?, resolved?}
 *                                             fires the vendor's alert webhook payload at every registration
 *   GET  /admin/rmm/jobs?hostname=            script jobs with their outcome (assertions)
 */
const SYSTEMS: RmmVendor[] = ['ninjaone', 'datto'];

function systemOf(req: Request, res: Response): RmmVendor | null {
  const s = String(req.params.system) as RmmVendor;
  if (!SYSTEMS.includes(s)) {
    res.status(404).json({ message: `unknown RMM ${s}; one of ${SYSTEMS.join(', ')}` });
    return null;
  }
  return s;
}

const str = (v: unknown, def: string) => (typeof v === 'string' && v.trim() ? v : def);

/** `id` comes from the activity sequence: every alert is a distinct activity (receivers deduplicate on it). */
function ninjaAlert(d: StoredDevice, b: Record<string, unknown>, id: number) {
  const now = Date.now();
  return {
    id, activityTime: Math.floor(now / 1000), deviceId: d.id, seriesUid: randomUUID(),
    activityType: 'CONDITION', statusCode: b.resolved === true ? 'RESET' : 'TRIGGERED', status: b.resolved === true ? 'RESET' : 'TRIGGERED',
    activityResult: 'SUCCESS', sourceConfigUid: randomUUID(), sourceName: str(b.sourceName, 'Condition'), subject: str(b.subject, str(b.message, 'Alert')),
    message: str(b.message, 'Alert'), type: 'CONDITION', severity: str(b.severity, 'MAJOR'), priority: str(b.priority, 'HIGH'),
    data: { message: { code: str(b.code, 'condition_triggered'), params: { device: d.hostname } } },
  };
}

function dattoAlert(ctx: SandboxContext, d: StoredDevice, b: Record<string, unknown>) {
  const c = ctx.world.clients.find((x) => x.identifier === d.clientIdentifier);
  return {
    device_id: String(d.id), device_uid: deviceUid(d.id), device_hostname: d.hostname, device_os: d.os, device_description: d.assetTag,
    device_ip: `10.${(c?.id ?? 0) % 256}.0.${d.id % 250}`, last_user: d.ownerUpn?.split('@')[0] ?? '', site_id: String(c?.id ?? ''),
    site_uid: c ? siteUid(c) : '', sitename: c?.name ?? '', alertuid: randomUUID(), alert_type: str(b.type, 'status_ctx'),
    alert_category: str(b.category, 'Service'), platform: PLATFORM, alert: str(b.subject, str(b.message, 'Alert')), alert_message: str(b.message, 'Alert'),
    alert_resolved: b.resolved === true, state: b.resolved === true ? 'resolved' : 'open',
  };
}

export function mountRmmAdmin(ctx: SandboxContext): Router {
  ctx.store.keepOnReset(WEBHOOK_KIND);
  const r = express.Router();

  r.get('/config', (_req, res) => void res.json({ jobMs: jobDurationMs() }));
  r.post('/config', (req, res) => {
    const ms = Number((req.body as { jobMs?: unknown } | undefined)?.jobMs);
    if (!Number.isFinite(ms) || ms < 0 || ms > 600_000) return void res.status(400).json({ message: 'jobMs must be a number of milliseconds in [0, 600000]' });
    setJobDurationMs(ms);
    res.json({ jobMs: jobDurationMs() });
  });

  r.get('/jobs', async (req, res, next) => {
    try {
      const host = typeof req.query.hostname === 'string' ? req.query.hostname.toLowerCase() : undefined;
      const jobs = await ctx.store.list<JobRecord>(JOB_KIND);
      const devices = new Map((await ctx.store.list<StoredDevice>(Kinds.device)).map((d) => [d.id, d.hostname]));
      res.json(jobs.map((j) => ({ ...j, hostname: devices.get(j.deviceId) ?? null })).filter((j) => !host || j.hostname?.toLowerCase() === host).sort((a, b) => a.seq - b.seq));
    } catch (e) {
      next(e);
    }
  });

  r.post('/:system/revoke-tokens', (req, res) => {
    const system = systemOf(req, res);
    if (system) res.json({ revoked: revokeTokens(system) });
  });

  r.get('/:system/webhooks', async (req, res, next) => {
    const system = systemOf(req, res);
    if (system) webhooksOf(ctx, system).then((w) => res.json(w), next);
  });
  r.post('/:system/webhooks', async (req, res, next) => {
    const system = systemOf(req, res);
    if (!system) return;
    const b = (req.body ?? {}) as { url?: unknown; headers?: unknown };
    if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url)) return void res.status(400).json({ message: 'url (http or https) is required' });
    const headers: Record<string, string> = {};
    if (b.headers && typeof b.headers === 'object') for (const [k, v] of Object.entries(b.headers)) if (typeof v === 'string') headers[k] = v;
    registerWebhook(ctx, system, b.url, headers, false).then(() => res.status(201).json({ system, url: b.url, headers }), next);
  });
  r.delete('/:system/webhooks', async (req, res, next) => {
    const system = systemOf(req, res);
    if (system) removeWebhooks(ctx, system).then((n) => res.json({ removed: n }), next);
  });

  r.post('/:system/alerts', async (req, res, next) => {
    try {
      const system = systemOf(req, res);
      if (!system) return;
      const b = (req.body ?? {}) as Record<string, unknown>;
      if (typeof b.hostname !== 'string') return void res.status(400).json({ message: 'hostname is required' });
      const host = b.hostname.toLowerCase();
      const d = (await ctx.store.list<StoredDevice>(Kinds.device)).find((x) => x.hostname.toLowerCase() === host);
      const client = d && ctx.world.clients.find((c) => c.identifier === d.clientIdentifier);
      if (!d || client?.systems.rmm !== system) return void res.status(404).json({ message: `${system} manages no device ${b.hostname}` });
      const payload = system === 'ninjaone' ? ninjaAlert(d, b, await ctx.store.nextId(ACTIVITY_SEQ)) : dattoAlert(ctx, d, b);
      const deliveredTo = await deliverAlert(ctx, system, payload);
      res.json({ deliveredTo, payload });
    } catch (e) {
      next(e);
    }
  });

  return r;
}
