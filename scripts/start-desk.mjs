// `npm start`: the whole desk on this machine — the sandbox and the six services as separate processes,
// on the local NATS and PostgreSQL (NATS_URL / DATABASE_URL override). Waits until every one is ready,
// prints where each listens, prefixes each process's log lines, and on Ctrl-C drains them all.
//
// Environment (all optional): NATS_URL, DATABASE_URL, SANDBOX_PORT (4010), <SERVICE>_PORT (INTAKE_PORT=3001,
// TRIAGE_PORT=3002, KNOWLEDGE_PORT=3003, EXECUTOR_PORT=3004, VERIFIER_PORT=3005, PSA_WRITER_PORT=3006),
// DESK_LOG_FORMAT=json (raw pino lines instead of the compact form), DESK_READY_TIMEOUT_MS (180000).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { wireSandbox } from './wire-sandbox.mjs';

const root = new URL('..', import.meta.url).pathname;
const SERVICES = [
  ['intake', 3001], ['triage', 3002], ['knowledge', 3003], ['executor', 3004], ['verifier', 3005], ['psa-writer', 3006],
];
const env = {
  ...process.env,
  NATS_URL: process.env.NATS_URL || 'nats://127.0.0.1:4222',
  DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  SANDBOX_PORT: process.env.SANDBOX_PORT || '4010',
  // Facts the MSP keeps about its clients that the vendor APIs do not expose (software catalog,
  // privileged groups, account types): for the sandbox world they come with its seed.
  TRIAGE_DIRECTORY_OVERLAY: process.env.TRIAGE_DIRECTORY_OVERLAY || join(root, 'sandbox/seed/demo-msp'),
};
env.SANDBOX_URL = process.env.SANDBOX_URL || `http://127.0.0.1:${env.SANDBOX_PORT}`;
const READY_TIMEOUT_MS = Number(process.env.DESK_READY_TIMEOUT_MS || 180_000);
const rawLogs = process.env.DESK_LOG_FORMAT === 'json';
const color = process.stdout.isTTY ? (n, s) => `\x1b[${n}m${s}\x1b[0m` : (_n, s) => s;
const COLORS = [36, 33, 35, 32, 34, 31, 90];
const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** @type {Array<{ name: string, url: string, ready: string, child: import('node:child_process').ChildProcess, exited: boolean }>} */
const procs = [];
let stopping = false;

function say(msg) {
  process.stdout.write(`${color(1, '[desk]')} ${msg}\n`);
}

/** One compact line from a pino JSON line (anything else passes through unchanged). */
function format(line) {
  if (rawLogs || !line.startsWith('{')) return line;
  try {
    const o = JSON.parse(line);
    const level = LEVELS[o.level] ?? String(o.level ?? '');
    const extra = [o.ticket_id && `ticket=${String(o.ticket_id).slice(0, 8)}`, o.subject, o.err?.message ?? o.error].filter(Boolean).join(' ');
    const lvl = o.level >= 50 ? color(31, level) : o.level >= 40 ? color(33, level) : level;
    return `${lvl} ${o.msg ?? ''}${extra ? ` ${color(90, extra)}` : ''}`;
  } catch {
    return line;
  }
}

function tcpReachable(url, fallbackPort) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = createConnection({ host: u.hostname, port: Number(u.port || fallbackPort), timeout: 2000 });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
  });
}

async function preflight() {
  const missing = [['sandbox', 'sandbox/dist/main.js'], ...SERVICES.map(([n]) => [n, `services/${n}/dist/main.js`]), ['platform', 'libs/platform/dist/tracing/register.js']]
    .filter(([, f]) => !existsSync(join(root, f)));
  if (missing.length > 0) {
    say(`not built: ${missing.map(([, f]) => f).join(', ')} — run \`npm run build\` (npm start does it for you)`);
    process.exit(1);
  }
  const [nats, pg] = await Promise.all([tcpReachable(env.NATS_URL, 4222), tcpReachable(env.DATABASE_URL, 5432)]);
  if (!nats || !pg) {
    if (!nats) say(`NATS is not reachable at ${env.NATS_URL} (needs JetStream: \`nats-server -js\`, or \`docker compose up -d nats\`)`);
    if (!pg) say(`PostgreSQL is not reachable at ${env.DATABASE_URL} (\`docker compose up -d postgres\`, or your package manager's postgresql)`);
    process.exit(1);
  }
}

