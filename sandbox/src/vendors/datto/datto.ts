import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import type { Client } from '../../core/world';
import { stringParam } from '../itglue/query';
import { readJob, startJob } from '../ninjaone/rmm-jobs';
import { deviceOn, devicesOn, scripts, type StoredDevice } from '../ninjaone/rmm-state';
import { basicCredentials, checkBearer, issueToken } from '../ninjaone/tokens';
import { ACCOUNT_UID, componentJson, componentUid, deviceJson, deviceUid, jobJson, jobResultsJson, portalUrl, serviceAlerts, siteJson, siteUid } from './datto-shapes';

/**
 * Datto RMM API v2. `POST /auth/oauth/token` (Basic `public-client:public`, password grant with the API key
 * and secret) issues a bearer token for `/api/v2`. Lists are pages (`page` from 0, `max`) with `pageDetails`.
 * Scripts are components (`/account/components`); `PUT /device/{uid}/quickjob` starts one, and
 * `/job/{uid}`, `/job/{uid}/results/{deviceUid}` (+ `/stdout`, `/stderr`) follow it. A job for an offline
 * device stays Pending and ends Expired. Windows service state shows through the service monitors'
 * alerts (`/device/{uid}/alerts/open|resolved`, `status_ctx`).
 */
const API_KEY = process.env.SANDBOX_DATTO_API_KEY ?? 'sandbox-datto-key';
const API_SECRET = process.env.SANDBOX_DATTO_API_SECRET ?? 'sandbox-datto-secret';
const MAX_PAGE = 250;

function pageOf<T>(req: Request, items: T[]): { slice: T[]; pageDetails: Record<string, unknown> } {
  const page = Math.max(0, Number(stringParam(req, 'page') ?? 0) || 0);
  const max = Math.min(MAX_PAGE, Math.max(1, Number(stringParam(req, 'max') ?? MAX_PAGE) || MAX_PAGE));
  const slice = items.slice(page * max, (page + 1) * max);
  const url = (p: number) => `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${req.path}?max=${max}&page=${p}`;
  const pageDetails: Record<string, unknown> = { count: slice.length, totalCount: items.length };
  if ((page + 1) * max < items.length) pageDetails.nextPageUrl = url(page + 1);
  if (page > 0) pageDetails.prevPageUrl = url(page - 1);
  return { slice, pageDetails };
}

