import { decideCoverage, scopeExclusionOf, timeBilling, type AgreementView } from './coverage';
import { outOfScopeEscalation } from './out-of-scope';
import { InboundTicket, TicketEscalatedV1 } from '@desk/contracts';

// The sandbox's managed-services agreement (sandbox/src/core/seed.ts): L1 categories covered; hardware and other not.
const MANAGED: AgreementView = {
  id: '1', name: 'Contoso Dental Group - Managed Services', active: true,
  coveredWork: ['password_reset', 'account_unlock', 'mfa_reenroll', 'group_membership', 'distribution_list', 'software_install',
    'software_reinstall', 'vpn_connectivity', 'wifi_connectivity', 'printer', 'onboarding', 'offboarding', 'email_issue',
    'service_restart', 'security_incident'],
};
const TYPES = { covered: 'Automation', billable: 'Remote Support' };

describe('agreement coverage', () => {
  it.each<[string, string | null, string, AgreementView[], string, boolean | null]>([
    ['covered category', 'password_reset', 'I forgot my password', [MANAGED], 'covered', false],
    ['covered, vendor spelling (spaces, case)', 'printer', 'printer jams', [{ ...MANAGED, coveredWork: ['Printer', 'Password Reset'] }], 'covered', false],
    ['hardware break/fix is not covered: billable', 'hardware', 'my laptop screen is cracked', [MANAGED], 'billable', true],
    ['uncategorised: billable', null, 'something odd', [MANAGED], 'billable', true],
    ['no agreement at all: billable', 'password_reset', 'forgot password', [], 'billable', true],
    ['cancelled agreement does not cover', 'password_reset', 'forgot password', [{ ...MANAGED, active: false }], 'billable', true],
    ['hardware purchase: out of scope', 'hardware', 'Can you order 3 new laptops for the new hires?', [MANAGED], 'out_of_scope', null],
    ['project work: out of scope even in a covered category', 'email_issue', 'We want to migrate our mailboxes to a new tenant', [MANAGED], 'out_of_scope', null],
    ['an agreement that names project work takes it', 'other', 'Office move project next month', [MANAGED, { id: '2', name: 'Project block', active: true, coveredWork: ['project_work'] }], 'covered', false],
  ])('%s', (_n, category, text, agreements, kind, billable) => {
    const d = decideCoverage({ category, text }, agreements, TYPES);
    expect(d.kind).toBe(kind);
    if (billable !== null && d.kind !== 'out_of_scope') {
      expect(d.billable).toBe(billable);
      expect(d.workType).toBe(billable ? 'Remote Support' : 'Automation');
    }
    expect(d.reason.length).toBeGreaterThan(10);
  });

  it('names the agreement in the escalation reason', () => {
    const d = decideCoverage({ category: 'hardware', text: 'please quote two new monitors' }, [MANAGED], TYPES);
    expect(d).toMatchObject({ kind: 'out_of_scope', exclusion: 'hardware_purchase', agreementId: '1' });
    expect(d.reason).toContain('Contoso Dental Group - Managed Services');
  });

  it.each([
    ['Please buy two docking stations', 'hardware_purchase'], ['quote for 5 more Microsoft 365 licenses', 'software_purchase'],
    ['Can someone come onsite to look at it?', 'onsite_visit'], ['My printer says offline', null], ['I need a new password', null],
  ])('%s → %s', (text, kind) => expect(scopeExclusionOf(text)).toBe(kind));
});

describe('time entry billing and the out-of-scope escalation', () => {
  it.each<[string, string | null, string, { agreementId: string | null; billable: boolean; workType: string }]>([
    ['covered → against the agreement, not billed', 'printer', 'printer offline', { agreementId: '1', billable: false, workType: 'Automation' }],
    ['not covered → billable, no agreement', 'hardware', 'screen cracked', { agreementId: null, billable: true, workType: 'Remote Support' }],
    ['out of scope → billable', 'hardware', 'please order 2 new laptops', { agreementId: null, billable: true, workType: 'Remote Support' }],
  ])('%s', (_n, category, text, expected) => {
    const b = timeBilling(decideCoverage({ category, text }, [MANAGED], TYPES), TYPES);
    expect(b).toMatchObject(expected);
    expect(b.note.length).toBeGreaterThan(5);
  });
  it('escalates with the reason, a valid event, every summary field filled', () => {
    const d = decideCoverage({ category: 'email_issue', text: 'Migrate our mailboxes to the new tenant' }, [MANAGED], TYPES);
    if (d.kind !== 'out_of_scope') throw new Error('expected out of scope');
    const ticket = InboundTicket.parse({ channel: 'email', psa: null, clientIdentifier: 'ContosoDental', summary: 'Mailbox migration', description: 'x', fromEmail: 'a@b.example', fromName: 'Amy', receivedAt: new Date().toISOString() });
    const e = TicketEscalatedV1.parse(outOfScopeEscalation(ticket, 'email_issue', 3, d));
    expect(e).toMatchObject({ reason: 'out_of_scope', stage: 'psa-writer', category: 'email_issue', security: false, priorityLevel: 3 });
    expect(e.reasons[0]).toContain('Contoso Dental Group - Managed Services');
    expect(e.summary.suggestedNextStep).toMatch(/quote the project work/);
    expect(outOfScopeEscalation(ticket, 'not-a-category', 9, d)).toMatchObject({ category: null, priorityLevel: 4 });
  });
});
