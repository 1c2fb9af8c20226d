import { IdentityClient, RmmClient, RmmJob, VendorUnavailableError } from '@desk/adapters';
import { PlannedAction } from '@desk/contracts';
import { CheckPorts, checkOnce, versionAtLeast } from './checks';

const STARTED = '2026-11-30T15:00:00Z';
const action = (a: PlannedAction['action'], params: PlannedAction['params']): PlannedAction => ({ action: a, params, idempotencyKey: 'k', risk: 'low', check: 'c' });

function ports(p: { user?: Partial<Awaited<ReturnType<IdentityClient['getUser']>>>; groups?: string[]; methods?: string[]; jobs?: Record<string, RmmJob['status']>; software?: Array<{ name: string; version: string | null }>; services?: Array<{ name: string; status: 'running' | 'stopped' }>; fail?: boolean }): CheckPorts & { scripts: string[] } {
  const scripts: string[] = [];
  const identity = {
    getUser: async (upn: string) => { if (p.fail) throw new VendorUnavailableError('503', 'graph', 503); return { id: '1', upn, displayName: upn, accountEnabled: true, lockedOut: false, lastPasswordChangeDateTime: null, jobTitle: null, department: null, managerUpn: null, ...p.user }; },
    listUserGroups: async () => (p.groups ?? []).map((g) => ({ id: g, displayName: g, mailEnabled: false, securityEnabled: true })),
    listAuthMethods: async () => (p.methods ?? []).map((m, i) => ({ id: String(i), odataType: m, detail: null })),
  } as unknown as IdentityClient;
  const rmm = {
    getJob: async (id: string) => ({ id, deviceId: 'd', script: id, status: p.jobs?.[id] ?? 'succeeded', output: 'out' }),
    runScript: async (_d: string, script: string) => { scripts.push(script); return { id: 'refresh', deviceId: 'd', script, status: 'pending', output: null }; },
    listSoftware: async () => p.software ?? [],
    listServices: async () => p.services ?? [],
    findDevice: async () => ({ id: 'dc', hostname: 'WC-DC01' }),
  } as unknown as RmmClient;
  return { identity: () => identity, rmm: () => rmm, scripts };
}

describe('verifier checks', () => {
  it('password reset: passes only when passwordLastSet moved past the start and the lock is clear', async () => {
    const a = action('reset_password', { upn: 'u@x.example' });
    expect((await checkOnce(ports({ user: { lastPasswordChangeDateTime: '2026-11-30T14:00:00Z' } }), { action: a, vendorRef: null, startedAt: STARTED, state: {} })).status).toBe('pending');
    expect((await checkOnce(ports({ user: { lastPasswordChangeDateTime: '2026-11-30T15:00:05Z', lockedOut: true } }), { action: a, vendorRef: null, startedAt: STARTED, state: {} })).status).toBe('pending');
    expect((await checkOnce(ports({ user: { lastPasswordChangeDateTime: '2026-11-30T15:00:05Z', lockedOut: false } }), { action: a, vendorRef: null, startedAt: STARTED, state: {} })).status).toBe('passed');
  });

  it('MFA: passes only when no phone/Authenticator method remains (FIDO2 may stay)', async () => {
    const a = action('reenroll_mfa', { upn: 'u@x.example' });
    expect((await checkOnce(ports({ methods: ['#microsoft.graph.phoneAuthenticationMethod'] }), { action: a, vendorRef: null, startedAt: STARTED, state: {} })).status).toBe('pending');
    expect((await checkOnce(ports({ methods: ['#microsoft.graph.fido2AuthenticationMethod'] }), { action: a, vendorRef: null, startedAt: STARTED, state: {} })).status).toBe('passed');
  });

  it('membership: present for adds, absent for removals', async () => {
    expect((await checkOnce(ports({ groups: ['G'] }), { action: action('add_to_group', { upn: 'u', group: 'G' }), vendorRef: null, startedAt: STARTED, state: {} })).status).toBe('passed');
    expect((await checkOnce(ports({ groups: ['G'] }), { action: action('remove_from_group', { upn: 'u', group: 'G' }), vendorRef: null, startedAt: STARTED, state: {} })).status).toBe('pending');
  });

  it('install: waits for the job, refreshes the inventory once, then requires the title at the catalog version', async () => {
    const a = action('install_software', { hostname: 'H', deviceId: 'd', software: 'Zoom Workplace', version: '6.2.0' });
    const p1 = ports({ jobs: { job1: 'running' } });
    expect((await checkOnce(p1, { action: a, vendorRef: 'job1', startedAt: STARTED, state: {} })).status).toBe('pending');
    const p2 = ports({ software: [{ name: 'Zoom Workplace', version: '6.2.0' }] });
    const r1 = await checkOnce(p2, { action: a, vendorRef: 'job1', startedAt: STARTED, state: {} });
    expect(r1.status).toBe('pending');
    expect(p2.scripts).toEqual(['Refresh-SoftwareInventory']);
    const r2 = await checkOnce(p2, { action: a, vendorRef: 'job1', startedAt: STARTED, state: r1.state });
    expect(r2.status).toBe('passed');
    expect(p2.scripts).toHaveLength(1);
    const old = ports({ software: [{ name: 'Zoom Workplace', version: '5.0' }] });
    expect((await checkOnce(old, { action: a, vendorRef: 'job1', startedAt: STARTED, state: { jobDone: true, refreshJobId: 'refresh', refreshDone: true } })).status).toBe('failed');
  });

  it('a failed RMM job fails the check with its output', async () => {
    const r = await checkOnce(ports({ jobs: { j: 'failed' } }), { action: action('restart_service', { hostname: 'H', deviceId: 'd', service: 'Spooler' }), vendorRef: 'j', startedAt: STARTED, state: {} });
    expect(r).toMatchObject({ status: 'failed' });
    expect(r.evidence).toMatch(/failed/);
  });

  it('a vendor outage is no proof either way: pending', async () => {
    expect((await checkOnce(ports({ fail: true }), { action: action('disable_account', { upn: 'u' }), vendorRef: null, startedAt: STARTED, state: {} })).status).toBe('pending');
  });

  it('compares versions numerically', () => {
    expect(versionAtLeast('10.3', '10.3')).toBe(true);
    expect(versionAtLeast('10.10', '10.9')).toBe(true);
    expect(versionAtLeast('10.1', '10.3')).toBe(false);
    expect(versionAtLeast(null, '1')).toBe(false);
    expect(versionAtLeast('1', null)).toBe(true);
  });
});
