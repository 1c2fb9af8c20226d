/**
 * End-to-end harness: the sandbox and the six services as real processes (built dist/), isolated per run
 * with a unique subject prefix, stream, schema prefix and free ports, so runs never collide.
 * Also kills (SIGKILL) and restarts one service for the crash test.
 *
 *   const desk = await startDesk();
 *   … desk.urls.intake, desk.sandboxUrl, desk.query(sql) …
 *   await desk.stop();   // SIGTERM all, then drops the run's schemas and stream
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';

export const ROOT = join(__dirname, '..', '..');
export const SERVICE_NAMES = ['intake', 'triage', 'knowledge', 'executor', 'verifier', 'psa-writer'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
type ProcName = ServiceName | 'sandbox';

export interface DeskOptions {
  /** Which services to run (default all six). */
  services?: readonly ServiceName[];
  /** Run the sandbox too (default true). */
  sandbox?: boolean;
  /** Extra environment for every process (e.g. DESK_CONSUMER_CONCURRENCY). */
  env?: Record<string, string>;
  /** Per-process extra environment. */
  envFor?: Partial<Record<ProcName, Record<string, string>>>;
  /** Echo child output to this process's stdout (default: only when DESK_E2E_LOGS=1). */
  echo?: boolean;
  readyTimeoutMs?: number;
}

interface Proc {
  name: ProcName;
  /** Replica number for extra replicas (addReplica); absent for the first. */
  replica?: number;
  port: number;
  child: ChildProcess | null;
  log: string[];
}

