import { DEFAULT_BOARDS, dispatch, isInfrastructure, openLoad, type DispatchPolicy, type DispatchRequest, type Technician } from './dispatch';
import { roleOf } from './roles';

// The demo MSP's team (sandbox/seed/demo-msp/msp.json), with open-ticket counts per case.
const TEAM: Technician[] = [
  { identifier: 'jreyes', name: 'Jordan Reyes', role: 'l1', onCall: false, openTickets: 3 },
  { identifier: 'pnguyen', name: 'Priya Nguyen', role: 'l1', onCall: true, openTickets: 5 },
  { identifier: 'tcallahan', name: 'Tom Callahan', role: 'l1', onCall: false, openTickets: 1 },
  { identifier: 'aokafor', name: 'Ada Okafor', role: 'l2', onCall: true, openTickets: 4 },
  { identifier: 'mlindqvist', name: 'Marcus Lindqvist', role: 'l2', onCall: false, openTickets: 2 },
  { identifier: 'sfarrell', name: 'Sam Farrell', role: 'l3', onCall: false, openTickets: 6 },
  { identifier: 'kwatanabe', name: 'Keiko Watanabe', role: 'security', onCall: true, openTickets: 2 },
  { identifier: 'dmercer', name: 'Dana Mercer', role: 'manager', onCall: false, openTickets: 0 },
  { identifier: 'L1Agent', name: 'Harbor Assist', role: 'l1', onCall: false, openTickets: 0 },
];

