import { IdentityClient, RmmClient, RmmJob, VendorError } from '@desk/adapters';
import { PlannedAction } from '@desk/contracts';

/**
 * The proof that an action worked, read back through the same systems that made the change. A check
 * is polled: `pending` until the vendor shows the end state or the deadline passes; never `passed` on hope.
 */
export type CheckStatus = 'passed' | 'failed' | 'pending';

export interface CheckState {
  /** RMM job that ran the action (the executor's vendorRef) and whether it finished. */
  jobDone?: boolean;
  /** Refresh-SoftwareInventory job started by the verifier, once. */
  refreshJobId?: string | null;
  refreshDone?: boolean;
}

export interface CheckResult {
  status: CheckStatus;
  evidence: string;
  state: CheckState;
}

export interface CheckPorts {
  identity: () => IdentityClient;
  rmm: () => RmmClient;
}

export interface CheckInput {
  action: PlannedAction;
  vendorRef: string | null;
  /** When the executor started the action: a password change must be later. */
  startedAt: string;
  state: CheckState;
}

const s = (v: unknown) => (typeof v === 'string' ? v : String(v ?? ''));
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const pending = (evidence: string, state: CheckState): CheckResult => ({ status: 'pending', evidence, state });
const failed = (evidence: string, state: CheckState): CheckResult => ({ status: 'failed', evidence, state });
const passed = (evidence: string, state: CheckState): CheckResult => ({ status: 'passed', evidence, state });

