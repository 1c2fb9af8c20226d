import { resolveRunbook, ResolvableDoc } from './resolution';
import { staleness, DEFAULT_STALENESS } from './staleness';
import { buildDocument, KnowledgeDocument } from './document';
import { loadDemoDocs, md } from '../../test/demo-docs';
import { TicketCategory } from '@desk/contracts';

const NOW = new Date('2026-11-30T15:00:00Z');
let docs: KnowledgeDocument[];
beforeAll(async () => { docs = await loadDemoDocs(); });

function resolve(client: string | null, category: TicketCategory, extra: ResolvableDoc[] = []) {
  const all = [...docs, ...extra];
  return resolveRunbook({
    category, clientIdentifier: client, now: NOW, policy: DEFAULT_STALENESS,
    clientDocs: all.filter((d) => d.scope === 'client'), globalDocs: all.filter((d) => d.scope === 'global'),
  });
}

describe('staleness', () => {
  it('is stale only after more than the configured days', () => {
    expect(staleness('2024-02-12', NOW, DEFAULT_STALENESS).stale).toBe(true);
    expect(staleness('2025-06-01', NOW, DEFAULT_STALENESS)).toEqual({ stale: false, ageDays: 547 });
    expect(staleness('2025-05-30', NOW, DEFAULT_STALENESS).stale).toBe(true);
    expect(staleness('2025-06-01', NOW, { staleAfterDays: 100, automateStale: false }).stale).toBe(true);
    expect(staleness(null, NOW, DEFAULT_STALENESS).stale).toBe(true);
  });
});

describe('resolution rule on the demo world', () => {
  it('parses every demo runbook header (none malformed)', () => {
    expect(docs).toHaveLength(38);
    expect(docs.filter((d) => d.headerStatus !== 'valid')).toEqual([]);
  });

  it('a client document replaces the global one and says why', () => {
    const r = resolve('ContosoDental', 'password_reset');
    expect(r.documents.map((d) => d.docId)).toEqual(['contoso-dental/password-reset.md']);
    expect(r.usable).toBe(true);
    expect(r.automations).toEqual([expect.objectContaining({ action: 'reset_password', identityVerification: 'contact_on_file' })]);
    expect(r.reasons.join(' ')).toMatch(/replace/);
    // The page says "anything the MSP standard lists under Escalate if": those conditions travel along.
    expect(r.prose.escalateIf).toMatch(/front-desk|shared/i);
    expect(r.prose.escalateIf).toMatch(/Inherited from "Password reset - MSP standard procedure"/);
  });

  it('falls back to the global documents; group membership carries add and remove', () => {
    const r = resolve('ContosoDental', 'group_membership');
    expect(r.documents.map((d) => d.scope)).toEqual(['global', 'global']);
    expect(r.automations.map((a) => a.action).sort()).toEqual(['add_to_group', 'remove_from_group']);
  });

  it('a client page replaces both global group documents: removals not automated at Whitfield', () => {
    const r = resolve('WhitfieldCrane', 'group_membership');
    expect(r.automations.map((a) => a.action)).toEqual(['add_to_group']);
    expect(r.automations[0]!.identityVerification).toBe('manager_approval');
    expect(r.prose.escalateIf).toMatch(/removal/i);
  });

  it('a client page without automation switches automation off (Whitfield MFA)', () => {
    const r = resolve('WhitfieldCrane', 'mfa_reenroll');
    expect(r).toMatchObject({ usable: false, automations: [], gaps: ['no_automation'] });
    expect(r.documents[0]!.scope).toBe('client');
  });

  it('a stale runbook is not automated and is reported', () => {
    const r = resolve('ContosoDental', 'service_restart');
    expect(r.usable).toBe(false);
    expect(r.gaps).toContain('stale');
    const vpn = resolve('WhitfieldCrane', 'vpn_connectivity');
    expect(vpn.gaps).toEqual(expect.arrayContaining(['stale', 'no_automation']));
  });

  it('reports no runbook (Whitfield installs, Riverbend VPN, hardware)', () => {
    expect(resolve('WhitfieldCrane', 'software_install')).toMatchObject({ usable: false, gaps: ['no_runbook'] });
    expect(resolve('RiverbendFdn', 'vpn_connectivity')).toMatchObject({ usable: false, gaps: ['no_runbook'] });
    expect(resolve('RiverbendFdn', 'hardware')).toMatchObject({ category: null, gaps: ['no_runbook'] });
  });

  it('a stale reference page next to an automated one is reported without blocking it (Tailspin Wi-Fi)', () => {
    const r = resolve('TailspinMfg', 'wifi_connectivity');
    expect(r.usable).toBe(true);
    expect(r.gaps).toEqual(['stale']);
    expect(r.automations[0]!.allowedServices).toEqual(['WlanSvc']);
    expect(r.prose.notes).toMatch(/\[Tailspin - Network and Wi-Fi notes\]/);
  });

  it('offboarding at Alder is a client reference page: not automated', () => {
    const r = resolve('AlderBrooksCPA', 'offboarding');
    expect(r.usable).toBe(false);
    expect(r.documents.map((d) => d.docId)).toEqual(['alder-brooks/backup-and-retention-policy.md']);
    expect(r.prose.notes).toMatch(/retention/i);
  });

  it('with no client known only the global scope applies', () => {
    const r = resolve(null, 'account_unlock');
    expect(r.documents.map((d) => d.scope)).toEqual(['global']);
  });
});

