import { z } from 'zod';
import { PlatformEnv } from '@desk/platform';

export const PsaWriterEnv = PlatformEnv.extend({
  /** Per-system overrides of the tenant token buckets: "connectwise=10/20,autotask=2.5/10" (rate per second / burst). */
  PSA_RATE_LIMITS: z.string().default(''),
  /** Drainer poll interval (it is also woken at once when a handler queues writes). */
  PSA_WRITER_POLL_MS: z.coerce.number().int().min(20).default(250),
  /**
   * Lanes (tickets) written in parallel by one replica. A lane waits on the PSA (hundreds of ms per call),
   * not on CPU, so it takes many to keep up; the per-tenant token buckets still bound the request rate.
   */
  PSA_WRITER_CONCURRENCY: z.coerce.number().int().min(1).max(128).default(32),
  /** First retry delay of a failed write; doubles per attempt up to PSA_WRITER_MAX_BACKOFF_MS. */
  PSA_WRITER_RETRY_BASE_MS: z.coerce.number().int().min(10).default(500),
  PSA_WRITER_MAX_BACKOFF_MS: z.coerce.number().int().min(100).default(15_000),
});
export type PsaWriterEnv = z.infer<typeof PsaWriterEnv>;
