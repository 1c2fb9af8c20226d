import { ActionDraft, DraftContext } from './planner';
import { AlreadySo, Escalation, escalate } from './plan-types';
import { accountGuards, proseAboutPerson, resolveAffected } from './plan-common';
import { approversFor, ownerContacts, relations } from './authority';
import { allowed, resolveGroup } from './targets';
import { bullets, bulletsNaming, mentions } from './prose';
import { ContactRecord, lc } from './records';

/** add_to_group, remove_from_group, add_to_distribution_list. */
export function planGroupAction(ctx: DraftContext): ActionDraft | Escalation | AlreadySo {
  const a = resolveAffected(ctx);
  if ('kind' in a) return a;
  const guard = accountGuards(ctx, a, { allowShared: false, requireEnabled: true });
  // A user in a privileged group may still join an ordinary group; only the target group's privilege matters here.
  if (guard && guard.reason !== 'privileged_target') return guard;
  const personRule = proseAboutPerson(ctx, a);
  if (personRule) return personRule;

  const group = resolveGroup(ctx.triage, ctx.snapshot, ctx.ticket.summary);
  if ('kind' in group) return group;
  if (group.privileged) return escalate('privileged_target', `${group.name} is privileged: never changed by automation, whoever asks`);
  const wantsList = ctx.action === 'add_to_distribution_list';
  if (wantsList !== (group.type === 'distribution')) {
    return escalate('target_not_allowed', `${group.name} is a ${group.type} group; this runbook covers ${wantsList ? 'distribution lists' : 'security and Microsoft 365 groups'}`);
  }
  const onList = allowed(ctx.headers, (h) => h.allowedGroups, group.name);
  if (onList === false) return escalate('target_not_allowed', `${group.name} is not on the runbook's allow-list`);
  const named = bulletsNaming(ctx.escalateIf, [group.name]);
  if (named.length > 0) return escalate('target_not_allowed', `the runbook's "Escalate if" names this group: ${named[0]}`);
  if (/\bWC-Matter-|matter group/i.test(group.name) && /matter/i.test(ctx.escalateIf)) return escalate('target_not_allowed', 'matter groups (ethical walls) are never automated');

  const isMember = a.user.groups.some((g) => lc(g) === lc(group.name));
  if (ctx.action !== 'remove_from_group' && isMember) return escalate('other', `${a.user.upn} is already a member of ${group.name}: the problem is elsewhere`);

  const rels = relations(ctx.snapshot, ctx.requester, a.user, group);
  const who = ctx.requester ? `${ctx.requester.firstName} ${ctx.requester.lastName}` : 'unknown';
  if (rels.size === 0) return escalate('not_authorized', `${who} has no authority over ${a.user.upn}'s access (not the user, the manager on file, a group owner or an authorized approver)`);
  if (ctx.action === 'remove_from_group' && !isMember) {
    // The state asked for already holds. Only the user themself is told so (membership is not shared with
    // anyone else who asks); for anyone else a technician confirms with the requester.
    if (!rels.has('self')) return escalate('other', `${a.user.upn} is not a member of ${group.name}: nothing to remove, a technician confirms with the requester`);
    return {
      kind: 'already_so',
      why: `${a.user.upn} is not a member of ${group.name}: nothing to remove`,
      customerMessage: `You are not a member of ${group.name}, so there is nothing to remove. If you still receive its messages or notifications, they may come from a channel or conversation you follow; reply to this ticket and a technician will look into it.`,
    };
  }

  // Lists the prose restricts to their owners/approvers ("all staff" lists, onboarding-only lists).
  const restricted = bullets(ctx.runbook.prose.prerequisites).some((b) => mentions(b, group.name) && /\bonly\b/i.test(b));
  const approvalFrom: ContactRecord[] = [];
  if (ctx.action === 'remove_from_group') {
    if (!(rels.has('self') || rels.has('manager') || rels.has('owner') || rels.has('approver'))) return escalate('not_authorized', 'no authority to remove this membership');
  } else if (restricted) {
    if (!rels.has('owner') && !rels.has('approver')) return escalate('not_authorized', `${group.name} changes only through its owner or an authorized approver`);
  } else if (!group.selfServiceAllowed && !rels.has('owner') && !rels.has('approver')) {
    // Not self-service: the owner (or an authorized approver) must approve in writing on the ticket.
    approvalFrom.push(...ownerContacts(ctx.snapshot, group), ...approversFor(ctx.snapshot, null));
  }
  if (ctx.rule === 'manager_approval' && !rels.has('manager') && !rels.has('approver')) {
    for (const c of approversFor(ctx.snapshot, a.user)) if (!approvalFrom.some((x) => x.id === c.id)) approvalFrom.push(c);
  }
  return {
    steps: [{ action: ctx.action, params: { upn: a.user.upn, group: group.name } }],
    affectedUpn: a.user.upn, relations: rels, approvalFrom,
    codeRecipient: ctx.requester, secretRecipient: null,
    reasons: [`${group.name}: ${group.type}, not privileged${onList ? ', on the allow-list' : ''}`, `requester ${who}: ${[...rels].join(', ')}`],
  };
}
