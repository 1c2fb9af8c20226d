import { z } from 'zod';
import { TECH_ROLES, type TechRole } from './roles';
import type { WorkWindow } from './business-time';

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** "1-5 08:00-18:00" (ISO weekdays, local times) → days/start/end. */
export function parseHours(spec: string): Omit<WorkWindow, 'timezone'> {
  const m = /^\s*([1-7])(?:-([1-7]))?\s+(\d{1,2}:\d{2})-(\d{1,2}:\d{2})\s*$/.exec(spec);
  if (!m) throw new Error(`working hours must look like "1-5 08:00-18:00", got "${spec}"`);
  const from = Number(m[1]);
  const to = Number(m[2] ?? m[1]);
  const days: number[] = [];
  for (let d = from; d <= to; d++) days.push(d);
  return { days, start: m[3]!, end: m[4]! };
}

/** "ContosoDental=30,AlderBrooks=120" → per-client minutes. */
export function parseClientMinutes(spec: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of list(spec)) {
    const [k, v] = part.split('=');
    const n = Number(v);
    if (!k || !Number.isFinite(n) || n <= 0) throw new Error(`per-client minutes must look like "Client=60", got "${part}"`);
    out[k.trim()] = n;
  }
  return out;
}

/** "dmercer=manager,sfarrell=l3" → role overrides (when PSA titles do not say the role). */
export function parseRoles(spec: string): Record<string, TechRole> {
  const out: Record<string, TechRole> = {};
  for (const part of list(spec)) {
    const [k, v] = part.split('=').map((x) => x.trim());
    if (!k || !v || !(TECH_ROLES as readonly string[]).includes(v)) throw new Error(`role override must look like "member=l2", got "${part}"`);
    out[k] = v as TechRole;
  }
  return out;
}

/**
 * Dispatch, SLA and agreement settings, from the environment (validated at start like the service's own
 * env). The on-call roster is configuration because no PSA's member record carries it.
 */
export const DispatchEnv = z.object({
  /** The MSP's time zone for working hours; empty = the desk config's msp.timezone. */
  DESK_DISPATCH_TIMEZONE: z.string().default(''),
  DESK_DISPATCH_HOURS: z.string().default('1-5 08:00-18:00').transform((s, ctx) => {
    try { return parseHours(s); } catch (e) { ctx.addIssue({ code: 'custom', message: (e as Error).message }); return z.NEVER; }
  }),
  /** PSA member identifiers on call now (comma-separated). */
  DESK_DISPATCH_ON_CALL: z.string().default('').transform(list),
  DESK_DISPATCH_ROLES: z.string().default('').transform((s, ctx) => {
    try { return parseRoles(s); } catch (e) { ctx.addIssue({ code: 'custom', message: (e as Error).message }); return z.NEVER; }
  }),
  DESK_DISPATCH_MAX_OPEN: z.coerce.number().int().min(1).default(15),
  DESK_DISPATCH_EMERGENCY_PRIORITY: z.coerce.number().int().min(0).max(4).default(1),
  /** How long member lists and open-ticket loads are reused (PSA calls are rate limited). */
  DESK_DISPATCH_CACHE_MS: z.coerce.number().int().min(0).default(60_000),
  /** How often escalations waiting for an owner are assigned (0 = never: no owner is set). */
  DESK_DISPATCH_POLL_MS: z.coerce.number().int().min(0).default(2_000),
  DESK_SLA_FIRST_RESPONSE_MINUTES: z.coerce.number().positive().default(60),
  DESK_SLA_CLIENT_MINUTES: z.string().default('').transform((s, ctx) => {
    try { return parseClientMinutes(s); } catch (e) { ctx.addIssue({ code: 'custom', message: (e as Error).message }); return z.NEVER; }
  }),
  DESK_SLA_WARN_AT: z.coerce.number().gt(0).max(1).default(0.75),
  /** 0 = SLA monitoring off. */
  DESK_SLA_POLL_MS: z.coerce.number().int().min(0).default(60_000),
  /** How far back escalated tickets are watched for a first response. */
  DESK_SLA_LOOKBACK_HOURS: z.coerce.number().positive().default(72),
  /** Work type of billable (not covered) time; covered time uses the desk config's msp.workType. */
  DESK_BILLABLE_WORK_TYPE: z.string().min(1).default('Remote Support'),
  DESK_AGREEMENT_CACHE_MS: z.coerce.number().int().min(0).default(600_000),
  /** How often the morning queue looks for clients whose business day began (0 = this replica never writes it). */
  DESK_MORNING_SUMMARY_POLL_MS: z.coerce.number().int().min(0).default(60_000),
});
export type DispatchEnv = z.infer<typeof DispatchEnv>;

export function loadDispatchEnv(env: NodeJS.ProcessEnv = process.env): DispatchEnv {
  const r = DispatchEnv.safeParse(env);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(`invalid dispatch setting ${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`);
  }
  return r.data;
}
