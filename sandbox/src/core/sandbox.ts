import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import type { Router } from 'express';
import type { SandboxContext } from './context';
import type { SandboxRuntime } from './runtime';
import { loadWorld, defaultSeedDir } from './world-loader';
import { seedRows } from './seed';
import { PgStore } from './pg-store';
import { PgCallLog } from './call-log';
import { InMemoryFaults } from './faults';
import { PgOutbox } from './outbox';
import { createApp } from '../app';
import { vendorMounts, type VendorEntry } from '../vendors/index';

export interface SandboxOptions {
  databaseUrl?: string;
  schema?: string;
  seedDir?: string;
  /** 0 = a random free port (tests). */
  port?: number;
  host?: string;
  /** Public base URL; defaults to http://127.0.0.1:<port> once listening. */
  baseUrl?: string;
  /** Defaults to every mount in vendors/index.ts. */
  mounts?: VendorEntry[];
  adminExtras?: Array<(r: Router) => void>;
  /** Serve HTTPS with this key pair (for clients that only speak https://, e.g. some vendor SDKs). */
  tls?: { key: string; cert: string };
}

export interface RunningSandbox {
  ctx: SandboxContext;
  store: PgStore;
  calls: PgCallLog;
  url: string;
  server: Server;
  loadMs: number;
  reset(opts?: { everything?: boolean }): Promise<void>;
  /** Stops listening and closes the pool; `dropSchema` removes the schema (tests with a unique schema). */
  close(opts?: { dropSchema?: boolean }): Promise<void>;
}

/** Loads the world into PostgreSQL, mounts every vendor and listens. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const started = Date.now();
  const schema = opts.schema ?? process.env.SANDBOX_DB_SCHEMA ?? 'sandbox';
  const pool = new Pool({ connectionString: opts.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', max: 10, application_name: schema });
  const world = loadWorld(opts.seedDir ?? defaultSeedDir());
  const store = new PgStore(pool, schema);
  const calls = new PgCallLog(pool, schema);
  const faults = new InMemoryFaults();
  const outbox = new PgOutbox(pool, schema);
  await store.init(seedRows(world));

  const ctx: SandboxContext = {
    world, store, calls, faults, outbox, baseUrl: opts.baseUrl ?? '',
    async deliverWebhook({ vendor, url, headers, body }) {
      let status = 0;
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(10_000) });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        // unreachable receiver: recorded with status 0, as a vendor would log a failed delivery
      }
      let parsed: unknown = body;
      try { parsed = JSON.parse(body); } catch { /* keep the raw text */ }
      await calls.record({ vendor, method: 'POST', path: url, status, body: parsed, principal: 'webhook-delivery' });
    },
  };
  const mounts = opts.mounts ?? vendorMounts;
  const loadMs = Date.now() - started;
  const reset = async (o?: { everything?: boolean }) => {
    faults.clear();
    await store.reset(o);
  };
  const rt: SandboxRuntime = { schema, vendors: mounts.map((m) => ({ vendor: m.vendor, prefix: m.prefix })), loadMs, reset };
  const app = createApp(ctx, rt, mounts, opts.adminExtras);
  const server = await new Promise<Server>((resolve, reject) => {
    if (opts.tls) {
      const s = createHttpsServer(opts.tls, app);
      s.once('error', reject);
      s.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve(s as unknown as Server));
      return;
    }
    const s = app.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  if (!ctx.baseUrl) ctx.baseUrl = url;
  return {
    ctx, store, calls, url, server, loadMs, reset,
    async close(o = {}) {
      faults.releaseHung();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await calls.settle();
      if (o.dropSchema) await store.dropSchema();
      await pool.end();
    },
  };
}
