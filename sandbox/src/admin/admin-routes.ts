import express, { type Request, type Response, type Router } from 'express';
import type { FaultKind, FaultRule, SandboxContext } from '../core/context';
import type { Device } from '../core/world';
import { Kinds } from '../core/seed';
import type { SandboxRuntime } from '../core/runtime';

const FAULT_KINDS: FaultKind[] = ['latency', 'rate_limit', 'server_error', 'timeout'];
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number.isFinite(Number(v)) ? Number(v) : undefined);

/** Validates a fault rule from the admin API; `durationMs` is a convenience for `until`. */
function parseFault(body: unknown): FaultRule | string {
  if (typeof body !== 'object' || body === null) return 'body must be a JSON object';
  const b = body as Record<string, unknown>;
  const vendor = str(b.vendor);
  if (!vendor) return 'vendor is required';
  if (!FAULT_KINDS.includes(b.kind as FaultKind)) return `kind must be one of ${FAULT_KINDS.join(', ')}`;
  const durationMs = num(b.durationMs);
  return {
    vendor, kind: b.kind as FaultKind, value: num(b.value), count: num(b.count) ?? null,
    until: num(b.until) ?? (durationMs !== undefined ? Date.now() + durationMs : null), pathContains: str(b.pathContains) ?? null, method: str(b.method) ?? null, skip: num(b.skip) ?? null,
  };
}

/** Test and demo controls: reset, call log, faults, device state, health. Not part of any vendor API. */
export function adminRouter(ctx: SandboxContext, rt: SandboxRuntime, extra: Array<(r: Router) => void> = []): Router {
  const r = express.Router();
  r.use(express.json());

  r.get('/health', async (_req, res) => {
    const started = Date.now();
    const devices = await ctx.store.count(Kinds.device);
    res.json({ status: 'ok', schema: rt.schema, vendors: rt.vendors, devices, dbMs: Date.now() - started, loadMs: rt.loadMs, baseUrl: ctx.baseUrl });
  });

  r.post('/reset', async (req: Request, res: Response) => {
    const started = Date.now();
    const everything = (req.body as { everything?: unknown } | undefined)?.everything === true;
    await rt.reset({ everything });
    res.json({ ok: true, ms: Date.now() - started });
  });

  r.get('/calls', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    res.json(await ctx.calls.list({ vendor: str(q.vendor), sinceSeq: num(q.sinceSeq), method: str(q.method), pathContains: str(q.pathContains) }));
  });

  r.get('/faults', (_req, res) => {
    res.json(ctx.faults.list());
  });
  r.post('/faults', (req, res) => {
    const rule = parseFault(req.body);
    if (typeof rule === 'string') return void res.status(400).json({ message: rule });
    ctx.faults.add(rule);
    res.status(201).json(rule);
  });
  r.delete('/faults', (req, res) => {
    ctx.faults.clear(str((req.query as Record<string, unknown>).vendor));
    res.status(204).end();
  });

  r.get('/outbox', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    res.json(await ctx.outbox.list({ channel: str(q.channel), to: str(q.to), since: str(q.since) }));
  });

  // RMM state lives in the store, so NinjaOne, Datto RMM and Graph all see the same device go offline.
  r.post('/devices/:hostname/online', async (req, res) => {
    const online = (req.body as { online?: unknown } | undefined)?.online;
    if (typeof online !== 'boolean') return void res.status(400).json({ message: 'body must be {"online": true|false}' });
    const hostname = String(req.params.hostname);
    let found = await ctx.store.list<Device & { clientIdentifier: string }>(Kinds.device, { where: { hostname } });
    if (!found.length) found = (await ctx.store.list<Device>(Kinds.device)).filter((d) => d.hostname.toLowerCase() === hostname.toLowerCase()) as typeof found;
    if (!found.length) return void res.status(404).json({ message: `no device ${hostname}` });
    const d = found[0];
    const patch: Partial<Device> = online ? { online, lastSeen: new Date().toISOString() } : { online };
    res.json(await ctx.store.patch<Device>(Kinds.device, String(d.id), patch));
  });

  for (const add of extra) add(r);
  return r;
}
