import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Type } from '@nestjs/common';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import { InboundTicket, PayloadInput, Subjects } from '@desk/contracts';
import { createDeskApp, DeskApp } from '../src';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Gives one test file its own subject prefix, stream and schema prefix (so parallel runs never meet)
 * and sets the environment the platform reads. Call before creating apps.
 */
export function isolatedEnv(overrides: Record<string, string> = {}): { prefix: string; schemaPrefix: string; stream: string } {
  const id = randomBytes(4).toString('hex');
  const env = {
    NATS_URL,
    DATABASE_URL,
    NATS_SUBJECT_PREFIX: `t${id}.`,
    NATS_STREAM: `DESK_T${id}`,
    DB_SCHEMA_PREFIX: `t${id}_`,
    DESK_CONFIG: join(__dirname, '../../../config/desk.sandbox.yaml'),
    LOG_LEVEL: 'error',
    DB_POOL_SIZE: '4',
    DESK_MAX_DELIVER: '3',
    DESK_RETRY_BASE_MS: '50',
    DESK_OUTBOX_POLL_MS: '200',
    PORT: '0',
    ...overrides,
  };
  Object.assign(process.env, env);
  return { prefix: env.NATS_SUBJECT_PREFIX, schemaPrefix: env.DB_SCHEMA_PREFIX, stream: env.NATS_STREAM };
}

export async function startApp(name: string, module: Type<unknown>): Promise<DeskApp> {
  return createDeskApp({ name, module, port: 0, host: '127.0.0.1' });
}

/** Drops the run's schemas and stream. */
export async function cleanup(iso: { schemaPrefix: string; stream: string }): Promise<void> {
  const pg = new Client({ connectionString: DATABASE_URL });
  await pg.connect();
  try {
    const rows = (await pg.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${iso.schemaPrefix}%`])).rows;
    for (const r of rows) await pg.query(`DROP SCHEMA "${r.nspname}" CASCADE`);
  } finally {
    await pg.end();
  }
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(iso.stream).catch(() => false);
  } finally {
    await nc.close();
  }
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

export async function waitFor<T>(fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function sampleTicket(summary = 'Password reset please'): InboundTicket {
  return InboundTicket.parse({
    channel: 'email', psa: null, clientIdentifier: 'ContosoDental', summary, description: 'I forgot my password',
    fromEmail: 'amy@contoso-dental.example', receivedAt: new Date().toISOString(),
  });
}

export function receivedPayload(summary?: string): PayloadInput<typeof Subjects.ticketReceived> {
  return { ticket: sampleTicket(summary) };
}

export function origin(ticketId: string = randomUUID()) {
  return { ticketId, mspClientId: null, correlationId: ticketId };
}
