import { ActionDraft, DraftContext } from './planner';
import { Escalation, escalate } from './plan-types';
import { Affected, accountGuards, proseAboutPerson, resolveAffected } from './plan-common';
import { approversFor, managerContact, relations } from './authority';
import { ContactRecord, UserRecord, groupByName, lc } from './records';
import { missingFields, parseNewUserRequest } from './onboarding-request';

/** reset_password, unlock_account, reenroll_mfa, disable_account, create_account. */
export function planUserAction(ctx: DraftContext): ActionDraft | Escalation {
  if (ctx.action === 'create_account') return planCreate(ctx);
  const a = resolveAffected(ctx);
  if ('kind' in a) return a;
  const shared = a.user.accountType === 'shared_account';
  const guard = accountGuards(ctx, a, { allowShared: ctx.action === 'unlock_account', requireEnabled: true });
  if (guard) return guard;
  const prose = proseAboutPerson(ctx, a);
  if (prose && !(shared && ctx.action === 'unlock_account')) return prose;

  const rels = relations(ctx.snapshot, ctx.requester, a.user);
  const reasons: string[] = [`${a.user.upn} is an enabled ${a.user.accountType} account of ${ctx.snapshot.clientIdentifier}`];
  const requesterName = ctx.requester ? `${ctx.requester.firstName} ${ctx.requester.lastName}` : 'unknown';

  switch (ctx.action) {
    case 'unlock_account': {
      if (shared) {
        if (!rels.has('manager') && !rels.has('approver')) return escalate('not_authorized', 'a shared login is unlocked only at the request of its manager on file or an authorized approver');
        return draft(ctx, a, rels, ctx.requester, null, [...reasons, `${requesterName} is the shared login's manager/approver`]);
      }
      break;
    }
    case 'reenroll_mfa': {
      const removable = a.user.mfaMethods.filter((m) => m.type === 'phone' || m.type === 'microsoftAuthenticator');
      if (a.user.mfaMethods.length === 0 || removable.length === 0) return escalate('out_of_scope', 'no phone or Authenticator method is registered: first-time registration is walked through by a technician');
      break;
    }
    case 'disable_account': {
      if (rels.has('self')) return escalate('not_authorized', 'a departing user cannot request their own offboarding');
      if (!rels.has('manager') && !rels.has('approver')) return escalate('not_authorized', 'offboarding is requested only by the manager on file or an authorized approver');
      const when = departureTiming(ctx.text, ctx.now);
      if (when.kind === 'vague') return escalate('bad_input', 'the departure time is vague; a technician confirms it with the requester');
      const d = draft(ctx, a, rels, ctx.requester, null, [...reasons, `${requesterName} is the manager on file / an authorized approver`]);
      if (when.kind === 'at') {
        d.notBefore = when.at.toISOString();
        d.reasons.push(`disable scheduled for ${d.notBefore} (the stated departure)`);
      }
      return d;
    }
    default:
      break;
  }
  if (rels.size === 0 || (rels.size === 1 && rels.has('owner'))) {
    return escalate('not_authorized', `${requesterName} is neither the account owner, the manager on file nor an authorized approver`);
  }
  // Codes prove control of the affected person's own phone; the password goes to the same place.
  const recipient = a.contact;
  let secret: ContactRecord | null = null;
  if (ctx.action === 'reset_password') {
    secret = a.contact;
    if (!a.contact?.mobile && /(?:coordinator|manager)'?s? (?:mobile|phone)|by sms to the (?:volunteer )?coordinator/i.test(`${ctx.prose}\n${ctx.runbook.prose.steps}`)) {
      secret = managerContact(ctx.snapshot, a.user);
    }
  }
  const codeTo = recipient?.mobile ? recipient : secret;
  return draft(ctx, a, rels, codeTo, secret, [...reasons, `requester ${requesterName}: ${[...rels].join(', ')}`]);
}