export interface DeskProcesses {
  id: string;
  env: Record<string, string>;
  sandboxUrl: string;
  urls: Record<ServiceName, string>;
  /** Subject as published on this run's stream (prefix applied). */
  subject(s: string): string;
  /** The run's schema for a service (or `desk_ledger`, `sandbox`). */
  schema(name: string): string;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Last lines a process wrote (for failure messages). */
  logs(name: ProcName, lines?: number): string;
  kill(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /** Stops (if running) and starts the service again; `env` replaces its per-process extra environment. */
  restart(name: ServiceName, opts?: { env?: Record<string, string> }): Promise<void>;
  /** Resolves when the service's process exits on its own (e.g. a fault-injection hook killed it). */
  exited(name: ServiceName, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts one more replica of a service (same run, own port); stopped with the desk. */
  addReplica(name: ServiceName): Promise<Replica>;
  stop(): Promise<void>;
}

/** An extra replica of a service started by `addReplica`. */
export interface Replica {
  url: string;
  logs(lines?: number): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
}

const KEEP_LINES = 400;

/**
 * A free port below the kernel's ephemeral range (32768+ here). Ports the kernel hands out (listen(0)) are
 * also the source ports of outgoing connections: after a test kills a service, another process's new
 * connection to PostgreSQL or NATS could take its port, and the restarted service then fails with
 * EADDRINUSE on the port every other process was told. Below the range, only listeners compete.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      // All interfaces, as the services listen.
      srv.listen(port, () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port found between 20000 and 32000');
}

async function waitReady(url: string, proc: Proc, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child === null || proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${proc.name} exited before ready:\n${proc.log.slice(-30).join('\n')}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${proc.name} not ready at ${url} after ${timeoutMs} ms:\n${proc.log.slice(-30).join('\n')}`);
}

export async function startDesk(opts: DeskOptions = {}): Promise<DeskProcesses> {
  const services = opts.services ?? SERVICE_NAMES;
  const missing = [...services.map((s) => `services/${s}/dist/main.js`), ...(opts.sandbox === false ? [] : ['sandbox/dist/main.js']), 'libs/platform/dist/tracing/register.js']
    .filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length > 0) throw new Error(`not built (run npm run build): ${missing.join(', ')}`);

  const id = randomBytes(4).toString('hex');
  const echo = opts.echo ?? process.env.DESK_E2E_LOGS === '1';
  const timeout = opts.readyTimeoutMs ?? 300_000;
  const procs = new Map<ProcName, Proc>();
  for (const name of [...(opts.sandbox === false ? [] : ['sandbox' as const]), ...services]) {
    procs.set(name, { name, port: await freePort(), child: null, log: [] });
  }
  const sandboxPort = procs.get('sandbox')?.port ?? Number(process.env.SANDBOX_PORT ?? 4010);
  const env: Record<string, string> = {
    NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    NATS_SUBJECT_PREFIX: `e2e${id}.`,
    NATS_STREAM: `DESK_E2E${id}`,
    DB_SCHEMA_PREFIX: `e2e${id}_`,
    SANDBOX_DB_SCHEMA: `e2e${id}_sandbox`,
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
    // The sandbox's mail relay; the desk config points the notifiers at the same variable.
    SANDBOX_SMTP_PORT: String(await freePort()),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DB_POOL_SIZE: '5',
    // As `npm start` does: the MSP's directory facts of the sandbox world (catalog, privileged groups, account kinds).
    TRIAGE_DIRECTORY_OVERLAY: join(ROOT, 'sandbox/seed/demo-msp'),
    ...opts.env,
  };
  const urlOf = (name: ProcName) => `http://127.0.0.1:${procs.get(name)!.port}`;
  if (procs.has('intake')) env.INTAKE_PUBLIC_URL ??= urlOf('intake');

  const envFor: Partial<Record<ProcName, Record<string, string>>> = { ...opts.envFor };
  const spawnProc = (p: Proc): void => {
    const script = p.name === 'sandbox' ? join(ROOT, 'sandbox/dist/main.js') : join(ROOT, 'services', p.name, 'dist/main.js');
    const args = p.name === 'sandbox' ? [script] : ['--require', join(ROOT, 'libs/platform/dist/tracing/register.js'), script];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(p.port), OTEL_SERVICE_NAME: p.name, ...envFor[p.name] },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const s of [child.stdout!, child.stderr!]) {
      createInterface({ input: s }).on('line', (line) => {
        p.log.push(line);
        if (p.log.length > KEEP_LINES) p.log.splice(0, p.log.length - KEEP_LINES);
        if (echo) process.stdout.write(`[${p.name}] ${line}\n`);
      });
    }
    p.child = child;
  };
  const readyPath = (name: ProcName) => (name === 'sandbox' ? '/admin/health' : '/readyz');

  const stopProc = async (p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const child = p.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const hard = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', () => { clearTimeout(hard); resolve(); });
      child.kill(signal);
    });
  };

  const pg = new Client({ connectionString: env.DATABASE_URL });
  await pg.connect();
  const cleanup = async () => {
    const rows = (await pg.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`e2e${id}_%`])).rows;
    for (const r of rows) await pg.query(`DROP SCHEMA "${r.nspname}" CASCADE`);
    const nc = await connect({ servers: env.NATS_URL });
    try {
      await (await jetstreamManager(nc)).streams.delete(env.NATS_STREAM!).catch(() => false);
    } finally {
      await nc.close();
    }
  };

  const extras: Proc[] = [];
  const stop = async () => {
    await Promise.all(extras.map((p) => stopProc(p)));
    const all = [...procs.values()];
    await Promise.all(all.filter((p) => p.name !== 'sandbox').map((p) => stopProc(p)));
    await Promise.all(all.filter((p) => p.name === 'sandbox').map((p) => stopProc(p)));
    if (process.env.DESK_E2E_KEEP !== '1') {
      // Retried: backends of just-exited processes can hold locks for a moment.
      for (let attempt = 1; attempt <= 3; attempt++) {
        try {
          await cleanup();
          break;
        } catch (e) {
          if (attempt === 3) console.warn(`desk harness: could not drop the run's schemas/stream (e2e${id}_*): ${String(e)}`);
          else await new Promise((r) => setTimeout(r, 2000));
        }
      }
    }
    await pg.end().catch(() => undefined);
  };

  try {
    // All at once: services do not need the sandbox to become ready, and boots overlap on a busy machine.
    const all = [...procs.values()];
    all.forEach(spawnProc);
    await Promise.all(all.map((p) => waitReady(`${urlOf(p.name)}${readyPath(p.name)}`, p, timeout)));
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    id,
    env,
    sandboxUrl: procs.has('sandbox') ? urlOf('sandbox') : env.SANDBOX_URL!,
    urls: Object.fromEntries(services.map((s) => [s, urlOf(s)])) as Record<ServiceName, string>,
    subject: (s) => `${env.NATS_SUBJECT_PREFIX}${s}`,
    schema: (name) => `${env.DB_SCHEMA_PREFIX}${name.replace(/-/g, '_')}`,
    query: async <T>(sql: string, params: unknown[] = []) => (await pg.query(sql, params)).rows as T[],
    logs: (name, lines = 50) => (procs.get(name)?.log ?? []).slice(-lines).join('\n'),
    kill: async (name, signal = 'SIGKILL') => stopProc(procs.get(name)!, signal),
    restart: async (name, o) => {
      const p = procs.get(name)!;
      await stopProc(p);
      if (o?.env) envFor[name] = o.env;
      spawnProc(p);
      await waitReady(`${urlOf(name)}${readyPath(name)}`, p, timeout);
    },
    addReplica: async (name) => {
      const p: Proc = { name, replica: extras.filter((x) => x.name === name).length + 2, port: await freePort(), child: null, log: [] };
      extras.push(p);
      const url = `http://127.0.0.1:${p.port}`;
      spawnProc(p);
      await waitReady(`${url}${readyPath(name)}`, p, timeout);
      return {
        url,
        logs: (lines = 50) => p.log.slice(-lines).join('\n'),
        kill: (signal = 'SIGKILL') => stopProc(p, signal),
        restart: async () => {
          await stopProc(p);
          spawnProc(p);
          await waitReady(`${url}${readyPath(name)}`, p, timeout);
        },
      };
    },
    exited: async (name, timeoutMs = 120_000) => {
      const child = procs.get(name)!.child;
      if (!child) throw new Error(`${name} was never started`);
      if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${name} did not exit within ${timeoutMs} ms`)), timeoutMs);
        child.once('exit', (code, signal) => { clearTimeout(t); resolve({ code, signal }); });
      });
    },
    stop,
  };
}