function start(name, script, port, readyPath, index, extraEnv = {}) {
  const args = name === 'sandbox' ? [script] : ['--require', join(root, 'libs/platform/dist/tracing/register.js'), script];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...env, PORT: String(port), OTEL_SERVICE_NAME: env.OTEL_SERVICE_NAME ?? name, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tag = color(COLORS[index % COLORS.length], `[${name}]`.padEnd(13));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${tag}${format(line)}\n`));
  }
  const p = { name, url: `http://127.0.0.1:${port}`, ready: readyPath, child, exited: false };
  child.once('exit', (code, signal) => {
    p.exited = true;
    if (!stopping) {
      say(`${name} exited (${signal ?? `code ${code}`}); stopping the desk`);
      void stopAll(1);
    }
  });
  procs.push(p);
  return p;
}

async function waitReady(p) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (p.exited) throw new Error(`${p.name} exited before it was ready`);
    try {
      const res = await fetch(`${p.url}${p.ready}`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${p.name} not ready at ${p.url}${p.ready} after ${READY_TIMEOUT_MS} ms`);
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  const alive = procs.filter((p) => !p.exited);
  if (alive.length > 0) say(`draining ${alive.map((p) => p.name).join(', ')}…`);
  // Services first (they drain in-flight events), the sandbox last (in-flight handlers may still call it).
  const services = alive.filter((p) => p.name !== 'sandbox');
  await Promise.all(services.map((p) => stop(p)));
  await Promise.all(alive.filter((p) => p.name === 'sandbox').map((p) => stop(p)));
  say('stopped');
  process.exit(code);
}

function stop(p) {
  return new Promise((resolve) => {
    if (p.exited) return resolve();
    const hard = setTimeout(() => p.child.kill('SIGKILL'), 30_000);
    p.child.once('exit', () => { clearTimeout(hard); resolve(); });
    p.child.kill('SIGTERM');
  });
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

await preflight();
const started = Date.now();
try {
  // All at once: services do not need the sandbox to become ready, and their boots overlap.
  const all = [start('sandbox', join(root, 'sandbox/dist/main.js'), Number(env.SANDBOX_PORT), '/admin/health', 6)];
  SERVICES.forEach(([name, port], i) => {
    const p = Number(process.env[`${name.toUpperCase().replace('-', '_')}_PORT`] || port);
    const extra = name === 'intake' ? { INTAKE_PUBLIC_URL: process.env.INTAKE_PUBLIC_URL || `http://127.0.0.1:${p}` } : {};
    all.push(start(name, join(root, `services/${name}/dist/main.js`), p, '/readyz', i, extra));
  });
  await Promise.all(all.map(waitReady));
} catch (e) {
  say(color(31, e instanceof Error ? e.message : String(e)));
  await stopAll(1);
  await new Promise(() => {}); // a stop already under way exits the process
}
say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s — NATS ${env.NATS_URL}, PostgreSQL ${env.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}`);
for (const p of procs) {
  const extra = p.name === 'sandbox' ? 'vendor APIs, /admin' : '/readyz /metrics';
  say(`  ${p.name.padEnd(11)} ${p.url}  (${extra})`);
}
try {
  const intake = procs.find((p) => p.name === 'intake');
  const lines = await wireSandbox({ sandboxUrl: env.SANDBOX_URL, intakeUrl: process.env.INTAKE_PUBLIC_URL || intake.url, env });
  for (const l of lines) say(`  ${l}`);
} catch (e) {
  say(color(33, `could not connect the sandbox to intake: ${e instanceof Error ? e.message : String(e)}`));
}
say('Ctrl-C drains and stops everything');