function draft(ctx: DraftContext, a: Affected, rels: Set<import('./authority').Relation>, codeTo: ContactRecord | null, secret: ContactRecord | null, reasons: string[]): ActionDraft {
  const approvalFrom = ctx.rule === 'manager_approval' && !rels.has('manager') && !rels.has('approver')
    ? approversFor(ctx.snapshot, a.user)
    : [];
  const params: Record<string, string | null> = { upn: a.user.upn };
  if (ctx.action === 'unlock_account') {
    const dc = ctx.snapshot.domainController;
    params.domainController = dc;
    params.samAccountName = dc ? lc(a.user.upn).split('@')[0]!.slice(0, 20) : null;
  }
  return {
    steps: [{ action: ctx.action, params }], affectedUpn: a.user.upn, relations: rels, approvalFrom,
    codeRecipient: codeTo, secretRecipient: secret, reasons,
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * When the account must go: "already left" / "today" → now; a calendar date or a weekday → that day
 * at the end of the business day (17:00 UTC on that date, never earlier than asked); nothing → vague.
 */
export function departureTiming(text: string, now: Date): { kind: 'now' } | { kind: 'at'; at: Date } | { kind: 'vague' } {
  if (/\b(?:already left|has left|left (?:the (?:company|firm|practice|foundation|plant))|effective immediately|immediately|right away|as of (?:now|today)|today|this (?:morning|afternoon)|last day (?:was|is) (?:yesterday|today))\b/i.test(text)) return { kind: 'now' };
  const eod = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d, 17, 0, 0));
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  if (iso) return dated(eod(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])), now);
  const md = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?\b/i.exec(text);
  if (md) {
    const month = MONTHS.indexOf(md[1]!.toLowerCase());
    const day = Number(md[2]);
    let year = md[3] ? Number(md[3]) : now.getUTCFullYear();
    if (!md[3] && eod(year, month, day).getTime() < now.getTime() - 24 * 3600_000) year++;
    return dated(eod(year, month, day), now);
  }
  if (/\b(?:next week|sometime|soon|at some point|in a few weeks|end of (?:the )?month)\b/i.test(text)) return { kind: 'vague' };
  const wd = /\b(?:on |this |next )?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/i.exec(text);
  if (wd) {
    const target = DAYS.indexOf(wd[1]!.toLowerCase());
    const ahead = (target - now.getUTCDay() + 7) % 7;
    return dated(eod(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + ahead), now);
  }
  if (/\btomorrow\b/i.test(text)) return dated(eod(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1), now);
  return { kind: 'vague' };
}

function dated(at: Date, now: Date): { kind: 'now' } | { kind: 'at'; at: Date } | { kind: 'vague' } {
  if (Number.isNaN(at.getTime())) return { kind: 'vague' };
  if (at.getTime() - now.getTime() > 120 * 24 * 3600_000) return { kind: 'vague' }; // months away: a person plans it
  return at.getTime() <= now.getTime() ? { kind: 'now' } : { kind: 'at', at };
}

/**
 * Onboarding creates an account from the template colleague's non-privileged groups. Every required
 * detail must be in the request (free text, read by rules or a validated LLM extraction); the requester
 * must be an authorized approver or the stated manager (then an authorized approver must agree). What is
 * missing or unknown is named in the escalation, never guessed.
 */
