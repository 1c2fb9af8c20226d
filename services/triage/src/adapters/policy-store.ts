import { qualified } from '@desk/platform';
import { EntityManager } from 'typeorm';
import { AfterHoursBehaviour, PolicyDocument, PolicyRule, parsePolicyDocument } from '../domain/policy/policy';

interface RuleRow { client: string; category: string; mode: string; min_confidence: number | null; after_hours: string | null }
interface SettingRow { key: string; value: unknown }
interface SwitchRow { scope: string; engaged: boolean }
export interface PolicyAuditRow { id: string; actor: string; action: string; target: string; before: unknown; after: unknown; reason: string | null; at: Date }

const GLOBAL = '*global*';

/**
 * The policy in PostgreSQL. Every change writes a policy_audit row (who, what, before, after) in the same
 * transaction, so the trail cannot miss a change that took effect.
 */
export class PolicyStore {
  constructor(private readonly schema: string) {}

  private t(name: string): string {
    return qualified(this.schema, name);
  }

  async load(em: EntityManager): Promise<PolicyDocument> {
    const [rules, settings, switches] = await Promise.all([
      em.query(`SELECT client, category, mode, min_confidence, after_hours FROM ${this.t('policy_rule')} ORDER BY updated_at, client, category`) as Promise<RuleRow[]>,
      em.query(`SELECT key, value FROM ${this.t('policy_setting')}`) as Promise<SettingRow[]>,
      em.query(`SELECT scope, engaged FROM ${this.t('kill_switch')}`) as Promise<SwitchRow[]>,
    ]);
    const defaults = settings.find((s) => s.key === 'defaults')?.value ?? {};
    return parsePolicyDocument({
      defaults,
      killSwitch: { global: switches.some((s) => s.scope === GLOBAL && s.engaged), clients: switches.filter((s) => s.scope !== GLOBAL && s.engaged).map((s) => s.scope) },
      rules: rules.map((r) => ({ client: r.client, category: r.category, mode: r.mode, ...(r.min_confidence !== null ? { minConfidence: r.min_confidence } : {}), ...(r.after_hours !== null ? { afterHours: r.after_hours } : {}) })),
    });
  }

  /** True once anything was stored (first start imports the YAML file only into empty tables). */
  async isEmpty(em: EntityManager): Promise<boolean> {
    const rows = (await em.query(`SELECT (SELECT count(*) FROM ${this.t('policy_rule')}) + (SELECT count(*) FROM ${this.t('policy_setting')}) + (SELECT count(*) FROM ${this.t('kill_switch')}) AS n`)) as Array<{ n: string }>;
    return Number(rows[0]?.n ?? 0) === 0;
  }

  async setRule(em: EntityManager, rule: PolicyRule, actor: string, reason: string | null): Promise<void> {
    const before = (await em.query(`SELECT mode, min_confidence, after_hours FROM ${this.t('policy_rule')} WHERE client = $1 AND category = $2`, [rule.client, rule.category])) as RuleRow[];
    await em.query(
      `INSERT INTO ${this.t('policy_rule')} (client, category, mode, min_confidence, after_hours, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (client, category) DO UPDATE SET mode = EXCLUDED.mode, min_confidence = EXCLUDED.min_confidence, after_hours = EXCLUDED.after_hours, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [rule.client, rule.category, rule.mode, rule.minConfidence ?? null, rule.afterHours ?? null, actor],
    );
    await this.audit(em, actor, 'set_rule', `${rule.client}:${rule.category}`, before[0] ?? null, rule, reason);
  }

  async deleteRule(em: EntityManager, client: string, category: string, actor: string, reason: string | null): Promise<boolean> {
    const before = (await em.query(`DELETE FROM ${this.t('policy_rule')} WHERE client = $1 AND category = $2 RETURNING mode, min_confidence, after_hours`, [client, category])) as [RuleRow[], number] | RuleRow[];
    const rows = Array.isArray(before[0]) ? (before[0] as RuleRow[]) : (before as RuleRow[]);
    if (rows.length === 0) return false;
    await this.audit(em, actor, 'delete_rule', `${client}:${category}`, rows[0], null, reason);
    return true;
  }

  async setDefaults(em: EntityManager, defaults: { mode: string; minConfidence: number; afterHours: AfterHoursBehaviour }, actor: string, reason: string | null): Promise<void> {
    const before = (await em.query(`SELECT value FROM ${this.t('policy_setting')} WHERE key = 'defaults'`)) as SettingRow[];
    await em.query(
      `INSERT INTO ${this.t('policy_setting')} (key, value, updated_by, updated_at) VALUES ('defaults', $1, $2, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [JSON.stringify(defaults), actor],
    );
    await this.audit(em, actor, 'set_defaults', 'defaults', before[0]?.value ?? null, defaults, reason);
  }

  /** client = null: the global switch. */
  async setKillSwitch(em: EntityManager, client: string | null, engaged: boolean, actor: string, reason: string | null): Promise<void> {
    const scope = client ?? GLOBAL;
    const before = (await em.query(`SELECT engaged FROM ${this.t('kill_switch')} WHERE scope = $1`, [scope])) as SwitchRow[];
    await em.query(
      `INSERT INTO ${this.t('kill_switch')} (scope, engaged, reason, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (scope) DO UPDATE SET engaged = EXCLUDED.engaged, reason = EXCLUDED.reason, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [scope, engaged, reason, actor],
    );
    await this.audit(em, actor, engaged ? 'engage_kill_switch' : 'release_kill_switch', client ?? 'global', before[0] ? { engaged: before[0].engaged } : null, { engaged }, reason);
  }

  /** Imports a policy document: `replace` first clears every rule (kill switches are only ever set, never cleared, by an import). */
  async importDocument(em: EntityManager, doc: PolicyDocument, actor: string, opts: { replace: boolean; source: string }): Promise<{ rules: number }> {
    if (opts.replace) {
      const old = await this.load(em);
      await em.query(`DELETE FROM ${this.t('policy_rule')}`);
      await this.audit(em, actor, 'clear_rules', 'rules', old.rules, null, `import from ${opts.source}`);
    }
    await this.setDefaults(em, doc.defaults, actor, `import from ${opts.source}`);
    for (const r of doc.rules) await this.setRule(em, r, actor, `import from ${opts.source}`);
    if (doc.killSwitch.global) await this.setKillSwitch(em, null, true, actor, `import from ${opts.source}`);
    for (const c of doc.killSwitch.clients) await this.setKillSwitch(em, c, true, actor, `import from ${opts.source}`);
    return { rules: doc.rules.length };
  }

  async auditTrail(em: EntityManager, limit: number): Promise<PolicyAuditRow[]> {
    return (await em.query(`SELECT id, actor, action, target, before, after, reason, at FROM ${this.t('policy_audit')} ORDER BY id DESC LIMIT $1`, [limit])) as PolicyAuditRow[];
  }

  private async audit(em: EntityManager, actor: string, action: string, target: string, before: unknown, after: unknown, reason: string | null): Promise<void> {
    await em.query(`INSERT INTO ${this.t('policy_audit')} (actor, action, target, before, after, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
      [actor, action, target, before === null ? null : JSON.stringify(before), after === null ? null : JSON.stringify(after), reason]);
  }
}
