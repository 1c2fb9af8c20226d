import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { stringParam } from '../itglue/query';
import { ninjaActivities, ninjaDevice, ninjaDeviceDetailed, ninjaScript, ninjaServices, ninjaSoftware, nodeClass } from './ninja-shapes';
import { jobsOfDevice, startJob, withActivityIds } from './rmm-jobs';
import { clientsOn, deviceOn, devicesOn, scripts, type StoredDevice } from './rmm-state';
import { registerWebhook, removeWebhooks, WEBHOOK_KIND } from './webhooks';
import { basicCredentials, checkBearer, issueToken } from './tokens';

/**
 * NinjaOne public API v2. `POST /ws/oauth/token` (client_credentials) issues a bearer token for `/v2`.
 * Devices: `/v2/devices`, `/v2/devices-detailed` (`df` device filter, `pageSize`, `after` = last device id),
 * `/v2/device/{id}`, `/software`, `/windows-services`, `/scripting/options`; `POST /script/run` answers 204
 * and the job is followed through `/v2/device/{id}/activities` (seriesUid = the run). Running on an offline
 * device is refused (400, `DEVICE_OFFLINE`). `PUT /v2/webhook` registers the alert webhook.
 */
const CLIENT_ID = process.env.SANDBOX_NINJA_CLIENT_ID ?? 'sandbox-ninja-client';
const CLIENT_SECRET = process.env.SANDBOX_NINJA_CLIENT_SECRET ?? 'sandbox-ninja-secret';

const failure = (res: Response, status: number, errorMessage: string, resultCode = 'FAILURE') =>
  void res.status(status).json({ resultCode, errorMessage, incidentId: `sbx-${Date.now().toString(36)}` });

/** Device filter (`df`): clauses joined by AND — `org = 1`, `org in (1,2)`, `class = X`, `class in (...)`, `id = N`, `online`, `offline`. */
export function parseDeviceFilter(df: string | undefined): ((d: StoredDevice, orgId: number) => boolean) | null {
  if (!df || !df.trim()) return () => true;
  const tests: Array<(d: StoredDevice, orgId: number) => boolean> = [];
  for (const raw of df.split(/\s+AND\s+/i)) {
    const c = raw.trim();
    if (/^online$/i.test(c)) tests.push((d) => d.online);
    else if (/^offline$/i.test(c)) tests.push((d) => !d.online);
    else {
      const m = /^(org|class|id)\s*(=|!=|in)\s*(?:\(([^)]*)\)|(\S+))$/i.exec(c);
      if (!m) return null;
      const values = (m[3] ?? m[4]).split(',').map((v) => v.trim()).filter(Boolean);
      const field = m[1].toLowerCase();
      const negate = m[2] === '!=';
      const value = (d: StoredDevice, orgId: number) => (field === 'org' ? String(orgId) : field === 'id' ? String(d.id) : nodeClass(d));
      tests.push((d, orgId) => values.includes(value(d, orgId)) !== negate);
    }
  }
  return (d, orgId) => tests.every((t) => t(d, orgId));
}

/** Parses a script's parameter string: `-Name value -Other "two words"`. */
export function parseScriptParameters(s: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /-(\w+)(?:\s+(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s-][^\s]*)))?/g;
  let m: RegExpExecArray | null;
  while (s && (m = re.exec(s))) out[m[1]] = (m[2]?.replace(/\\(.)/g, '$1') ?? m[3] ?? m[4] ?? 'true');
  return out;
}

