import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One test file = its own subject prefix, stream and schema prefix, so parallel runs never meet. */
export function isolatedEnv(overrides: Record<string, string> = {}): { prefix: string; schemaPrefix: string; stream: string } {
  const id = randomBytes(4).toString('hex');
  const root = join(__dirname, '..', '..', '..');
  const env: Record<string, string> = {
    NATS_URL, DATABASE_URL, NATS_SUBJECT_PREFIX: `t${id}.`, NATS_STREAM: `DESK_T${id}`, DB_SCHEMA_PREFIX: `t${id}_`,
    DESK_CONFIG: join(root, 'config', 'desk.sandbox.yaml'),
    // Vendors unreachable on purpose: the directory falls back to the overlay, fast and deterministic.
    SANDBOX_URL: 'http://127.0.0.1:9',
    TRIAGE_DIRECTORY_OVERLAY: join(root, 'sandbox', 'seed', 'demo-msp'),
    TRIAGE_MODEL_PATH: join(root, 'services', 'triage', 'model', 'triage-model.json'),
    TRIAGE_POLICY_FILE: join(root, 'config', 'policy.yaml'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error', DB_POOL_SIZE: '4', DESK_MAX_DELIVER: '3', DESK_RETRY_BASE_MS: '50', DESK_OUTBOX_POLL_MS: '200', PORT: '0',
    ...overrides,
  };
  delete process.env.OPENAI_API_KEY;
  Object.assign(process.env, env);
  return { prefix: env.NATS_SUBJECT_PREFIX!, schemaPrefix: env.DB_SCHEMA_PREFIX!, stream: env.NATS_STREAM! };
}

export async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const pg = new Client({ connectionString: DATABASE_URL });
  await pg.connect();
  try {
    return (await pg.query(sql, params)).rows as T[];
  } finally {
    await pg.end();
  }
}

export async function cleanup(iso: { schemaPrefix: string; stream: string }): Promise<void> {
  const rows = await query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${iso.schemaPrefix}%`]);
  for (const r of rows) await query(`DROP SCHEMA "${r.nspname}" CASCADE`);
  const nc = await connect({ servers: NATS_URL });
  try {
    await (await jetstreamManager(nc)).streams.delete(iso.stream).catch(() => false);
  } finally {
    await nc.close();
  }
}

export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every message on `subject` currently in the run's stream, decoded (an ordered read from the start). */
export async function streamEvents<T>(stream: string, subject: string): Promise<T[]> {
  const { jetstream } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream, { subjects_filter: subject }).catch(() => null);
    const count = Object.values(info?.state.subjects ?? {}).reduce((a: number, b) => a + (b as number), 0);
    if (!count) return [];
    const consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: subject });
    const out: T[] = [];
    const msgs = await consumer.fetch({ max_messages: count, expires: 2000 });
    for await (const m of msgs) {
      out.push(m.json<T>());
      if (out.length >= count) break;
    }
    return out;
  } finally {
    await nc.close();
  }
}
