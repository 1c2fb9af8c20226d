import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { PlatformEnv } from '@desk/platform';
import { ActionName } from '@desk/contracts';

export const ExecutorEnv = PlatformEnv.extend({
  /** Folder with msp.json and the client files: the MSP's documented authority facts (see client-register.ts). */
  DESK_CLIENT_REGISTER: z.string().default(''),
  /** How often waiting cases are checked for expired codes and lapsed approvals. */
  EXECUTOR_TICK_MS: z.coerce.number().int().min(100).default(15_000),
  /** Validity of a one-time code (15 minutes); a client's `verification.codeTtlSeconds` overrides it. */
  EXECUTOR_CODE_TTL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(15 * 60 * 1000),
  /** Wrong answers allowed before escalation; a client's `verification.maxAttempts` overrides it. */
  EXECUTOR_CODE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** Digits of a one-time code (6 to 8); a client's `verification.codeDigits` overrides it. */
  EXECUTOR_CODE_DIGITS: z.coerce.number().int().min(6).max(8).default(6),
  /** How long a written approval may take (one day); a client's `verification.approvalTtlHours` overrides it. */
  EXECUTOR_APPROVAL_TTL_MS: z.coerce.number().int().min(60_000).max(7 * 24 * 3600_000).default(24 * 3600_000),
  /** With OPENAI_API_KEY set, onboarding requests are also read by a language model (structured output, validated). */
  EXECUTOR_LLM_MODEL: z.string().default('gpt-4o-mini'),
  EXECUTOR_LLM_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(8_000),
  /**
   * TEST HOOK, off unless set: the executor SIGKILLs itself right after the vendor accepted a write for
   * this catalog action and before anything records it (the crash window exactly-once must survive).
   * Used by test/e2e/exactly-once-crash.e2e-spec.ts; never set it in production.
   */
  DESK_FAULT_KILL_AFTER_VENDOR_CALL: z.union([z.literal(''), ActionName]).default(''),
  /** Pause between in-process retries of a vendor call the vendor refused (429/5xx). */
  EXECUTOR_RETRY_DELAY_MS: z.coerce.number().int().min(0).default(1_000),
  /** Categories the desk answers with the runbook's user steps when no safe action applies (comma-separated). */
  DESK_GUIDANCE_CATEGORIES: z.string().default('vpn_connectivity,wifi_connectivity,printer,email_issue')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  /** Guidance plus answered questions before a human takes over. */
  DESK_CONVERSATION_MAX_ROUNDS: z.coerce.number().int().min(1).max(10).default(3),
  /** Optional LLM reading of the user's replies (any OpenAI-compatible endpoint); without a key the rules decide alone. */
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  DESK_REPLY_LLM_MODEL: z.string().default('gpt-4o-mini'),
  DESK_REPLY_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
});
export type ExecutorEnv = z.infer<typeof ExecutorEnv>;

/** The register folder: the configured one, else the demo world found from the working directory up. */
export function registerFolder(env: ExecutorEnv): string {
  if (env.DESK_CLIENT_REGISTER) return resolve(env.DESK_CLIENT_REGISTER);
  for (let dir = process.cwd(), i = 0; i < 8; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'sandbox', 'seed', 'demo-msp');
    if (existsSync(join(candidate, 'msp.json'))) return candidate;
  }
  for (let dir = __dirname, i = 0; i < 8; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'sandbox', 'seed', 'demo-msp');
    if (existsSync(join(candidate, 'msp.json'))) return candidate;
  }
  throw new Error('DESK_CLIENT_REGISTER is not set and no client register was found');
}