export function mountNinjaOne(ctx: SandboxContext): Router {
  ctx.store.keepOnReset(WEBHOOK_KIND);
  const r = express.Router();
  const orgOf = (d: StoredDevice) => ctx.world.clients.find((c) => c.identifier === d.clientIdentifier)?.id ?? 0;
  const wrap = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };

  // `/ws/oauth/token` is the documented endpoint; `/oauth/token` is the older path some clients still use.
  r.post(['/ws/oauth/token', '/oauth/token'], (req, res) => {
    const b = (typeof req.body === 'object' && req.body ? req.body : {}) as Record<string, unknown>;
    const basic = basicCredentials(req.get('authorization'));
    const id = typeof b.client_id === 'string' ? b.client_id : basic?.user;
    const secret = typeof b.client_secret === 'string' ? b.client_secret : basic?.password;
    res.locals.callBody = { grant_type: b.grant_type, client_id: id, scope: b.scope };
    if (b.grant_type !== 'client_credentials') return void res.status(400).json({ error: 'unsupported_grant_type' });
    if (id !== CLIENT_ID || secret !== CLIENT_SECRET) return void res.status(401).json({ error: 'invalid_client', error_description: 'Bad client credentials' });
    res.locals.principal = id;
    const { token, expiresIn } = issueToken('ninjaone', id);
    res.json({ access_token: token, expires_in: expiresIn, scope: typeof b.scope === 'string' ? b.scope : 'monitoring management control', token_type: 'Bearer' });
  });

  r.use('/v2', (req, res, next) => {
    const principal = checkBearer('ninjaone', req.get('authorization'));
    if (!principal) return void res.status(401).json({ error: 'invalid_token', error_description: 'Access token expired or invalid' });
    res.locals.principal = principal;
    next();
  });

  r.get('/v2/organizations', (_req, res) => {
    const orgs = ctx.world.clients.filter((c) => clientsOn(ctx, 'ninjaone').includes(c.identifier));
    res.json(orgs.map((c) => ({ id: c.id, name: c.name, description: c.identifier, nodeApprovalMode: 'AUTOMATIC', tags: [], fields: {} })));
  });

  const listDevices = (detailed: boolean) => wrap(async (req, res) => {
    const filter = parseDeviceFilter(stringParam(req, 'df'));
    if (!filter) return failure(res, 400, `Invalid device filter: ${stringParam(req, 'df')}`);
    const after = Number(stringParam(req, 'after') ?? 0) || 0;
    const pageSize = Number(stringParam(req, 'pageSize') ?? 0) || Number.MAX_SAFE_INTEGER;
    const devices = (await devicesOn(ctx, 'ninjaone')).filter((d) => d.id > after && filter(d, orgOf(d))).slice(0, pageSize);
    res.json(devices.map((d) => (detailed ? ninjaDeviceDetailed(ctx, d) : ninjaDevice(ctx, d))));
  });
  r.get('/v2/devices', listDevices(false));
  r.get('/v2/devices-detailed', listDevices(true));

  r.get('/v2/organization/:id/devices', wrap(async (req, res) => {
    const c = ctx.world.clients.find((x) => String(x.id) === req.params.id && x.systems.rmm === 'ninjaone');
    if (!c) return failure(res, 404, 'Organization not found');
    res.json((await devicesOn(ctx, 'ninjaone', c.identifier)).map((d) => ninjaDevice(ctx, d)));
  }));

  const withDevice = (fn: (d: StoredDevice, req: Request, res: Response) => Promise<void> | void) => wrap(async (req, res) => {
    const d = await deviceOn(ctx, 'ninjaone', Number(req.params.id));
    if (!d) return failure(res, 404, `Device ${String(req.params.id)} not found`);
    await fn(d, req, res);
  });

  r.get('/v2/device/:id', withDevice((d, _req, res) => void res.json(ninjaDeviceDetailed(ctx, d))));
  r.get('/v2/device/:id/software', withDevice((d, _req, res) => void res.json(ninjaSoftware(d))));
  r.get('/v2/device/:id/windows-services', withDevice((d, req, res) => {
    const name = stringParam(req, 'name')?.toLowerCase();
    const state = stringParam(req, 'state')?.toUpperCase();
    res.json(ninjaServices(d).filter((s) => (!name || s.name.toLowerCase().includes(name)) && (!state || s.state === state)));
  }));
  r.get('/v2/device/:id/scripting/options', withDevice((_d, _req, res) => {
    res.json({ categories: [{ id: 1, name: 'Harborline L1 Automation', internal: false }], scripts: scripts(ctx).map(ninjaScript) });
  }));

  r.post('/v2/device/:id/script/run', withDevice(async (d, req, res) => {
    const b = (typeof req.body === 'object' && req.body ? req.body : {}) as Record<string, unknown>;
    if (b.type !== 'SCRIPT') return failure(res, 400, `Unsupported run type ${String(b.type)}: only SCRIPT is available in this library`);
    const index = scripts(ctx).findIndex((_s, i) => i + 1 === Number(b.id));
    if (index < 0) return failure(res, 400, `Script ${String(b.id)} not found`);
    if (!d.online) return failure(res, 400, `Device ${d.hostname} is offline`, 'DEVICE_OFFLINE');
    if (d.type === 'printer' || d.type === 'firewall') return failure(res, 400, `Scripts cannot run on ${nodeClass(d)} devices`);
    await startJob(ctx, 'ninjaone', d, String(d.id), scripts(ctx)[index].name, parseScriptParameters(typeof b.parameters === 'string' ? b.parameters : undefined));
    res.status(204).end();
  }));

  r.get('/v2/device/:id/activities', withDevice(async (d, req, res) => {
    const idOf = (name: string) => scripts(ctx).findIndex((s) => s.name === name) + 1;
    const jobs: Awaited<ReturnType<typeof jobsOfDevice>> = [];
    for (const j of await jobsOfDevice(ctx, 'ninjaone', d.id)) jobs.push(await withActivityIds(ctx, j));
    let acts = jobs.flatMap((j) => ninjaActivities(j, idOf(j.script)));
    const num = (k: string) => (stringParam(req, k) !== undefined ? Number(stringParam(req, k)) : undefined);
    const olderThan = num('olderThan');
    const newerThan = num('newerThan');
    const type = stringParam(req, 'type');
    const status = stringParam(req, 'status');
    const series = stringParam(req, 'seriesUid');
    acts = acts.filter((a) => (olderThan === undefined || (a.id as number) < olderThan) && (newerThan === undefined || (a.id as number) > newerThan)
      && (!type || a.activityType === type) && (!status || a.statusCode === status) && (!series || a.seriesUid === series));
    acts.sort((a, b) => (b.id as number) - (a.id as number));
    const pageSize = num('pageSize') || 200;
    const page = acts.slice(0, pageSize);
    res.json({ lastActivityId: page.length ? page[page.length - 1].id : null, activities: page });
  }));

  r.put('/v2/webhook', wrap(async (req, res) => {
    const b = (typeof req.body === 'object' && req.body ? req.body : {}) as Record<string, unknown>;
    if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url)) return failure(res, 400, 'url is required');
    const headers: Record<string, string> = {};
    if (Array.isArray(b.headers)) for (const h of b.headers as Array<{ name?: unknown; value?: unknown }>) if (typeof h.name === 'string' && typeof h.value === 'string') headers[h.name] = h.value;
    await registerWebhook(ctx, 'ninjaone', b.url, headers, true);
    res.status(204).end();
  }));
  r.delete('/v2/webhook', wrap(async (_req, res) => {
    await removeWebhooks(ctx, 'ninjaone');
    res.status(204).end();
  }));

  r.use((req, res) => failure(res, 404, `No route ${req.method} ${req.path}`));
  return r;
}
