import { IdentityClient, RmmClient, VendorUnavailableError } from '@desk/adapters';
import { PlannedAction } from '@desk/contracts';
import { AttemptRow, AttemptStore, RunPorts, runAction } from './runner';

class MemoryAttempts implements AttemptStore {
  rows = new Map<string, AttemptRow>();
  async get(key: string) { return this.rows.get(key) ?? null; }
  async begin(key: string) {
    const prev = this.rows.get(key);
    if (prev && prev.status !== 'released') return null;
    const row: AttemptRow = { idempotencyKey: key, status: 'started', tries: (prev?.tries ?? 0) + 1, startedAt: new Date().toISOString(), vendorRef: prev?.vendorRef ?? null, detail: null };
    this.rows.set(key, row);
    return row;
  }
  async finish(key: string, status: 'succeeded' | 'failed' | 'released', vendorRef: string | null, detail: string) {
    const r = this.rows.get(key)!;
    this.rows.set(key, { ...r, status, vendorRef: vendorRef ?? r.vendorRef, detail });
  }
  async noteVendorRef(key: string, vendorRef: string) { this.rows.set(key, { ...this.rows.get(key)!, vendorRef }); }
}

/** Just enough of Graph to count calls and keep state. */
function fakeIdentity(calls: string[], opts: { failResets?: number } = {}) {
  let failResets = opts.failResets ?? 0;
  const state = { lastPasswordChangeDateTime: '2026-01-01T00:00:00Z', groups: [] as string[] };
  const id: Partial<IdentityClient> = {
    resetPassword: async (upn: string) => {
      calls.push(`reset ${upn}`);
      if (failResets-- > 0) throw new VendorUnavailableError('graph 503', 'graph', 503);
      state.lastPasswordChangeDateTime = new Date().toISOString();
    },
    getUser: async (upn: string) => ({ id: '1', upn, displayName: upn, accountEnabled: true, lockedOut: false, lastPasswordChangeDateTime: state.lastPasswordChangeDateTime, jobTitle: null, department: null, managerUpn: null }),
    findGroup: async (name: string) => ({ id: `g-${name}`, displayName: name, mailEnabled: false, securityEnabled: true }),
    addGroupMember: async (gid: string, upn: string) => { calls.push(`add ${upn} ${gid}`); state.groups.push(gid.slice(2)); },
    listUserGroups: async () => state.groups.map((g) => ({ id: `g-${g}`, displayName: g, mailEnabled: false, securityEnabled: true })),
  };
  return { id: id as IdentityClient, state };
}

const rmm = { runScript: async () => { throw new Error('not used'); } } as unknown as RmmClient;

function ports(identity: IdentityClient, attempts: MemoryAttempts, sms: string[], failSms = false, afterVendorWrite?: RunPorts['afterVendorWrite']): RunPorts {
  return {
    identity: () => identity, rmm: () => rmm, attempts, afterVendorWrite,
    secrets: { sendSecret: async (mobile, body) => { if (failSms) throw new Error('twilio 500'); sms.push(`${mobile}: ${body}`); return `SM${sms.length}`; } },
  };
}

/**
 * A SIGKILL at the hook: what was written up to that moment stays, nothing after it happened. The run
 * goes on in memory; `restore()` then rewinds our records and the outbox to the moment of the kill.
 */
function crashAt(action: string, attempts: MemoryAttempts, sms: string[]) {
  let saved: { rows: Map<string, AttemptRow>; sms: number } | null = null;
  return {
    hook: ((a) => { if (a === action && !saved) saved = { rows: new Map([...attempts.rows].map(([k, v]) => [k, { ...v }])), sms: sms.length }; }) as RunPorts['afterVendorWrite'],
    restore: () => {
      if (!saved) throw new Error('the hook never fired');
      attempts.rows = saved.rows;
      sms.splice(saved.sms);
    },
  };
}
class Killed extends Error {}

const ctx = { ticketId: 't1', clientIdentifier: 'ContosoDental', secretMobile: '+1-555-0111', now: () => new Date() };
const reset: PlannedAction = { action: 'reset_password', params: { upn: 'raj.patel@contoso-dental.example' }, idempotencyKey: 't1:reset_password:raj.patel@contoso-dental.example', risk: 'high', check: 'x' };
const add: PlannedAction = { action: 'add_to_group', params: { upn: 'raj.patel@contoso-dental.example', group: 'CDG-Scan-to-Folder' }, idempotencyKey: 't1:add_to_group:raj>scan', risk: 'medium', check: 'x' };