export function mountDatto(ctx: SandboxContext): Router {
  const r = express.Router();
  const sites = (): Client[] => ctx.world.clients.filter((c) => c.systems.rmm === 'datto');
  const portal = (req: Request, path: string) => portalUrl(req, path);
  const wrap = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };
  const notFound = (res: Response, what: string) => void res.status(404).json({ message: `${what} was not found.` });

  r.post('/auth/oauth/token', (req, res) => {
    const b = (typeof req.body === 'object' && req.body ? req.body : {}) as Record<string, unknown>;
    res.locals.callBody = { grant_type: b.grant_type, username: b.username };
    const client = basicCredentials(req.get('authorization'));
    if (client?.user !== 'public-client' || client.password !== 'public') return void res.status(401).json({ error: 'unauthorized', error_description: 'Full authentication is required to access this resource' });
    if (b.grant_type !== 'password') return void res.status(400).json({ error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${String(b.grant_type)}` });
    if (b.username !== API_KEY || b.password !== API_SECRET) return void res.status(400).json({ error: 'invalid_grant', error_description: 'Bad credentials' });
    res.locals.principal = API_KEY;
    const { token, expiresIn } = issueToken('datto', API_KEY);
    res.json({ access_token: token, token_type: 'bearer', expires_in: expiresIn, scope: 'default', jti: token.slice(0, 12) });
  });

  r.use('/api/v2', (req, res, next) => {
    const principal = checkBearer('datto', req.get('authorization'));
    if (!principal) return void res.status(401).json({ error: 'invalid_token', error_description: 'Invalid access token' });
    res.locals.principal = principal;
    next();
  });

  r.get('/api/v2/account', wrap(async (_req, res) => {
    const all = await devicesOn(ctx, 'datto');
    const online = all.filter((d) => d.online).length;
    res.json({
      id: 1, uid: ACCOUNT_UID, name: ctx.world.msp.name, currency: 'USD',
      devicesStatus: { numberOfDevices: all.length, numberOfOnlineDevices: online, numberOfOfflineDevices: all.length - online, numberOfOnDemandDevices: 0, numberOfManagedDevices: all.length },
    });
  }));

  r.get('/api/v2/account/sites', wrap(async (req, res) => {
    const list = await Promise.all(sites().map(async (c) => siteJson(c, await devicesOn(ctx, 'datto', c.identifier), portal(req, `/site/${siteUid(c)}`))));
    const { slice, pageDetails } = pageOf(req, list);
    res.json({ pageDetails, sites: slice });
  }));

  r.get('/api/v2/site/:siteUid', wrap(async (req, res) => {
    const c = sites().find((x) => siteUid(x) === req.params.siteUid);
    if (!c) return notFound(res, 'Site');
    res.json(siteJson(c, await devicesOn(ctx, 'datto', c.identifier), portal(req, `/site/${siteUid(c)}`)));
  }));

  r.get('/api/v2/site/:siteUid/devices', wrap(async (req, res) => {
    const c = sites().find((x) => siteUid(x) === req.params.siteUid);
    if (!c) return notFound(res, 'Site');
    const { slice, pageDetails } = pageOf(req, await devicesOn(ctx, 'datto', c.identifier));
    res.json({ pageDetails, devices: slice.map((d) => deviceJson(ctx, d, portal(req, `/device/${deviceUid(d.id)}`))) });
  }));

  r.get('/api/v2/account/devices', wrap(async (req, res) => {
    const { slice, pageDetails } = pageOf(req, await devicesOn(ctx, 'datto'));
    res.json({ pageDetails, devices: slice.map((d) => deviceJson(ctx, d, portal(req, `/device/${deviceUid(d.id)}`))) });
  }));

  const byUid = async (uid: string): Promise<StoredDevice | null> => {
    const m = /^00000001-0000-4000-8000-(\d{12})$/.exec(uid);
    return m ? deviceOn(ctx, 'datto', Number(m[1])) : null;
  };
  const withDevice = (fn: (d: StoredDevice, req: Request, res: Response) => Promise<void> | void) => wrap(async (req, res) => {
    const d = await byUid(String(req.params.deviceUid));
    if (!d) return notFound(res, 'Device');
    await fn(d, req, res);
  });

  r.get('/api/v2/device/id/:id', wrap(async (req, res) => {
    const d = await deviceOn(ctx, 'datto', Number(req.params.id));
    if (!d) return notFound(res, 'Device');
    res.json(deviceJson(ctx, d, portal(req, `/device/${deviceUid(d.id)}`)));
  }));
  r.get('/api/v2/device/:deviceUid', withDevice((d, req, res) => void res.json(deviceJson(ctx, d, portal(req, `/device/${deviceUid(d.id)}`)))));

  r.get('/api/v2/audit/device/:deviceUid', withDevice((d, req, res) => {
    if (d.type === 'printer' || d.type === 'firewall') return void res.status(400).json({ message: 'The device identified by the given device UID is not of class device.' });
    res.json({
      portalUrl: portal(req, `/device/${deviceUid(d.id)}`),
      systemInfo: { manufacturer: d.type === 'laptop' ? 'Lenovo' : 'Dell Inc.', model: d.type, totalPhysicalMemory: 17_179_869_184, username: d.ownerUpn?.split('@')[0] ?? 'SYSTEM', dotNetVersion: '4.8.1', totalCpuCores: 8 },
      bios: { instance: 'BIOS', serialNumber: d.serial, smBiosVersion: '3.4' },
      nics: [], displays: [], logicalDisks: [], mobileInfo: [], processors: [], physicalMemory: [], videoBoards: [], attachedDevices: [],
    });
  }));

  r.get('/api/v2/audit/device/:deviceUid/software', withDevice((d, req, res) => {
    if (d.type === 'printer' || d.type === 'firewall') return void res.status(400).json({ message: 'The device identified by the given device UID is not of class device.' });
    const { slice, pageDetails } = pageOf(req, d.installedSoftware.map((s) => ({ name: s.name, version: s.version })));
    res.json({ pageDetails, software: slice });
  }));

  r.get('/api/v2/device/:deviceUid/alerts/:which', withDevice((d, req, res) => {
    if (req.params.which !== 'open' && req.params.which !== 'resolved') return notFound(res, 'Resource');
    const c = sites().find((x) => x.identifier === d.clientIdentifier);
    const { slice, pageDetails } = pageOf(req, serviceAlerts(d, req.params.which === 'resolved', { uid: c ? siteUid(c) : '', name: c?.name ?? '' }));
    res.json({ pageDetails, alerts: slice });
  }));

  r.get('/api/v2/account/components', (req, res) => {
    const { slice, pageDetails } = pageOf(req, scripts(ctx).map(componentJson));
    res.json({ pageDetails, components: slice });
  });

  r.put('/api/v2/device/:deviceUid/quickjob', withDevice(async (d, req, res) => {
    const b = (typeof req.body === 'object' && req.body ? req.body : {}) as { jobName?: unknown; jobComponent?: { componentUid?: unknown; variables?: unknown } };
    if (typeof b.jobName !== 'string' || !b.jobComponent || typeof b.jobComponent.componentUid !== 'string') {
      return void res.status(400).json({ message: 'Request data is invalid: jobName and jobComponent.componentUid are required.' });
    }
    const index = scripts(ctx).findIndex((_s, i) => componentUid(i) === b.jobComponent?.componentUid);
    if (index < 0) return void res.status(400).json({ message: `Component ${b.jobComponent.componentUid} was not found.` });
    if (d.type === 'printer' || d.type === 'firewall') return void res.status(400).json({ message: 'Quick jobs run only on devices of class device.' });
    const vars: Record<string, string> = {};
    if (Array.isArray(b.jobComponent.variables)) {
      for (const v of b.jobComponent.variables as Array<{ name?: unknown; value?: unknown }>) if (typeof v.name === 'string') vars[v.name] = String(v.value ?? '');
    }
    const script = scripts(ctx)[index];
    const job = await startJob(ctx, 'datto', d, deviceUid(d.id), script.name, vars);
    res.json({
      job: { ...jobJson(job), name: b.jobName },
      jobComponents: [{ uid: componentUid(index), name: script.name, variables: Object.entries(vars).map(([name, value]) => ({ name, value })) }],
    });
  }));

  const withJob = (fn: (job: NonNullable<Awaited<ReturnType<typeof readJob>>>, req: Request, res: Response) => void) => wrap(async (req, res) => {
    const job = await readJob(ctx, String(req.params.jobUid));
    if (!job || job.system !== 'datto') return notFound(res, 'Job');
    if (req.params.deviceUid !== undefined && job.deviceUid !== req.params.deviceUid) return notFound(res, 'Job result');
    fn(job, req, res);
  });
  const compOf = (script: string) => componentUid(Math.max(0, scripts(ctx).findIndex((s) => s.name === script)));

  r.get('/api/v2/job/:jobUid', withJob((job, _req, res) => void res.json(jobJson(job))));
  r.get('/api/v2/job/:jobUid/components', withJob((job, _req, res) => {
    res.json({ pageDetails: { count: 1, totalCount: 1 }, jobComponents: [{ uid: compOf(job.script), name: job.script, variables: Object.entries(job.parameters).map(([name, value]) => ({ name, value })) }] });
  }));
  r.get('/api/v2/job/:jobUid/results/:deviceUid', withJob((job, _req, res) => void res.json(jobResultsJson(job, compOf(job.script)))));
  r.get('/api/v2/job/:jobUid/results/:deviceUid/:stream', withJob((job, req, res) => {
    if (req.params.stream !== 'stdout' && req.params.stream !== 'stderr') return notFound(res, 'Resource');
    const text = req.params.stream === 'stdout' ? job.stdout : job.stderr;
    res.json(job.state === 'done' && text ? [{ componentUid: compOf(job.script), componentName: job.script, stdData: text }] : []);
  }));

  r.use((req, res) => notFound(res, `Resource ${req.method} ${req.path}`));
  return r;
}