/** Compares dotted versions numerically ("10.3" >= "10.3.0"); non-numeric parts compare as text. */
export function versionAtLeast(actual: string | null, wanted: string | null): boolean {
  if (!wanted) return true;
  if (!actual) return false;
  const a = actual.split(/[.\s-]/);
  const w = wanted.split(/[.\s-]/);
  for (let i = 0; i < Math.max(a.length, w.length); i++) {
    const x = a[i] ?? '0';
    const y = w[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    if (Number.isFinite(nx) && Number.isFinite(ny)) {
      if (nx !== ny) return nx > ny;
    } else if (x !== y) return x > y;
  }
  return true;
}

async function job(ports: CheckPorts, jobId: string, deviceId: string): Promise<RmmJob> {
  return ports.rmm().getJob(jobId, deviceId);
}

/** Waits for the action's own RMM job; a failed job fails the check with its output. */
async function actionJob(ports: CheckPorts, input: CheckInput, deviceId: string): Promise<CheckResult | null> {
  if (input.state.jobDone || !input.vendorRef) return null;
  const j = await job(ports, input.vendorRef, deviceId);
  if (j.status === 'failed') return failed(`RMM job ${j.script} failed: ${(j.output ?? '').slice(0, 300)}`, input.state);
  if (j.status !== 'succeeded') return pending(`RMM job ${j.script} is ${j.status}`, input.state);
  return null;
}

export async function checkOnce(ports: CheckPorts, input: CheckInput): Promise<CheckResult> {
  const p = input.action.params;
  const st: CheckState = { ...input.state };
  try {
    switch (input.action.action) {
      case 'reset_password': {
        const u = await ports.identity().getUser(s(p.upn));
        if (!u) return failed(`${s(p.upn)} not found`, st);
        const changed = u.lastPasswordChangeDateTime !== null && Date.parse(u.lastPasswordChangeDateTime) >= Date.parse(input.startedAt) - 2000;
        if (!changed) return pending(`passwordLastSet ${u.lastPasswordChangeDateTime ?? 'unknown'} is not after ${input.startedAt}`, st);
        if (u.lockedOut === true) return pending('password changed but the account still shows lockedOut', st);
        return passed(`passwordLastSet ${u.lastPasswordChangeDateTime} (after ${input.startedAt}); lockedOut ${String(u.lockedOut)}`, st);
      }
      case 'unlock_account': {
        if (p.domainController && input.vendorRef && !st.jobDone) {
          const dc = await ports.rmm().findDevice(s(p.domainController));
          if (!dc) return failed(`domain controller ${s(p.domainController)} not in the RMM`, st);
          const j = await actionJob(ports, input, dc.id);
          if (j) return j;
          st.jobDone = true;
        }
        const u = await ports.identity().getUser(s(p.upn));
        if (!u) return failed(`${s(p.upn)} not found`, st);
        if (u.lockedOut === false) return passed('lockedOut is false', st);
        return pending(`lockedOut is ${String(u.lockedOut)}`, st);
      }
      case 'reenroll_mfa': {
        const methods = await ports.identity().listAuthMethods(s(p.upn));
        const left = methods.filter((m) => /phoneAuthenticationMethod|microsoftAuthenticator/i.test(m.odataType));
        if (left.length > 0) return pending(`${left.length} phone/Authenticator method(s) still registered`, st);
        return passed(`no phone or Authenticator method remains (${methods.length} method(s) left: ${methods.map((m) => m.odataType.replace('#microsoft.graph.', '')).join(', ') || 'none'}); re-registration required`, st);
      }
      case 'add_to_group': case 'add_to_distribution_list': case 'remove_from_group': {
        const groups = await ports.identity().listUserGroups(s(p.upn));
        const member = groups.some((g) => same(g.displayName, s(p.group)));
        const want = input.action.action !== 'remove_from_group';
        if (member === want) return passed(`${s(p.upn)} is ${want ? '' : 'no longer '}a member of ${s(p.group)}`, st);
        return pending(`${s(p.upn)} is ${member ? 'still' : 'not yet'} a member of ${s(p.group)}`, st);
      }
      case 'install_software': case 'reinstall_software': {
        const deviceId = s(p.deviceId);
        const j = await actionJob(ports, input, deviceId);
        if (j) return j;
        st.jobDone = true;
        if (!st.refreshJobId) {
          const r = await ports.rmm().runScript(deviceId, 'Refresh-SoftwareInventory', {});
          st.refreshJobId = r.id;
          return pending('inventory refresh started', st);
        }
        if (!st.refreshDone) {
          const r = await job(ports, st.refreshJobId, deviceId);
          if (r.status === 'failed') return failed(`Refresh-SoftwareInventory failed: ${(r.output ?? '').slice(0, 200)}`, st);
          if (r.status !== 'succeeded') return pending(`inventory refresh ${r.status}`, st);
          st.refreshDone = true;
        }
        const inv = await ports.rmm().listSoftware(deviceId);
        const hit = inv.find((x) => same(x.name, s(p.software)));
        if (!hit) return failed(`${s(p.software)} is not in the RMM inventory of ${s(p.hostname)} after the refresh`, st);
        const wanted = p.version === null || p.version === undefined ? null : s(p.version);
        if (!versionAtLeast(hit.version, wanted)) return failed(`${hit.name} is at ${hit.version ?? 'unknown'}, catalog version is ${wanted}`, st);
        return passed(`${hit.name} ${hit.version ?? ''} in the RMM inventory of ${s(p.hostname)} after Refresh-SoftwareInventory`, st);
      }
      case 'restart_service': case 'clear_print_queue': {
        const deviceId = s(p.deviceId);
        const j = await actionJob(ports, input, deviceId);
        if (j) return j;
        st.jobDone = true;
        const service = input.action.action === 'restart_service' ? s(p.service) : 'Spooler';
        const svc = (await ports.rmm().listServices(deviceId)).find((x) => same(x.name, service));
        if (!svc) return failed(`${service} not found on ${s(p.hostname)}`, st);
        if (svc.status !== 'running') return pending(`${service} is ${svc.status} on ${s(p.hostname)}`, st);
        return passed(`${service} is running on ${s(p.hostname)}${input.action.action === 'clear_print_queue' ? ` after clearing the queue for ${s(p.printer)}` : ''}`, st);
      }
      case 'disable_account': {
        const u = await ports.identity().getUser(s(p.upn));
        if (!u) return failed(`${s(p.upn)} not found`, st);
        return u.accountEnabled ? pending('accountEnabled is still true', st) : passed('accountEnabled is false; sessions revoked by the executor', st);
      }
      case 'create_account': {
        const u = await ports.identity().getUser(s(p.upn));
        if (!u) return pending(`${s(p.upn)} does not exist yet`, st);
        const want = Array.isArray(p.groups) ? p.groups : [];
        const have = (await ports.identity().listUserGroups(u.upn)).map((g) => g.displayName);
        const missing = want.filter((g) => !have.some((h) => same(h, g)));
        if (missing.length > 0) return pending(`missing template groups: ${missing.join(', ')}`, st);
        return passed(`${u.upn} exists with ${want.length} template group(s)`, st);
      }
    }
  } catch (e) {
    // A vendor that is down is no proof either way: keep polling until the deadline.
    if (e instanceof VendorError && (e.status === null || e.status >= 500 || e.status === 429)) return pending(`vendor unavailable: ${e.message.slice(0, 200)}`, st);
    if (e instanceof VendorError && e.status === 409) return failed(`vendor refused: ${e.message.slice(0, 200)}`, st);
    return failed(`check error: ${(e as Error).message.slice(0, 200)}`, st);
  }
}

/** How long an action may take to show its end state. RMM jobs and hybrid syncs take minutes. */
export function deadlineMs(action: PlannedAction['action'], base: { identityMs: number; rmmMs: number }): number {
  switch (action) {
    case 'install_software': case 'reinstall_software': case 'restart_service': case 'clear_print_queue':
      return base.rmmMs;
    case 'unlock_account':
      return base.rmmMs;
    default:
      return base.identityMs;
  }
}

/** Poll interval: quick at first, then backing off (RMM jobs take time). */
export function nextPollMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.min(attempt, 6), 30_000);
}
