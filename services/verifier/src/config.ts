import { z } from 'zod';
import { PlatformEnv } from '@desk/platform';

export const VerifierEnv = PlatformEnv.extend({
  /** How long an identity change may take to show (Graph replication). */
  VERIFY_IDENTITY_DEADLINE_MS: z.coerce.number().int().min(1000).default(120_000),
  /** How long an RMM job plus inventory refresh may take. */
  VERIFY_RMM_DEADLINE_MS: z.coerce.number().int().min(1000).default(900_000),
  /** First poll interval; doubles per attempt up to 30 s. */
  VERIFY_POLL_BASE_MS: z.coerce.number().int().min(50).default(1_000),
  /** How often the worker looks for due checks. */
  VERIFY_WORKER_MS: z.coerce.number().int().min(50).default(500),
});
export type VerifierEnv = z.infer<typeof VerifierEnv>;
