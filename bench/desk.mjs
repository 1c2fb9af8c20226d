// Starts an isolated desk for the bench (scripts/start-desk.mjs with its own subject prefix, stream,
// schemas and free ports), or attaches to one already running (--external).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

const root = new URL('..', import.meta.url).pathname;
const SERVICES = ['intake', 'triage', 'knowledge', 'executor', 'verifier', 'psa-writer'];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/**
 * @returns {Promise<{ sandboxUrl: string, intakeUrl: string, natsUrl: string, databaseUrl: string,
 *   sandboxSchema: string, stream: string, stop: () => Promise<void> }>}
 */
export async function startBenchDesk({ external = false, env: extra = {}, verbose = false } = {}) {
  const natsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';
  const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  if (external) {
    return {
      sandboxUrl: process.env.SANDBOX_URL || 'http://127.0.0.1:4010', intakeUrl: process.env.INTAKE_URL || 'http://127.0.0.1:3001',
      natsUrl, databaseUrl, sandboxSchema: process.env.SANDBOX_DB_SCHEMA || 'sandbox', stream: process.env.NATS_STREAM || 'DESK', stop: async () => {},
      subjectPrefix: process.env.NATS_SUBJECT_PREFIX || '', schemaPrefix: process.env.DB_SCHEMA_PREFIX || '', pid: null,
    };
  }
  const id = randomBytes(3).toString('hex');
  const ports = {};
  for (const s of SERVICES) ports[s] = await freePort();
  const sandboxPort = await freePort();
  const env = {
    ...process.env,
    NATS_URL: natsUrl, DATABASE_URL: databaseUrl,
    NATS_SUBJECT_PREFIX: `bench${id}.`, NATS_STREAM: `DESK_BENCH${id}`, DB_SCHEMA_PREFIX: `bench${id}_`,
    SANDBOX_DB_SCHEMA: `bench${id}_sandbox`, SANDBOX_PORT: String(sandboxPort), SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
    SANDBOX_SMTP_PORT: String(await freePort()), LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    DESK_READY_TIMEOUT_MS: process.env.DESK_READY_TIMEOUT_MS || '300000',
    ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase().replace('-', '_')}_PORT`, String(ports[s])])),
    ...extra,
  };
  const child = spawn(process.execPath, [`${root}scripts/start-desk.mjs`], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  const ready = new Promise((resolve, reject) => {
    for (const s of [child.stdout, child.stderr]) {
      createInterface({ input: s }).on('line', (line) => {
        tail.push(line);
        if (tail.length > 60) tail.shift();
        if (verbose) process.stderr.write(`${line}\n`);
        if (line.includes('[desk]') && line.includes('ready in')) resolve();
      });
    }
    child.once('exit', (code) => reject(new Error(`desk exited (${code}) before ready:\n${tail.join('\n')}`)));
  });
  const cleanup = async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const rows = (await client.query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`bench${id}_%`])).rows;
    for (const r of rows) await client.query(`DROP SCHEMA "${r.nspname}" CASCADE`);
    await client.end();
    const nc = await connect({ servers: natsUrl });
    await (await jetstreamManager(nc)).streams.delete(env.NATS_STREAM).catch(() => false);
    await nc.close();
  };
  let stopping = null;
  // Idempotent: an interrupt and the bench's own finally may both stop the desk.
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null) {
        await new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
      }
      await cleanup();
    })();
    return stopping;
  };
  try {
    await ready;
  } catch (e) {
    await cleanup().catch(() => undefined);
    throw e;
  }
  return {
    sandboxUrl: env.SANDBOX_URL, intakeUrl: `http://127.0.0.1:${ports.intake}`, natsUrl, databaseUrl,
    sandboxSchema: env.SANDBOX_DB_SCHEMA, stream: env.NATS_STREAM, stop, pid: child.pid,
    subjectPrefix: env.NATS_SUBJECT_PREFIX, schemaPrefix: env.DB_SCHEMA_PREFIX,
    urls: Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${ports[s]}`])),
  };
}
