import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { DocsConnection, IdentityConnection, NotifyConnection, PsaConnection, RmmConnection } from './connections';

/** One-time codes and written approvals: lifetime, attempts, length. */
export const VerificationSettings = z.object({
  /** How long a one-time code stays valid (10 s to 1 h). */
  codeTtlSeconds: z.number().int().min(10).max(3600).optional(),
  /** Wrong answers allowed before the ticket escalates. */
  maxAttempts: z.number().int().min(1).max(10).optional(),
  /** Digits of a code (6 to 8). */
  codeDigits: z.number().int().min(6).max(8).optional(),
  /** How long the desk waits for a written approval before it escalates (1 h to 1 week). */
  approvalTtlHours: z.number().min(1).max(168).optional(),
}).strict();
export type VerificationSettings = z.infer<typeof VerificationSettings>;

export const ClientConfig = z.object({
  /** PSA company identifier: the key every stage uses for the MSP client. */
  identifier: z.string().min(1),
  name: z.string().min(1),
  /** Mail / UPN domains that identify the client's senders. */
  domains: z.array(z.string()).min(1),
  timezone: z.string().default('UTC'),
  businessHours: z.object({ days: z.array(z.number().int().min(1).max(7)), start: z.string(), end: z.string() }).default({ days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00' }),
  psa: PsaConnection,
  docs: DocsConnection,
  rmm: RmmConnection,
  identity: IdentityConnection,
  notify: NotifyConnection.default({ sms: null, email: null, teamsWebhookUrl: null, slackWebhookUrl: null, pagingWebhook: null }),
  /** Identity verification for this client; every field left out takes the desk's default (executor env). */
  verification: VerificationSettings.optional(),
});
export type ClientConfig = z.infer<typeof ClientConfig>;

export const DeskConfig = z.object({
  msp: z.object({
    name: z.string(),
    /** The automation's own PSA member (notes and time entries are written as it). */
    agentMemberIdentifier: z.string().default('L1Agent'),
    timezone: z.string().default('UTC'),
    /** Global documents (MSP-wide runbooks). */
    docs: DocsConnection,
    /** The on-call page for emergencies and security incidents. */
    notify: NotifyConnection.default({ sms: null, email: null, teamsWebhookUrl: null, slackWebhookUrl: null, pagingWebhook: null }),
    workType: z.string().default('Automation'),
    baselineMinutesPerCategory: z.record(z.string(), z.number()).default({}),
  }),
  clients: z.array(ClientConfig).min(1),
});
export type DeskConfig = z.infer<typeof DeskConfig>;

/** Reads and validates a desk configuration file (YAML or JSON); errors name the failing path. */
export function loadDeskConfig(path: string): DeskConfig {
  const raw: unknown = parse(interpolateEnv(readFileSync(path, 'utf8')));
  const r = DeskConfig.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(`invalid desk config ${path}: ${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** Replaces `${VAR}` and `${VAR:-default}` with the environment's value (so one file serves every port/host). */
export function interpolateEnv(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g, (_m, name: string, def: string | undefined) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (def !== undefined) return def;
    throw new Error(`desk config needs environment variable ${name}`);
  });
}