describe('stricter rule and malformed headers', () => {
  const front = (identity: string, extra = '') => `title: "Acme MFA"\ncategory: mfa_reenroll\nautomation:\n  action: reenroll_mfa\n  identityVerification: ${identity}\n  verify: "ok"${extra}\nupdated: "2026-10-01"`;
  const acme = (f: string, id = 'acme/mfa.md') => ({ ...buildDocument({ ...md(f, '## Steps\n1. go'), id }, 'client', 'Acme', 'markdown'), clientIdentifier: 'Acme' });

  it('a weaker client rule never undercuts the global one', () => {
    const r = resolve('Acme', 'mfa_reenroll', [acme(front('contact_on_file'))]);
    expect(r.automations[0]!.identityVerification).toBe('manager_approval');
    expect(r.reasons.join(' ')).toMatch(/raised to manager_approval/);
    expect(r.documents.map((d) => d.scope)).toEqual(['client', 'global']);
  });

  it('two client documents automating the same action: stricter identity, narrower allow-list', () => {
    const a = acme(front('manager_approval').replace('mfa_reenroll\n', 'software_install\n').replace('reenroll_mfa', 'install_software') + '\n', 'acme/a.md');
    const a2 = { ...a, automation: { ...a.automation!, identityVerification: 'manager_approval' as const, allowedSoftware: ['Zoom', '7-Zip'] } };
    const b = { ...a, docId: 'acme/b.md', title: 'B', automation: { ...a.automation!, identityVerification: 'contact_on_file' as const, allowedSoftware: ['Zoom'] } };
    const r = resolve('Acme', 'software_install', [a2, b]);
    expect(r.automations).toHaveLength(1);
    expect(r.automations[0]).toMatchObject({ identityVerification: 'manager_approval', allowedSoftware: ['Zoom'] });
  });

  it('a malformed client header shadows the global runbook and is reported, not guessed', () => {
    const bad = acme(front('contact_on_file').replace('reenroll_mfa', 'reset_everything'));
    expect(bad.headerStatus).toBe('malformed');
    const r = resolve('Acme', 'mfa_reenroll', [bad]);
    expect(r).toMatchObject({ usable: false, automations: [], gaps: ['malformed_header'] });
    expect(r.documents).toHaveLength(1);
  });

  it('never mixes clients', () => {
    const r = resolve('ContosoDental', 'mfa_reenroll', [acme(front('manager_approval'))]);
    expect(r.documents.map((d) => d.docId)).toEqual(['_global/mfa-reenrollment.md']);
  });
});

describe('child tickets from the runbook header', () => {
  it('an MSP standard that asks for child tickets passes them on; a client runbook that replaces it decides alone', () => {
    // The shipped demo runbooks carry no childTickets: an MSP-wide onboarding standard that does stands in for them.
    const standard = buildDocument({ id: '_global/onboarding-standard.md', title: 'New user onboarding', bodyFormat: 'markdown', updatedAt: '2026-10-21T00:00:00Z', url: null, clientIdentifier: null,
      body: '---\ncategory: onboarding\nautomation:\n  action: create_account\n  identityVerification: manager_approval\n  verify: "the account exists"\nupdated: "2026-10-21"\nchildTickets:\n'
        + '  - summary: "New hire: laptop, phone and peripherals"\n    board: "Service Desk"\n    description: "Prepare the laptop before the start date."\n'
        + '  - summary: "New hire: line-of-business application accounts"\n---\n# Onboarding\n' }, 'global', null, 'markdown');
    const withStandard = (client: string, category: TicketCategory) => {
      const all = [...docs.filter((d) => !(d.scope === 'global' && d.category === 'onboarding')), standard];
      return resolveRunbook({ category, clientIdentifier: client, now: NOW, policy: DEFAULT_STALENESS,
        clientDocs: all.filter((d) => d.scope === 'client'), globalDocs: all.filter((d) => d.scope === 'global') });
    };
    expect(standard.headerErrors).toEqual([]);
    const std = withStandard('ContosoDental', 'onboarding');
    expect(std.childTickets?.map((c) => c.summary)).toEqual(['New hire: laptop, phone and peripherals', 'New hire: line-of-business application accounts']);
    expect(std.childTickets?.[0]).toMatchObject({ board: 'Service Desk', description: expect.stringContaining('laptop') });
    // Riverbend keeps its own onboarding runbook without child tickets: none are opened there.
    expect(withStandard('RiverbendFdn', 'onboarding').childTickets).toBeUndefined();
    expect(withStandard('ContosoDental', 'password_reset').childTickets).toBeUndefined();
    expect(resolve('ContosoDental', 'onboarding').childTickets).toBeUndefined();
  });

  it('a malformed childTickets entry makes the header malformed (reported, never half-used)', () => {
    const bad = buildDocument({ id: 'x/onb.md', title: 'Onboarding', bodyFormat: 'markdown', updatedAt: '2026-10-01T00:00:00Z', url: null, clientIdentifier: 'AlderBrooks',
      body: '---\ncategory: onboarding\nupdated: "2026-10-01"\nchildTickets:\n  - summery: "typo"\n---\n# Onboarding\n' }, 'client', 'AlderBrooks', 'markdown');
    expect(bad.headerStatus).toBe('malformed');
    expect(bad.headerErrors.join(' ')).toMatch(/childTickets/);
    const r = resolve('AlderBrooks', 'onboarding', [bad]);
    expect(r.childTickets).toBeUndefined();
  });
});
