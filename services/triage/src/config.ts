import { z } from 'zod';
import { PlatformEnv } from '@desk/platform';

export const TriageEnv = PlatformEnv.extend({
  /** Optional LLM path (any OpenAI-compatible endpoint); without a key the embedded model decides alone. */
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  TRIAGE_LLM_MODEL: z.string().default('gpt-4o-mini'),
  TRIAGE_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
  /** The trained classifier (committed; rebuilt by `npm run train:triage`). */
  TRIAGE_MODEL_PATH: z.string().default('services/triage/model/triage-model.json'),
  /** Imported into PostgreSQL at first start (empty policy tables) and by POST /policy/import. */
  TRIAGE_POLICY_FILE: z.string().default('config/policy.yaml'),
  /**
   * Optional directory overlay: a demo-world folder (msp.json + clients/) that supplies what the vendor
   * APIs do not expose (software catalog, group types and privileged flags, account types).
   */
  TRIAGE_DIRECTORY_OVERLAY: z.string().optional(),
  TRIAGE_DIRECTORY_TTL_MS: z.coerce.number().int().min(0).default(300_000),
  TRIAGE_DUPLICATE_MINUTES: z.coerce.number().int().min(1).default(240),
  TRIAGE_STORM_MINUTES: z.coerce.number().int().min(1).default(60),
  /** When set, policy changes need `Authorization: Bearer <token>`. */
  TRIAGE_ADMIN_TOKEN: z.string().optional(),
});
export type TriageEnv = z.infer<typeof TriageEnv>;

export const TRIAGE_ENV = Symbol('triage.env');