function planCreate(ctx: DraftContext): ActionDraft | Escalation {
  const req = ctx.newUser ?? parseNewUserRequest(`${ctx.ticket.summary}\n${ctx.ticket.description}`, ctx.now);
  if (!ctx.requester) return escalate('not_authorized', 'requester unknown');
  if (/\b(?:contractor|temp(?:orary)? (?:worker|agency)|board member|intern)\b/i.test(ctx.text)) return escalate('out_of_scope', 'contractors, temps and board members have no standard template');
  const missing = missingFields(req);
  if (missing.length > 0) return escalate('bad_input', `onboarding details missing: ${missing.join(', ')}; the requester is asked for them`);
  const start = Date.parse(`${req.startDate!}T00:00:00Z`);
  if (!Number.isFinite(start) || start - ctx.now.getTime() < 12 * 3600 * 1000) return escalate('bad_input', `the start date ${req.startDate} is today or already passed`);

  const template = personAccount(ctx, req.sameAccessAs!);
  if (!template) return escalate('bad_input', `the "same access as" colleague (${req.sameAccessAs}) is not an account of this client`);
  const guard = accountGuards(ctx, { user: template, contact: null }, { allowShared: false, requireEnabled: true });
  if (guard && guard.reason === 'privileged_target') return escalate('privileged_target', 'the template colleague has privileged access; a technician decides what to copy');
  const manager = req.manager === 'me' ? ctx.requester : personContact(ctx, req.manager!);
  if (!manager || !manager.active) return escalate('bad_input', `the stated manager (${req.manager}) is not an active contact of this client`);
  const requesterIsManager = manager.id === ctx.requester.id;
  if (!ctx.requester.authorizedApprover && !requesterIsManager) {
    return escalate('not_authorized', 'onboarding is requested only by an authorized approver or the new hire\'s manager');
  }
  if (!manager.mobile) return escalate('identity_verification_failed', `the manager ${manager.firstName} ${manager.lastName} has no mobile on file for the temporary password`);

  const parts = req.fullName!.trim().split(/\s+/);
  const domain = ctx.snapshot.domains[0]!;
  const upn = `${lc(parts[0]).replace(/[^a-z]/g, '')}.${lc(parts[parts.length - 1]).replace(/[^a-z-]/g, '')}@${domain}`;
  if (ctx.snapshot.users.has(upn)) return escalate('bad_input', `${upn} is already taken; a technician asks which name to use`);

  const excluded = exceptWords(req.except);
  const groups = template.groups.filter((g) => {
    const rec = groupByName(ctx.snapshot, g);
    return rec !== null && !rec.privileged && !CONFIDENTIAL.test(rec.name) && !excluded.some((w) => lc(rec.name).includes(w));
  });
  for (const asked of req.groups) {
    const rec = groupByName(ctx.snapshot, asked) ?? ctx.snapshot.groups.find((g) => lc(g.name).replace(/[^a-z0-9]/g, '').endsWith(lc(asked).replace(/[^a-z0-9]/g, ''))) ?? null;
    if (!rec) return escalate('bad_input', `the group "${asked}" the request asks for is not a group of this client`);
    if (rec.privileged) return escalate('privileged_target', `the request asks for the privileged group ${rec.name}`);
    if (CONFIDENTIAL.test(rec.name)) return escalate('target_not_allowed', `${rec.name} holds confidential data; a technician decides`);
    if (!groups.includes(rec.name)) groups.push(rec.name);
  }
  const department = req.department ?? template.department;
  if (!department) return escalate('bad_input', 'onboarding details missing: department; the requester is asked for it');
  const reasons = [
    `new account for ${req.fullName} (${req.jobTitle}, ${department}${req.department ? '' : ' — the template colleague\'s department'}), starting ${req.startDate}, manager ${manager.firstName} ${manager.lastName}`,
    `modelled on ${template.upn}: privileged and confidential groups left out${excluded.length ? `, and ${req.except}` : ''}`,
  ];
  if (req.licences.length > 0) reasons.push(`licence(s) asked: ${req.licences.join(', ')} — assigned by a technician (the desk assigns none)`);
  const approvalFrom = ctx.requester.authorizedApprover ? [] : ctx.snapshot.contacts.filter((c) => c.active && c.authorizedApprover && c.id !== ctx.requester!.id);
  if (!ctx.requester.authorizedApprover && approvalFrom.length === 0) return escalate('not_authorized', 'the manager asked, and no authorized approver is on file to agree');
  return {
    steps: [{
      action: 'create_account',
      params: {
        upn, displayName: req.fullName!, department, jobTitle: req.jobTitle, templateUpn: template.upn, groups,
        managerUpn: manager.upn, startDate: req.startDate, office: req.office, preferredName: req.preferredName, licences: req.licences,
      },
    }],
    affectedUpn: upn, relations: new Set(ctx.requester.authorizedApprover ? ['approver'] : ['manager']), approvalFrom,
    codeRecipient: ctx.requester, secretRecipient: manager, reasons,
  };
}

const CONFIDENTIAL = /matter|\bhr\b|-hr-|payment|payroll|approver|finance|board|donor/i;

/** "except matter groups" → ["matter"]: the words that name what to leave out. */
function exceptWords(except: string | null): string[] {
  if (!except) return [];
  return (except.split(/\s+-\s+|[.;]/)[0] ?? '').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 3 && !['group', 'groups', 'access', 'the', 'and', 'any', 'his', 'her', 'their', 'for', 'all'].includes(w));
}

const fullName = (c: { firstName: string; lastName: string }) => `${c.firstName} ${c.lastName}`;

/** A contact of the client named by full name or address (exactly one, else none). */
function personContact(ctx: DraftContext, who: string): ContactRecord | null {
  const hits = ctx.snapshot.contacts.filter((c) => lc(c.email) === lc(who) || lc(c.upn) === lc(who) || lc(fullName(c)) === lc(who));
  return hits.length === 1 ? hits[0]! : null;
}

/** The account of a named colleague: by UPN, display name, or their contact's account. */
function personAccount(ctx: DraftContext, who: string): UserRecord | null {
  const users = [...ctx.snapshot.users.values()];
  const direct = ctx.snapshot.users.get(lc(who)) ?? users.find((u) => lc(u.displayName) === lc(who)) ?? null;
  if (direct) return direct;
  const c = personContact(ctx, who);
  return c?.upn ? ctx.snapshot.users.get(lc(c.upn)) ?? null : null;
}