describe('runner: exactly once', () => {
  it('the same action delivered five times runs once', async () => {
    const calls: string[] = []; const sms: string[] = [];
    const { id } = fakeIdentity(calls);
    const attempts = new MemoryAttempts();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await runAction(reset, ports(id, attempts, sms), ctx));
    expect(calls).toEqual(['reset raj.patel@contoso-dental.example']);
    expect(sms).toHaveLength(1);
    expect(results.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(results.slice(1).every((r) => r.outcome === 'succeeded' && r.replayed)).toBe(true);
  });

  it('the temporary password goes only to the mobile given and never into the result', async () => {
    const calls: string[] = []; const sms: string[] = [];
    const r = await runAction(reset, ports(fakeIdentity(calls).id, new MemoryAttempts(), sms), ctx);
    const pw = /password is (\S+) /.exec(sms[0]!)![1]!;
    expect(sms[0]).toMatch(/^\+1-555-0111: /);
    expect(JSON.stringify(r)).not.toContain(pw);
  });

  it('a crash after the vendor call is reconciled from the vendor state, not repeated', async () => {
    const calls: string[] = []; const sms: string[] = [];
    const { id } = fakeIdentity(calls);
    const attempts = new MemoryAttempts();
    await attempts.begin(add.idempotencyKey);
    expect(await attempts.begin(add.idempotencyKey)).toBeNull(); // a second worker cannot claim it
    await id.addGroupMember('g-CDG-Scan-to-Folder', 'raj.patel@contoso-dental.example'); // the call that "crashed" before our record
    const r = await runAction(add, ports(id, attempts, sms), ctx);
    expect(r).toMatchObject({ outcome: 'succeeded', replayed: true });
    expect(calls).toHaveLength(1);
    expect(attempts.rows.get(add.idempotencyKey)!.status).toBe('succeeded');
  });

  it('a crash after a password reset cannot be re-delivered: unknown, nothing repeated', async () => {
    const calls: string[] = []; const sms: string[] = [];
    const { id } = fakeIdentity(calls);
    const attempts = new MemoryAttempts();
    await attempts.begin(reset.idempotencyKey);
    await new Promise((r) => setTimeout(r, 5));
    await id.resetPassword('raj.patel@contoso-dental.example', 'x', true);
    const r = await runAction(reset, ports(id, attempts, sms), ctx);
    expect(r.outcome).toBe('unknown');
    expect(calls).toHaveLength(1);
    expect(sms).toHaveLength(0);
  });

  it('a refused call (503) is released and retried; then runs once', async () => {
    const calls: string[] = []; const sms: string[] = [];
    const { id } = fakeIdentity(calls, { failResets: 1 });
    const attempts = new MemoryAttempts();
    const first = await runAction(reset, ports(id, attempts, sms), ctx);
    expect(first).toMatchObject({ outcome: 'failed', retryable: true });
    expect(attempts.rows.get(reset.idempotencyKey)!.status).toBe('released');
    const second = await runAction(reset, ports(id, attempts, sms), ctx);
    expect(second.outcome).toBe('succeeded');
    expect(calls).toHaveLength(2);
    expect(sms).toHaveLength(1);
  });

  it('an SMS failure after the reset is final (no second reset)', async () => {
    const calls: string[] = []; const sms: string[] = [];
    const { id } = fakeIdentity(calls);
    const attempts = new MemoryAttempts();
    const r = await runAction(reset, ports(id, attempts, sms, true), ctx);
    expect(r).toMatchObject({ outcome: 'failed', retryable: false });
    expect((await runAction(reset, ports(id, attempts, sms), ctx)).outcome).toBe('failed');
    expect(calls).toHaveLength(1);
  });

  it('killed right after the group write (nothing recorded): the restart reconciles from Graph, no second write', async () => {
    const calls: string[] = []; const sms: string[] = [];
    const { id } = fakeIdentity(calls);
    const attempts = new MemoryAttempts();
    const crash = crashAt('add_to_group', attempts, sms);
    await runAction(add, ports(id, attempts, sms, false, crash.hook), ctx);
    crash.restore();
    expect(attempts.rows.get(add.idempotencyKey)!.status).toBe('started');
    const r = await runAction(add, ports(id, attempts, sms), ctx);
    expect(r).toMatchObject({ outcome: 'succeeded', replayed: true, detail: 'membership already in the requested state' });
    expect(calls).toHaveLength(1);
  });

  it('killed after the reset and its SMS were accepted: reconciled as done, nothing sent twice', async () => {
    const calls: string[] = []; const sms: string[] = [];
    const { id } = fakeIdentity(calls);
    const attempts = new MemoryAttempts();
    // The crash point after the whole action: the SMS went out and the attempt says so, the result is not recorded.
    const p = ports(id, attempts, sms);
    const finish = attempts.finish.bind(attempts);
    attempts.finish = async () => { throw new Killed('before finish'); };
    await expect(runAction(reset, p, ctx)).rejects.toBeInstanceOf(Killed);
    attempts.finish = finish;
    expect(attempts.rows.get(reset.idempotencyKey)).toMatchObject({ status: 'started', vendorRef: 'temporary-password-sms-accepted' });
    const r = await runAction(reset, ports(id, attempts, sms), ctx);
    expect(r).toMatchObject({ outcome: 'succeeded', replayed: true });
    expect(calls).toHaveLength(1);
    expect(sms).toHaveLength(1);
  });

  it('killed between the reset and its SMS: unknown (a person re-issues), no second reset', async () => {
    const calls: string[] = []; const sms: string[] = [];
    const { id } = fakeIdentity(calls);
    const attempts = new MemoryAttempts();
    const crash = crashAt('reset_password', attempts, sms);
    await runAction(reset, ports(id, attempts, sms, false, crash.hook), ctx);
    crash.restore();
    const r = await runAction(reset, ports(id, attempts, sms), ctx);
    expect(r.outcome).toBe('unknown');
    expect(calls).toHaveLength(1);
    expect(sms).toHaveLength(0);
  });
});
