import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, startDesk, type DeskProcesses } from '../support/desk-processes';
import { e164, UserSimulator } from '../support/user-simulator';
import { PsaSandbox } from './psa-sandbox';
import { until as waitUntil } from '../support/until';

/**
 * Exactly once under a real crash (issue 6, must-show 3). The executor runs with the test hook
 * DESK_FAULT_KILL_AFTER_VENDOR_CALL=<action>: it SIGKILLs itself right after the vendor accepted the
 * write and before anything of ours records it (attempt result, case state, events: all uncommitted).
 * It is then restarted without the hook; JetStream redelivers the unacknowledged message, and the
 * sandbox's call log must show the vendor write exactly once, with the ticket in one final state and
 * evidence that says what happened.
 */
jest.setTimeout(900_000);

let desk: DeskProcesses;
let psa: PsaSandbox;
let sim: UserSimulator;

const HOOK = 'DESK_FAULT_KILL_AFTER_VENDOR_CALL';
// Short ack wait: the message the killed process held comes back within seconds of the restart.
const EXECUTOR_ENV = { DESK_ACK_WAIT_MS: '5000' };

beforeAll(async () => {
  // Small pools: the run shares PostgreSQL with other test runs.
  desk = await startDesk({ env: { DB_POOL_SIZE: '3' }, envFor: { executor: { ...EXECUTOR_ENV, [HOOK]: 'restart_service' } }, readyTimeoutMs: 400_000 });
  psa = new PsaSandbox(desk.sandboxUrl);
  sim = new UserSimulator(desk.sandboxUrl);
  execFileSync(process.execPath, [join(ROOT, 'scripts/register-psa-webhooks.mjs'), '--intake', desk.urls.intake], { env: { ...process.env, ...desk.env }, stdio: 'pipe' });
  await sim.pointInboundAt(desk.urls.intake);
});

afterAll(async () => {
  await desk?.stop();
});

const until = <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 180_000): Promise<T> =>
  waitUntil(what, probe, { timeoutMs, intervalMs: 500, logsOnTimeout: () => `--- executor\n${desk.logs('executor', 40)}` });

interface Call { seq: number; vendor: string; method: string; path: string; status: number; body?: unknown; principal?: string | null }
const callLog = async (q = ''): Promise<Call[]> => (await (await fetch(`${desk.sandboxUrl}/admin/calls${q}`)).json()) as Call[];

const stateOf = async (ticketId: string) =>
  (await desk.query<{ state: string; reason: string | null }>(`SELECT state, reason FROM ${desk.schema('desk_ledger')}.ticket_state WHERE ticket_id = $1`, [ticketId]))[0] ?? null;
const transitions = async (ticketId: string) =>
  (await desk.query<{ state: string }>(`SELECT state FROM ${desk.schema('desk_ledger')}.ticket_transition WHERE ticket_id = $1 ORDER BY at, id`, [ticketId])).map((r) => r.state);
const attempts = async (ticketId: string) =>
  desk.query<{ action: string; status: string; detail: string | null; vendor_ref: string | null }>(`SELECT action, status, detail, vendor_ref FROM ${desk.schema('executor')}.action_attempt WHERE ticket_id = $1`, [ticketId]);
const auditOf = async (ticketId: string) =>
  JSON.stringify(await desk.query(`SELECT service, action, decision, why, evidence FROM ${desk.schema('desk_ledger')}.audit_entry WHERE ticket_id = $1 ORDER BY seq`, [ticketId]));

async function deskTicket(system: 'connectwise' | 'halopsa', psaId: string): Promise<string> {
  return until(`intake to link ${system} ticket ${psaId}`, async () => (await desk.query<{ ticket_id: string }>(
    `SELECT ticket_id FROM ${desk.schema('intake')}.ticket_link WHERE psa_system = $1 AND psa_ticket_id = $2`, [system, psaId]))[0]?.ticket_id);
}

async function finalState(ticketId: string) {
  return until(`ticket ${ticketId} to end`, async () => {
    const s = await stateOf(ticketId);
    return s && ['resolved', 'escalated'].includes(s.state) ? s : null;
  });
}

