import { ContactRecord, UserRecord, contactByUpn, lc, userOf } from './records';
import { Escalation, escalate } from './plan-types';
import { bulletsNaming, personTerms } from './prose';
import { refs } from './targets';
import type { DraftContext } from './planner';

export interface Affected {
  user: UserRecord;
  contact: ContactRecord | null;
}

/** The affected account: in THIS client's tenant, read live from the identity system. */
export function resolveAffected(ctx: DraftContext): Affected | Escalation {
  const users = refs(ctx.triage, 'user', 0.6);
  const upn = ctx.triage.affectedUpn ?? (users.length === 1 ? users[0]! : null);
  if (!upn) return escalate('bad_input', users.length > 1 ? `several people could be meant (${users.join(', ')})` : 'the affected account is not clear from the ticket');
  const domain = lc(upn).split('@')[1] ?? '';
  if (!ctx.snapshot.domains.some((d) => lc(d) === domain)) return escalate('target_not_allowed', `${upn} is not an account of this client`);
  const user = userOf(ctx.snapshot, upn);
  if (!user) return escalate('target_not_allowed', `no account ${upn} exists in this client's tenant`);
  return { user, contact: contactByUpn(ctx.snapshot, user.upn) };
}

/** Rule 5: never disabled accounts, shared mailboxes, service or admin accounts, or privileged members. */
export function accountGuards(ctx: DraftContext, a: Affected, opts: { allowShared: boolean; requireEnabled: boolean }): Escalation | null {
  const t = a.user.accountType;
  if (t === null) return escalate('target_not_allowed', 'the account type is not on record; automation only touches member accounts');
  if (t === 'admin' || t === 'service') return escalate('privileged_target', `${a.user.upn} is a ${t} account: never changed by automation`);
  if (t === 'shared_mailbox') return escalate('target_not_allowed', `${a.user.upn} is a shared mailbox (no sign-in): never changed by automation`);
  if (t === 'shared_account' && !opts.allowShared) return escalate('target_not_allowed', `${a.user.upn} is a shared login: it may be unlocked by its manager on file, never reset or changed`);
  if (opts.requireEnabled && !a.user.accountEnabled) return escalate('target_not_allowed', `${a.user.upn} is disabled (former employee or offboarded): never re-enabled through automation`);
  if (t === 'member' && (!a.contact || !a.contact.active)) return escalate('target_not_allowed', `${a.user.upn} has no active contact on file (former employee?)`);
  const privileged = a.user.groups.filter((g) => ctx.snapshot.groups.some((x) => lc(x.name) === lc(g) && x.privileged));
  if (privileged.length > 0) return escalate('privileged_target', `${a.user.upn} is in privileged group(s) ${privileged.join(', ')}: a technician handles it`);
  return null;
}

/** Prose that singles out this person (by name or UPN) or VIPs/partners when the person is one. */
export function proseAboutPerson(ctx: DraftContext, a: Affected): Escalation | null {
  const terms = personTerms({ firstName: a.contact?.firstName, lastName: a.contact?.lastName, upn: a.user.upn, displayName: a.user.displayName });
  const named = bulletsNaming(ctx.escalateIf, terms);
  if (named.length > 0) return escalate('target_not_allowed', `the runbook's "Escalate if" names this person: ${named[0]}`);
  if (a.contact?.vip && /\b(?:vip|partners?|executives?)\b/i.test(`${ctx.escalateIf}\n${ctx.runbook.prose.prerequisites}`)) {
    return escalate('target_not_allowed', 'the runbook excludes VIPs / partners / executives from automation, and this person is one');
  }
  if (/no manager on file/i.test(ctx.escalateIf) && !a.user.managerUpn && !a.contact?.managerContactId) {
    return escalate('target_not_allowed', 'the runbook requires a manager on file, and this person has none');
  }
  return null;
}
