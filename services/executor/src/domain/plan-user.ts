import { ActionDraft, DraftContext } from './planner';
import { Escalation, escalate } from './plan-types';
import { Affected, accountGuards, proseAboutPerson, resolveAffected } from './plan-common';
import { approversFor, managerContact, relations } from './authority';
import { ContactRecord, lc } from './records';

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
 * Onboarding creates an account with the template colleague's non-privileged groups; it needs every
 * required detail in the request and an authorized approver (or the future manager) as requester.
 */
function planCreate(ctx: DraftContext): ActionDraft | Escalation {
  const f = onboardingFields(ctx.ticket.description);
  const missing = (['name', 'start', 'title', 'department', 'template'] as const).filter((k) => !f[k]);
  if (missing.length > 0) return escalate('bad_input', `onboarding details missing: ${missing.join(', ')}`);
  if (!ctx.requester) return escalate('not_authorized', 'requester unknown');
  const start = Date.parse(f.start!);
  if (!Number.isFinite(start) || start - ctx.now.getTime() < 24 * 3600 * 1000) return escalate('bad_input', 'the start date is missing, today or already passed');
  if (/\b(?:contractor|temp(?:orary)? (?:worker|agency)|board member|intern)\b/i.test(ctx.text)) return escalate('out_of_scope', 'contractors, temps and board members have no standard template');
  const template = ctx.snapshot.users.get(lc(f.template!)) ?? [...ctx.snapshot.users.values()].find((u) => lc(u.displayName) === lc(f.template!)) ?? null;
  if (!template) return escalate('bad_input', 'the "same access as" colleague is not an account of this client');
  const guard = accountGuards(ctx, { user: template, contact: null }, { allowShared: false, requireEnabled: true });
  if (guard && guard.reason === 'privileged_target') return escalate('privileged_target', 'the template colleague has privileged access; a technician decides what to copy');
  if (!ctx.requester.authorizedApprover && !(template.managerUpn && lc(template.managerUpn) === lc(ctx.requester.upn))) {
    return escalate('not_authorized', 'onboarding is requested only by an authorized approver or the new hire\'s manager');
  }
  const parts = f.name!.trim().split(/\s+/);
  const domain = ctx.snapshot.domains[0]!;
  const upn = `${lc(parts[0]).replace(/[^a-z]/g, '')}.${lc(parts[parts.length - 1]).replace(/[^a-z-]/g, '')}@${domain}`;
  if (ctx.snapshot.users.has(upn)) return escalate('bad_input', `${upn} is already taken; a technician asks which name to use`);
  const groups = template.groups.filter((g) => {
    const rec = ctx.snapshot.groups.find((x) => lc(x.name) === lc(g));
    return rec !== undefined && !rec.privileged && !/matter|hr|payment|payroll|approver|finance|board|donor/i.test(rec.name);
  });
  const manager = ctx.snapshot.contacts.find((c) => c.upn && template.managerUpn && lc(c.upn) === lc(template.managerUpn)) ?? null;
  return {
    steps: [{ action: 'create_account', params: { upn, displayName: f.name!, department: f.department, jobTitle: f.title, templateUpn: template.upn, groups } }],
    affectedUpn: upn, relations: new Set(ctx.requester.authorizedApprover ? ['approver'] : ['manager']), approvalFrom: [],
    codeRecipient: ctx.requester, secretRecipient: manager, reasons: [`new account modelled on ${template.upn}, privileged and confidential groups left out`],
  };
}

function onboardingFields(text: string): Record<'name' | 'start' | 'title' | 'department' | 'template', string | null> {
  const pick = (re: RegExp) => re.exec(text)?.[1]?.trim() ?? null;
  return {
    name: pick(/(?:full (?:legal )?name|name)\s*:\s*([^\n]+)/i),
    start: pick(/start(?:ing)? date\s*:\s*(\d{4}-\d{2}-\d{2})/i),
    title: pick(/(?:job )?title\s*:\s*([^\n]+)/i),
    department: pick(/department\s*:\s*([^\n]+)/i),
    template: pick(/same access as\s*:?\s*([^\n,]+)/i),
  };
}
