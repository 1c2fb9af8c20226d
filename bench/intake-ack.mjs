// Intake acknowledgement latency: requests on every channel against a real intake (built dist/, real
// PostgreSQL and NATS), timed from send to the 2xx that follows the durable write (delivery row + outbox
// in one transaction). Target: p99 < 50 ms. Run `npm run build` first, then `npm run bench:intake -w services/intake`
// (or `node bench/intake-ack.mjs --requests 2000 --concurrency 8`).
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { args, num, summarize } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const opts = args();
const REQUESTS = num(opts, 'requests', 2000);
const CONCURRENCY = num(opts, 'concurrency', 8);
const WARMUP = num(opts, 'warmup', 100);
const id = randomBytes(4).toString('hex');
const PORTAL_KEY = `bench-portal-key-${id}-0001`;
const ALERT_TOKEN = `bench-alert-token-${id}-0001`;
const AT_SECRET = 'sandbox-autotask-hook-secret';

Object.assign(process.env, {
  NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  NATS_SUBJECT_PREFIX: `b${id}.`, NATS_STREAM: `DESK_B${id}`, DB_SCHEMA_PREFIX: `b${id}_`,
  DESK_CONFIG: join(root, 'config/desk.sandbox.yaml'), LOG_LEVEL: 'error', PORT: '0',
  INTAKE_PORTAL_KEYS: `ContosoDental=${PORTAL_KEY}`, INTAKE_ALERT_TOKEN: ALERT_TOKEN,
  // The PSA fetch worker would call a PSA: not part of the acknowledgement being measured.
  INTAKE_FETCH_POLL_MS: '3600000',
});

// CommonJS builds: take the named exports from the module namespace or its default export.
const cjs = (m) => ({ ...(m.default ?? {}), ...m });
const { createDeskApp } = cjs(await import('@desk/platform'));
const { IntakeModule } = cjs(await import(join(root, 'services/intake/dist/intake.module.js')));

/** One request per channel, in rotation; each is a new delivery (no duplicates). */
function request(i, base) {
  const n = `${id}-${i}`;
  switch (i % 4) {
    case 0: return [`${base}/portal/tickets`, { 'content-type': 'application/json', 'x-api-key': PORTAL_KEY, 'idempotency-key': n },
      JSON.stringify({ summary: `Bench ticket ${n}`, description: 'Outlook keeps asking for my password', fromEmail: 'amy.lee@contoso-dental.example' })];
    case 1: return [`${base}/inbound/email`, { 'content-type': 'message/rfc822' },
      `From: Amy Lee <amy.lee@contoso-dental.example>\r\nTo: help@harborline-it.example\r\nSubject: Bench mail ${n}\r\nMessage-ID: <${n}@bench>\r\n\r\nPrinter offline again.`];
    case 2: return [`${base}/alerts/ninjaone?client=ContosoDental`, { 'content-type': 'application/json', 'x-desk-alert-token': ALERT_TOKEN },
      JSON.stringify({ id: i + 1, deviceId: 100000 + i, sourceName: 'Disk space low', message: 'C: 3% free' })];
    default: {
      const body = JSON.stringify({ Action: 'Update', Guid: randomUUID(), EntityType: 'Ticket', Id: 500000 + i, Fields: {}, EventTime: new Date().toISOString() });
      return [`${base}/webhooks/autotask`, { 'content-type': 'application/json', 'x-hook-signature': 'sha1=' + createHmac('sha1', AT_SECRET).update(body).digest('base64') }, body];
    }
  }
}

async function run(desk, count, offset) {
  const lat = [];
  const statuses = {};
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let i = next++; i < count; i = next++) {
      const [url, headers, body] = request(offset + i, desk.url);
      const t0 = process.hrtime.bigint();
      const res = await fetch(url, { method: 'POST', headers, body });
      await res.arrayBuffer();
      lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  }));
  return { lat, statuses };
}

const desk = await createDeskApp({ name: 'intake', module: IntakeModule, port: 0, host: '127.0.0.1' });
let code = 0;
try {
  await run(desk, WARMUP, 0);
  const t0 = Date.now();
  const { lat, statuses } = await run(desk, REQUESTS, WARMUP);
  const seconds = (Date.now() - t0) / 1000;
  const latency = summarize(lat);
  const server = (await desk.core.metrics.registry.getSingleMetric('desk_intake_ack_seconds').get()).values
    .filter((v) => v.metricName === 'desk_intake_ack_seconds_bucket' && v.labels.le === 0.05);
  const under50 = server.reduce((a, v) => a + v.value, 0);
  const ok = Object.entries(statuses).every(([s]) => Number(s) < 300);
  console.log(JSON.stringify({ requests: REQUESTS, concurrency: CONCURRENCY, seconds, requests_per_s: Math.round(REQUESTS / seconds), statuses, client_latency_ms: latency, server_acks_within_50ms: under50 }, null, 2));
  if (!ok || !(latency.p99 < 50)) code = 1;
} finally {
  await desk.close();
  // Drop the run's schemas and stream.
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  for (const r of (await c.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`b${id}_%`])).rows) await c.query(`DROP SCHEMA "${r.nspname}" CASCADE`);
  await c.end();
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: process.env.NATS_URL });
  await (await jetstreamManager(nc)).streams.delete(`DESK_B${id}`).catch(() => false);
  await nc.close();
}
process.exit(code);