describe('SIGKILL between the vendor call and the commit', () => {
  it('restart_service: killed right after NinjaOne accepted the script run → restarted → one run, resolved', async () => {
    const host = 'TSP-KIOSK-02';
    const seq = (await callLog()).at(-1)?.seq ?? 0;
    const created = await psa.createTicket('halopsa', {
      company: 'Tailspin Precision Manufacturing', contactEmail: 'rmm-alerts@harborline-it.example',
      summary: `[NinjaOne] ${host}: Windows service 'MESClientAgent' is stopped`,
      description: `Condition: Windows Service - MESClientAgent state is Stopped for more than 5 minutes\nDevice: ${host}\nOrganization: Tailspin Precision Manufacturing\nSeverity: Minor`,
    });
    const ticketId = await deskTicket('halopsa', created.id);

    // The hook fires: the process dies by SIGKILL, nothing of the run is committed but the attempt claim.
    const exit = await desk.exited('executor', 240_000);
    expect(exit.signal).toBe('SIGKILL');
    const runs = async () => (await callLog(`?vendor=ninjaone&method=POST&sinceSeq=${seq}`)).filter((c) => /\/script\/run$/.test(c.path) && c.status < 300);
    expect(await runs()).toHaveLength(1);
    expect(await attempts(ticketId)).toEqual([expect.objectContaining({ action: 'restart_service', status: 'started', vendor_ref: null })]);
    expect((await stateOf(ticketId))?.state).not.toMatch(/resolved|escalated|verifying/);

    await desk.restart('executor', { env: EXECUTOR_ENV });
    const end = await finalState(ticketId);
    expect(end.state).toBe('resolved');

    // Exactly once: the one script run of before the crash; the redelivery read the RMM's state instead.
    expect(await runs()).toHaveLength(1);
    expect(await attempts(ticketId)).toEqual([expect.objectContaining({ status: 'succeeded', detail: 'service already running' })]);
    const t = await transitions(ticketId);
    expect(t.filter((s) => s === 'resolved')).toHaveLength(1);
    expect(t).not.toContain('escalated');
    const audit = await auditOf(ticketId);
    expect(audit).toContain('service already running');
    expect(audit).toMatch(/MESClientAgent is running on TSP-KIOSK-02/);
  });

  it('reset_password: killed right after Graph accepted the reset → restarted → no second reset, escalated with the reason', async () => {
    await desk.restart('executor', { env: { ...EXECUTOR_ENV, [HOOK]: 'reset_password' } });
    const upn = 'raj.patel@contoso-dental.example';
    const person = sim.contactByEmail(upn)!;
    const mobile = e164(person.mobile!);
    const since = new Date(Date.now() - 1000).toISOString();
    const seq = (await callLog()).at(-1)?.seq ?? 0;
    const res = await fetch(`${desk.sandboxUrl}/admin/psa/connectwise/tickets`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientIdentifier: 'ContosoDental', contactEmail: upn, summary: 'Forgot my password', description: `I forgot my password and cannot sign in. Please reset it. Thanks, ${person.firstName}` }),
    });
    expect(res.status).toBe(201);
    const ticketId = await deskTicket('connectwise', String(((await res.json()) as { id: number }).id));
    const got = await sim.waitForCode(mobile, since, 120_000);
    expect(got).not.toBeNull();
    await sim.sendSms(mobile, got!.code);

    const exit = await desk.exited('executor', 240_000);
    expect(exit.signal).toBe('SIGKILL');
    const resets = async () => (await callLog(`?vendor=graph&method=PATCH&sinceSeq=${seq}`)).filter((c) => c.status < 300 && /\/users\//.test(c.path) && JSON.stringify(c.body ?? {}).includes('passwordProfile'));
    expect(await resets()).toHaveLength(1);

    await desk.restart('executor', { env: EXECUTOR_ENV });
    const end = await finalState(ticketId);
    // The password changed but its SMS never went out: it cannot be re-sent (it was never stored) and it is
    // never reset twice on a guess — a technician re-issues it.
    expect(end.state).toBe('escalated');
    expect(await resets()).toHaveLength(1);
    expect((await sim.outbox({ channel: 'sms', to: mobile, since })).filter((m) => /temporary password/i.test(m.body))).toEqual([]);
    expect(await auditOf(ticketId)).toMatch(/reset by an earlier attempt whose delivery is not recorded/);
    expect((await transitions(ticketId)).filter((s) => s === 'escalated')).toHaveLength(1);
  });
});
