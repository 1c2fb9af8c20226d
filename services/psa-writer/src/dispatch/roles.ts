/** The desk's technician roles (msp.json `role`). */
export const TECH_ROLES = ['l1', 'l2', 'l3', 'security', 'manager'] as const;
export type TechRole = (typeof TECH_ROLES)[number];

/**
 * The role of a PSA member, read from what the PSA records (a job title such as "Systems Engineer (L2)",
 * or the bare role). A configured override wins, because titles are free text an MSP may word differently.
 */
export function roleOf(identifier: string, title: string | null, overrides: Readonly<Record<string, TechRole>> = {}): TechRole | null {
  const forced = overrides[identifier] ?? overrides[identifier.toLowerCase()];
  if (forced) return forced;
  const t = (title ?? '').toLowerCase();
  if (!t) return null;
  const tier = /\b(?:l|level|tier)\s*-?\s*([123])\b/.exec(t);
  if (tier) return `l${tier[1]}` as TechRole;
  if (/\bsecurity\b|\bsoc\b/.test(t)) return 'security';
  if (/\bmanager\b|\bdirector\b|\blead\b/.test(t)) return 'manager';
  if (/\bsenior engineer\b|\barchitect\b/.test(t)) return 'l3';
  if (/\bsystems? engineer\b/.test(t)) return 'l2';
  if (/\bservice desk\b|\bhelp ?desk\b|\btechnician\b/.test(t)) return 'l1';
  return (TECH_ROLES as readonly string[]).includes(t.trim()) ? (t.trim() as TechRole) : null;
}
