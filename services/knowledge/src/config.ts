import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { PlatformEnv } from '@desk/platform';
import { DEFAULT_STALENESS, StalenessPolicy } from './domain/staleness';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const KnowledgeEnv = PlatformEnv.extend({
  /** Pins "now" (staleness): the demo world lives at 2026-11-30T15:00:00Z. Unset = the real clock. */
  KNOWLEDGE_NOW: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date-time').optional(),
  /** Overrides msp.json runbookPolicy.staleAfterDays. */
  KNOWLEDGE_STALE_AFTER_DAYS: z.coerce.number().int().min(1).optional(),
  KNOWLEDGE_AUTOMATE_STALE: bool.optional(),
  /** The MSP file whose runbookPolicy sets the defaults (optional). */
  KNOWLEDGE_MSP_FILE: z.string().default('sandbox/seed/demo-msp/msp.json'),
  /** Scheduled incremental sync; 0 = only on start and on POST /sync. */
  KNOWLEDGE_SYNC_INTERVAL_MS: z.coerce.number().int().min(0).default(300_000),
  /** Full sync once at start (in the background: the last good index serves meanwhile). */
  KNOWLEDGE_SYNC_ON_START: bool.default(true),
  /** registry = each client's docs system from the desk config; markdown = a local runbook tree. */
  KNOWLEDGE_SOURCE: z.enum(['registry', 'markdown']).default('registry'),
  /** The runbook tree for KNOWLEDGE_SOURCE=markdown (`_global/`, one folder per client). */
  KNOWLEDGE_MARKDOWN_DIR: z.string().default('sandbox/seed/demo-msp/runbooks'),
  /** Client files naming each client's folder (`<slug>.json` with `identifier`), for the markdown tree. */
  KNOWLEDGE_CLIENTS_DIR: z.string().default('sandbox/seed/demo-msp/clients'),
  KNOWLEDGE_MAX_DOC_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024),
  KNOWLEDGE_MAX_DELETE_RATIO: z.coerce.number().min(0).max(1).default(0.5),
  /** A scope whose docs system has not finished within this time fails; its last good index keeps serving. */
  KNOWLEDGE_SYNC_TIMEOUT_MS: z.coerce.number().int().min(1000).default(600_000),
  /**
   * Labelled tickets (JSON Lines with id, summary, description, category) seeding the category vote and the
   * category model; comma-separated. Default: the demo world's tickets and the repository's generic L1 examples.
   */
  KNOWLEDGE_EXAMPLES_FILE: z.string().default('sandbox/seed/demo-msp/training-tickets.jsonl,data/triage/l1-examples.jsonl'),
  /** Triaged tickets at or above this confidence become examples for the category vote. */
  KNOWLEDGE_LEARN_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.85),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  KNOWLEDGE_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  /** When set, POST /sync needs `Authorization: Bearer <token>`. */
  KNOWLEDGE_ADMIN_TOKEN: z.string().optional(),
});
export type KnowledgeEnv = z.infer<typeof KnowledgeEnv>;

export const KNOWLEDGE_ENV = Symbol('knowledge.env');
export const KNOWLEDGE_APP = Symbol('knowledge.app');

const MspPolicy = z.object({
  runbookPolicy: z.object({ staleAfterDays: z.number().int().positive(), automateStaleRunbooks: z.boolean() }).partial(),
});

/** Staleness policy: environment first, then the MSP file's runbookPolicy, then 548 days / no stale automation. */
export function stalenessPolicy(env: KnowledgeEnv): StalenessPolicy {
  let fromFile: Partial<StalenessPolicy> = {};
  if (existsSync(env.KNOWLEDGE_MSP_FILE)) {
    const parsed = MspPolicy.safeParse(JSON.parse(readFileSync(env.KNOWLEDGE_MSP_FILE, 'utf8')));
    if (parsed.success) fromFile = { staleAfterDays: parsed.data.runbookPolicy.staleAfterDays, automateStale: parsed.data.runbookPolicy.automateStaleRunbooks };
  }
  return {
    staleAfterDays: env.KNOWLEDGE_STALE_AFTER_DAYS ?? fromFile.staleAfterDays ?? DEFAULT_STALENESS.staleAfterDays,
    automateStale: env.KNOWLEDGE_AUTOMATE_STALE ?? fromFile.automateStale ?? DEFAULT_STALENESS.automateStale,
  };
}