const POLICY: DispatchPolicy = {
  agentIdentifier: 'L1Agent', emergencyPriority: 1, maxOpenTickets: 15, boards: DEFAULT_BOARDS,
  hours: { timezone: 'America/Chicago', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
};

const MON_0900 = new Date('2026-11-30T15:00:00Z'); // Monday 09:00 Chicago
const MON_1759 = new Date('2026-11-30T23:59:00Z'); // Monday 17:59 Chicago
const MON_1800 = new Date('2026-12-01T00:00:00Z'); // Monday 18:00 Chicago: closed
const SUN_0300 = new Date('2026-11-29T09:00:00Z'); // Sunday 03:00 Chicago

const base: DispatchRequest = { category: 'printer', reason: 'no_runbook', priorityLevel: 3, security: false, monitoring: false, infrastructure: false, at: MON_0900 };
const team = (changes: Record<string, Partial<Technician>> = {}, drop: string[] = []) =>
  TEAM.filter((t) => !drop.includes(t.identifier)).map((t) => ({ ...t, ...changes[t.identifier] }));

describe('dispatch: who takes the ticket', () => {
  it.each<[string, Partial<DispatchRequest>, Technician[], string | null, string]>([
    ['routine, in hours: least-loaded L1 (never the automation\'s own member)', {}, team(), 'tcallahan', 'Escalations'],
    ['routine, the free L1 is overloaded: next least-loaded L1', {}, team({ tcallahan: { openTickets: 15 } }), 'jreyes', 'Escalations'],
    ['routine, every L1 overloaded: an L2 substitutes', {}, team({ tcallahan: { openTickets: 20 }, jreyes: { openTickets: 16 }, pnguyen: { openTickets: 15 } }), 'mlindqvist', 'Escalations'],
    ['failed action: L2 with fewer open tickets', { reason: 'action_failed' }, team(), 'mlindqvist', 'Escalations'],
    ['verification failure: L2 by load', { reason: 'verification_failed' }, team({ mlindqvist: { openTickets: 9 } }), 'aokafor', 'Escalations'],
    ['infrastructure (server): L3', { category: 'service_restart', infrastructure: true }, team(), 'sfarrell', 'Escalations'],
    ['infrastructure, L3 overloaded: L2 substitutes', { infrastructure: true }, team({ sfarrell: { openTickets: 30 } }), 'mlindqvist', 'Escalations'],
    ['security incident in hours: security role', { category: 'security_incident', reason: 'security_incident', security: true, priorityLevel: 2 }, team(), 'kwatanabe', 'Security'],
    ['security incident at night: the on-call security analyst', { security: true, at: SUN_0300 }, team(), 'kwatanabe', 'Security'],
    ['routine at night: on-call L1 only', { at: SUN_0300 }, team(), 'pnguyen', 'Escalations'],
    ['routine at 18:00 sharp: already closed, on-call only', { at: MON_1800 }, team(), 'pnguyen', 'Escalations'],
    ['routine at 17:59: still open, least-loaded L1', { at: MON_1759 }, team(), 'tcallahan', 'Escalations'],
    ['failed action at night: on-call L2', { reason: 'action_failed', at: SUN_0300 }, team(), 'aokafor', 'Escalations'],
    ['infrastructure at night: no on-call L3, on-call L2', { infrastructure: true, at: SUN_0300 }, team(), 'aokafor', 'Escalations'],
    ['monitoring alert: Alerts board, L2 first', { monitoring: true, category: 'service_restart', reason: 'no_runbook' }, team(), 'mlindqvist', 'Alerts'],
    ['nobody but the manager and the automation: manager', {}, team({}, ['jreyes', 'pnguyen', 'tcallahan', 'aokafor', 'mlindqvist', 'sfarrell', 'kwatanabe']), 'dmercer', 'Escalations'],
    ['night, nobody on call fits: the day pick owns it (never unassigned)', { at: SUN_0300 }, team({ pnguyen: { onCall: false }, aokafor: { onCall: false }, kwatanabe: { onCall: false } }), 'tcallahan', 'Escalations'],
    ['unclear reply to guidance: routine work, least-loaded L1', { category: 'wifi_connectivity', reason: 'unclear_reply' }, team(), 'tcallahan', 'Escalations'],
    ['guidance did not help, at night: the on-call L1', { category: 'vpn_connectivity', reason: 'other', at: SUN_0300 }, team(), 'pnguyen', 'Escalations'],
    ['in hours being on call is no privilege: load decides among L1s', {}, team({ pnguyen: { openTickets: 0 } }), 'pnguyen', 'Escalations'],
    ['in hours the on-call L2 is passed over for a less-loaded L2', { reason: 'action_failed' }, team({ aokafor: { openTickets: 1 }, mlindqvist: { openTickets: 0 } }), 'mlindqvist', 'Escalations'],
    ['only the automation\'s member: unassigned, said so', {}, team({}, TEAM.map((t) => t.identifier).filter((i) => i !== 'L1Agent')), null, 'Escalations'],
  ])('%s', (_name, req, techs, owner, board) => {
    const d = dispatch({ ...base, ...req }, techs, POLICY);
    expect(d.ownerIdentifier).toBe(owner);
    expect(d.board).toBe(board);
    expect(d.reasons.length).toBeGreaterThanOrEqual(3);
  });

  it('security goes to priority 1 and pages; a routine ticket does not page', () => {
    const sec = dispatch({ ...base, security: true, priorityLevel: 3 }, TEAM, POLICY);
    expect(sec).toMatchObject({ board: 'Security', priorityLevel: 1, page: true, kind: 'security' });
    expect(dispatch(base, TEAM, POLICY).page).toBe(false);
    expect(dispatch({ ...base, priorityLevel: 1 }, TEAM, POLICY).page).toBe(true);
  });

  it('writes why: the hours, the skill wanted and the owner with its load', () => {
    const d = dispatch({ ...base, at: SUN_0300, reason: 'action_failed' }, TEAM, POLICY);
    expect(d.reasons.join('\n')).toMatch(/outside working hours \(Sun 03:00 America\/Chicago\)/);
    expect(d.reasons.join('\n')).toMatch(/needs l2 > l3/);
    expect(d.reasons.join('\n')).toMatch(/owner aokafor \(l2, on call, 4 open\)/);
  });

  it('is deterministic on equal load (identifier order)', () => {
    const d = dispatch(base, team({ jreyes: { openTickets: 1 } }), POLICY);
    expect(d.ownerIdentifier).toBe('jreyes');
  });
});

describe('open load and infrastructure', () => {
  it('counts open owned tickets per member, case-insensitively', () => {
    const load = openLoad([
      { ownerIdentifier: 'jreyes', closed: false }, { ownerIdentifier: 'JReyes', closed: false },
      { ownerIdentifier: 'jreyes', closed: true }, { ownerIdentifier: null, closed: false },
    ]);
    expect(load.get('jreyes')).toBe(2);
    expect(load.size).toBe(1);
  });
  it.each([
    [{ deviceTypes: ['server'] }, true], [{ deviceTypes: ['laptop'] }, false], [{ hostnames: ['WC-DC01'] }, true],
    [{ hostnames: ['CDG-FD-PC01'] }, false], [{ text: 'the firewall dropped the VPN' }, true], [{ text: 'my printer jams' }, false],
  ])('%j → %s', (input, expected) => expect(isInfrastructure(input)).toBe(expected));
});

describe('roles from PSA member titles', () => {
  it.each([
    ['Service Desk Technician (L1)', 'l1'], ['Systems Engineer (L2)', 'l2'], ['Senior Engineer (L3)', 'l3'],
    ['Security Analyst', 'security'], ['Service Desk Manager', 'manager'], ['Tier 2 Support', 'l2'], ['', null], ['Bookkeeper', null],
  ] as const)('%s → %s', (title, role) => expect(roleOf('x', title)).toBe(role));
  it('a configured role overrides the title', () => expect(roleOf('dmercer', 'Service Desk Manager', { dmercer: 'l3' })).toBe('l3'));
});
