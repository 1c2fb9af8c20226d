import { z } from 'zod';
import type { FollowUpPolicy } from './follow-up-plan';

/** "TailspinMfg=1,2/4;RiverbendFdn=2,5/8": reminder business days, then "/" the close day, per client. */
export function parseSchedules(spec: string): Record<string, FollowUpPolicy> {
  const out: Record<string, FollowUpPolicy> = {};
  for (const part of spec.split(';').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^=]+)=([\d.,\s]+)\/\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (!m) throw new Error(`a follow-up schedule must look like "Client=1,3/5", got "${part}"`);
    out[m[1]!.trim()] = policy(m[2]!, m[3]!);
  }
  return out;
}

function policy(days: string, close: string): FollowUpPolicy {
  const reminderBusinessDays = days.split(',').map((d) => Number(d.trim())).filter((d) => d > 0);
  const closeAfterBusinessDays = Number(close);
  if (reminderBusinessDays.some((d) => !Number.isFinite(d)) || closeAfterBusinessDays <= Math.max(0, ...reminderBusinessDays)) {
    throw new Error(`the close (${close}) must come after the reminders (${days})`);
  }
  return { reminderBusinessDays, closeAfterBusinessDays };
}

const safe = <T>(fn: (s: string) => T) => (s: string, ctx: z.RefinementCtx) => {
  try { return fn(s); } catch (e) { ctx.addIssue({ code: 'custom', message: (e as Error).message }); return z.NEVER; }
};

export const FollowUpEnv = z.object({
  /** Default schedule: reminders after 1 and 3 business days, close after 5. */
  DESK_FOLLOWUP_DEFAULT: z.string().default('1,3/5').transform(safe((s) => parseSchedules(`*=${s}`)['*']!)),
  DESK_FOLLOWUP_SCHEDULES: z.string().default('').transform(safe(parseSchedules)),
  /** Business minutes after which running work (an RMM job, an approval) gets a status update to the user. */
  DESK_FOLLOWUP_PROGRESS_MINUTES: z.string().default('30,120').transform(safe((s) => {
    const xs = s.split(',').map((x) => Number(x.trim())).filter((x) => x !== 0 || s.trim() === '0');
    if (xs.some((x) => !Number.isFinite(x) || x < 1)) throw new Error(`status updates must be positive minutes, got "${s}"`);
    return xs;
  })),
  /**
   * Test clock for end-to-end runs: a file holding an ISO instant, read on every tick (time is driven by
   * the test, not slept). Unset = the real clock. Never set in production.
   */
  DESK_CLOCK_FILE: z.string().default(''),
  /** 0 = this replica fires no timers. */
  DESK_FOLLOWUP_POLL_MS: z.coerce.number().int().min(0).default(15_000),
});
export type FollowUpEnv = z.infer<typeof FollowUpEnv>;

export function loadFollowUpEnv(env: NodeJS.ProcessEnv = process.env): FollowUpEnv {
  const r = FollowUpEnv.safeParse(env);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(`invalid follow-up setting ${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`);
  }
  return r.data;
}
