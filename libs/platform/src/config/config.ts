import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/**
 * The environment every service reads. Services extend it (`PlatformEnv.extend({...})`) and call
 * `loadConfig(ServiceEnv)` once at start; everything else receives the parsed object.
 */
export const PlatformEnv = z.object({
  NATS_URL: z.string().regex(/^(nats|tls|ws|wss):\/\/.+/, 'must be a nats:// URL').default('nats://127.0.0.1:4222'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL').default('postgres://postgres@127.0.0.1:5432/test'),
  /** HTTP port; when absent each service uses its default (intake 3001 … psa-writer 3006). 0 = any free port. */
  PORT: port.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DESK_CONFIG: z.string().min(1).default('config/desk.sandbox.yaml'),
  /** Stream name; defaults to DESK, or DESK_<prefix> when a subject prefix isolates a test run. */
  NATS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').optional(),
  /** Prepended to every subject (`<prefix>desk.>`), so parallel test runs never see each other's events. */
  NATS_SUBJECT_PREFIX: z.string().regex(/^([A-Za-z0-9_-]+\.)?$/, 'must be empty or end with a dot, e.g. "t1234."').default(''),
  /** Prepended to every schema name (`<prefix>triage`, `<prefix>desk_ledger`). */
  DB_SCHEMA_PREFIX: z.string().regex(/^[a-z0-9_]*$/, 'lower-case letters, digits and _ only').default(''),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_SERVICE_NAME: z.string().optional(),
  SANDBOX_URL: z.string().url().default('http://127.0.0.1:4010'),
  /** Deliveries of one event before it is dead-lettered. */
  DESK_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(5),
  /** How long JetStream waits for an ack before redelivering (a live handler extends it with progress acks). */
  DESK_ACK_WAIT_MS: z.coerce.number().int().min(1000).default(30_000),
  /** First retry delay; each further retry doubles it (capped at 30 s). */
  DESK_RETRY_BASE_MS: z.coerce.number().int().min(0).default(500),
  /** Messages one replica handles at once per subject. */
  DESK_CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(32),
  DESK_OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(1000),
});
export type PlatformEnv = z.infer<typeof PlatformEnv>;

export class ConfigError extends Error {}

/** Parses `env` with `schema`; the error names the first failing variable on one line. */
export function parseConfig<S extends z.ZodType<PlatformEnv>>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  // An empty string means "unset" for every variable: shells and compose files produce them easily.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = schema.safeParse(cleaned);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const name = issue?.path.join('.') || 'environment';
  const value = typeof issue?.path[0] === 'string' ? env[issue.path[0]] : undefined;
  const shown = value === undefined ? 'is missing' : `is invalid (${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)})`;
  throw new ConfigError(`config error: ${name} ${shown}: ${issue?.message ?? 'invalid'}`);
}

/** Like parseConfig, but a bad environment prints one line and exits 1 (a crash-looping pod says why). */
export function loadConfig<S extends z.ZodType<PlatformEnv>>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  try {
    return parseConfig(schema, env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

/** The stream name in effect for this environment. */
export function streamName(env: Pick<PlatformEnv, 'NATS_STREAM' | 'NATS_SUBJECT_PREFIX'>): string {
  if (env.NATS_STREAM) return env.NATS_STREAM;
  if (!env.NATS_SUBJECT_PREFIX) return 'DESK';
  return `DESK_${env.NATS_SUBJECT_PREFIX.replace(/\.$/, '').replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The PostgreSQL schema a service owns (`psa-writer` → `psa_writer`). */
export function serviceSchema(env: Pick<PlatformEnv, 'DB_SCHEMA_PREFIX'>, service: string): string {
  return `${env.DB_SCHEMA_PREFIX}${service.replace(/-/g, '_')}`;
}

/** The shared schema holding the ticket lifecycle ledger and the audit log. */
export function ledgerSchema(env: Pick<PlatformEnv, 'DB_SCHEMA_PREFIX'>): string {
  return `${env.DB_SCHEMA_PREFIX}desk_ledger`;
}

export const DEFAULT_PORTS: Record<string, number> = {
  intake: 3001, triage: 3002, knowledge: 3003, executor: 3004, verifier: 3005, 'psa-writer': 3006,
};
