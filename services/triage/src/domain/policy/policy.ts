import { AutomationMode, TICKET_CATEGORIES, TicketCategory } from '@desk/contracts';
import { z } from 'zod';

/** Categories the desk never automates, whatever a policy says: no runbook can act on them. */
export const NEVER_AUTONOMOUS: ReadonlySet<TicketCategory> = new Set<TicketCategory>(['security_incident', 'hardware', 'other']);

/** Categories whose actions change a person's account: they need a resolved affected user. */
export const IDENTITY_CATEGORIES: ReadonlySet<TicketCategory> = new Set<TicketCategory>([
  'password_reset', 'account_unlock', 'mfa_reenroll', 'group_membership', 'distribution_list', 'offboarding',
]);

export const AFTER_HOURS = ['same', 'shadow', 'escalate'] as const;
export const AfterHoursBehaviour = z.enum(AFTER_HOURS);
export type AfterHoursBehaviour = z.infer<typeof AfterHoursBehaviour>;

const WILDCARD = '*';

export const PolicyRule = z.object({
  /** PSA company identifier, or "*" for every client. */
  client: z.string().min(1),
  /** A ticket category, or "*" for every category. */
  category: z.union([z.literal(WILDCARD), z.enum(TICKET_CATEGORIES)]),
  mode: AutomationMode,
  minConfidence: z.number().min(0).max(1).optional(),
  afterHours: AfterHoursBehaviour.optional(),
});
export type PolicyRule = z.infer<typeof PolicyRule>;

export const PolicyDocument = z.object({
  defaults: z.object({
    mode: AutomationMode.default('shadow'),
    minConfidence: z.number().min(0).max(1).default(0.9),
    afterHours: AfterHoursBehaviour.default('same'),
  }).default({ mode: 'shadow', minConfidence: 0.9, afterHours: 'same' }),
  killSwitch: z.object({
    global: z.boolean().default(false),
    clients: z.array(z.string()).default([]),
  }).default({ global: false, clients: [] }),
  rules: z.array(PolicyRule).default([]),
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;

/** The safe default: everything in shadow (propose only), nothing automated until someone says so. */
export const SAFE_DEFAULT_POLICY: PolicyDocument = PolicyDocument.parse({});

export interface EffectivePolicy {
  mode: AutomationMode;
  minConfidence: number;
  afterHours: AfterHoursBehaviour;
  killSwitch: 'global' | 'client' | null;
  /** Which rule decided the mode ("client:category", or "defaults"). */
  source: string;
}

/** Most specific rule wins: client+category, then client+*, then *+category, then *+*, then defaults. */
export function effectivePolicy(doc: PolicyDocument, client: string | null, category: TicketCategory): EffectivePolicy {
  const c = client?.toLowerCase() ?? null;
  const match = (r: PolicyRule, wantClient: string | null, wantCategory: string) =>
    (wantClient === WILDCARD ? r.client === WILDCARD : r.client.toLowerCase() === wantClient) && r.category === wantCategory;
  const order: Array<[string | null, string]> = [[c, category], [c, WILDCARD], [WILDCARD, category], [WILDCARD, WILDCARD]];
  let rule: PolicyRule | undefined;
  for (const [wc, wcat] of order) {
    if (wc === null) continue;
    // Later rules win over earlier ones at the same specificity (an import appends).
    rule = [...doc.rules].reverse().find((r) => match(r, wc, wcat));
    if (rule) break;
  }
  const killSwitch = doc.killSwitch.global ? 'global' : c !== null && doc.killSwitch.clients.some((k) => k.toLowerCase() === c) ? 'client' : null;
  return {
    mode: rule?.mode ?? doc.defaults.mode,
    minConfidence: rule?.minConfidence ?? doc.defaults.minConfidence,
    afterHours: rule?.afterHours ?? doc.defaults.afterHours,
    killSwitch,
    source: rule ? `${rule.client}:${rule.category}` : 'defaults',
  };
}

/** Parses a policy file (YAML already parsed to a value); errors name the failing path. */
export function parsePolicyDocument(raw: unknown): PolicyDocument {
  const r = PolicyDocument.safeParse(raw ?? {});
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(`invalid policy: ${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`);
  }
  return r.data;
}
