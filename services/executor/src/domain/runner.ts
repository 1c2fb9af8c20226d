import {
  IdentityClient, RmmClient, VendorError, VendorRateLimitError, VendorUnavailableError,
} from '@desk/adapters';
import { PlannedAction } from '@desk/contracts';
import { generateTemporaryPassword } from './secrets';
import { lc } from './records';

/**
 * Runs one planned action exactly once. The attempt row is committed before the vendor call; a
 * redelivery finds it and either returns the recorded result or reconciles with the vendor's state.
 */
export interface AttemptRow {
  idempotencyKey: string;
  /** released = the last try was refused by the vendor (429/5xx answer): nothing ran, safe to try again. */
  status: 'started' | 'released' | 'succeeded' | 'failed';
  tries: number;
  startedAt: string;
  vendorRef: string | null;
  detail: string | null;
}

export interface AttemptStore {
  get(key: string): Promise<AttemptRow | null>;
  /**
   * Claims the attempt as `started` (new, or `released` by a refused try); committed when it returns.
   * null = another worker holds it (started or finished): the caller must not call the vendor.
   */
  begin(key: string, meta: { ticketId: string; clientIdentifier: string; action: string; target: string }): Promise<AttemptRow | null>;
  finish(key: string, status: 'succeeded' | 'failed' | 'released', vendorRef: string | null, detail: string): Promise<void>;
  /** Records the vendor's reference as soon as it is known (narrows the crash window for RMM jobs). */
  noteVendorRef(key: string, vendorRef: string): Promise<void>;
}

export interface SecretChannel {
  /** SMS to a mobile on file; the body holds a secret and is never logged. Returns the provider's message id. */
  sendSecret(mobile: string, body: string): Promise<string | null>;
}

export interface RunPorts {
  identity: () => IdentityClient;
  rmm: () => RmmClient;
  secrets: SecretChannel;
  attempts: AttemptStore;
  /** Test hook: called right after the vendor accepted a write, before anything records it. */
  afterVendorWrite?: (action: PlannedAction['action']) => void;
}

export interface RunContext {
  ticketId: string;
  clientIdentifier: string;
  /** Mobile on file of whoever receives a temporary password (reset/create); null otherwise. */
  secretMobile: string | null;
  now: () => Date;
}

export type RunResult =
  | { outcome: 'succeeded'; vendorRef: string | null; detail: string; startedAt: string; finishedAt: string; replayed: boolean }
  | { outcome: 'failed'; retryable: boolean; detail: string; startedAt: string; finishedAt: string }
  /** The vendor's state cannot tell whether an earlier attempt ran: a human decides, nothing is repeated. */
  | { outcome: 'unknown'; detail: string; startedAt: string; finishedAt: string };

type Reconciled = { done: true; vendorRef: string | null; detail: string } | { done: false } | { unknown: string };

export async function runAction(step: PlannedAction, ports: RunPorts, ctx: RunContext): Promise<RunResult> {
  const key = step.idempotencyKey;
  const prior = await ports.attempts.get(key);
  if (prior?.status === 'succeeded') {
    return { outcome: 'succeeded', vendorRef: prior.vendorRef, detail: prior.detail ?? 'already done', startedAt: prior.startedAt, finishedAt: prior.startedAt, replayed: true };
  }
  if (prior?.status === 'failed') {
    return { outcome: 'failed', retryable: false, detail: prior.detail ?? 'failed earlier', startedAt: prior.startedAt, finishedAt: prior.startedAt };
  }
  if (prior?.status === 'started') {
    const r = await reconcile(step, ports, prior);
    if ('unknown' in r) return { outcome: 'unknown', detail: r.unknown, startedAt: prior.startedAt, finishedAt: ctx.now().toISOString() };
    if (r.done) {
      await ports.attempts.finish(key, 'succeeded', r.vendorRef, r.detail);
      return { outcome: 'succeeded', vendorRef: r.vendorRef, detail: r.detail, startedAt: prior.startedAt, finishedAt: ctx.now().toISOString(), replayed: true };
    }
  }
  const row = prior?.status === 'started'
    ? prior // reconciled above: the earlier try did not happen, this delivery takes it over
    : await ports.attempts.begin(key, { ticketId: ctx.ticketId, clientIdentifier: ctx.clientIdentifier, action: step.action, target: key.split(':').slice(2).join(':') });
  if (!row) {
    const now = ctx.now().toISOString();
    return { outcome: 'failed', retryable: true, detail: 'another delivery is running this action; retry later', startedAt: now, finishedAt: now };
  }
  const startedAt = row.startedAt;
  try {
    const done = await perform(step, ports, ctx, key);
    await ports.attempts.finish(key, 'succeeded', done.vendorRef, done.detail);
    return { outcome: 'succeeded', vendorRef: done.vendorRef, detail: done.detail, startedAt, finishedAt: ctx.now().toISOString(), replayed: false };
  } catch (e) {
    const retryable = e instanceof VendorUnavailableError || e instanceof VendorRateLimitError;
    const detail = describe(e);
    // The vendor answered 429/5xx: the call was refused, so the next delivery may simply try again. A
    // timeout or a dropped connection leaves the attempt `started`: the next delivery reconciles first.
    const refused = retryable && e instanceof VendorError && e.status !== null;
    if (!retryable) await ports.attempts.finish(key, 'failed', null, detail);
    else if (refused) await ports.attempts.finish(key, 'released', null, detail);
    return { outcome: 'failed', retryable, detail, startedAt, finishedAt: ctx.now().toISOString() };
  }
}

function describe(e: unknown): string {
  if (e instanceof VendorError) return `${e.vendor} ${e.status ?? 'network'}: ${e.message.slice(0, 200)}`;
  return e instanceof Error ? e.message.slice(0, 200) : String(e);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
const isResettable = (odataType: string) => /phoneAuthenticationMethod|microsoftAuthenticatorAuthenticationMethod/i.test(odataType);

async function perform(step: PlannedAction, ports: RunPorts, ctx: RunContext, key: string): Promise<{ vendorRef: string | null; detail: string }> {
  const p = step.params;
  const id = () => ports.identity();
  const wrote = () => ports.afterVendorWrite?.(step.action);
  const rmmJob = async (deviceId: string, script: string, args: Record<string, string>) => {
    const job = await ports.rmm().runScript(deviceId, script, args);
    wrote();
    await ports.attempts.noteVendorRef(key, job.id);
    return { vendorRef: job.id, detail: `${script} queued as RMM job ${job.id} (${job.status})` };
  };
  switch (step.action) {
    case 'reset_password': {
      if (!ctx.secretMobile) throw new Error('no mobile on file for the temporary password');
      const password = generateTemporaryPassword();
      await id().resetPassword(str(p.upn), password, true);
      wrote();
      await deliverOnce(ports, key, ctx.secretMobile, `Harborline service desk: your temporary password is ${password} . You must change it at your next sign-in. We will never ask you for it.`);
      return { vendorRef: SECRET_DELIVERED, detail: 'password reset with change at next sign-in; temporary password sent by SMS to the mobile on file' };
    }
    case 'unlock_account': {
      const dc = p.domainController ? str(p.domainController) : null;
      if (dc) {
        const device = await ports.rmm().findDevice(dc);
        if (!device) throw new Error(`domain controller ${dc} not found in the RMM`);
        return rmmJob(device.id, 'Unlock-ADAccount', { samAccountName: str(p.samAccountName) });
      }
      await id().unlock(str(p.upn));
      wrote();
      return { vendorRef: null, detail: 'sign-in lockout cleared' };
    }
    case 'reenroll_mfa': {
      const methods = await id().listAuthMethods(str(p.upn));
      const removed: string[] = [];
      for (const m of methods.filter((x) => isResettable(x.odataType))) {
        await id().deleteAuthMethod(str(p.upn), m);
        removed.push(m.odataType.replace('#microsoft.graph.', ''));
        wrote();
      }
      await id().revokeSessions(str(p.upn));
      return { vendorRef: null, detail: `removed ${removed.length} method(s) (${removed.join(', ')}); sessions revoked; FIDO2 keys kept` };
    }
    case 'add_to_group': case 'add_to_distribution_list': case 'remove_from_group': {
      const g = await id().findGroup(str(p.group));
      if (!g) throw new Error(`group ${str(p.group)} not found in the tenant`);
      if (step.action === 'remove_from_group') await id().removeGroupMember(g.id, str(p.upn));
      else await id().addGroupMember(g.id, str(p.upn));
      wrote();
      return { vendorRef: g.id, detail: `${step.action === 'remove_from_group' ? 'removed from' : 'added to'} ${g.displayName}` };
    }
    case 'install_software':
      return rmmJob(str(p.deviceId), str(p.script), argsOf(p.args));
    case 'reinstall_software':
      return rmmJob(str(p.deviceId), 'Reinstall-CatalogSoftware', { softwareName: str(p.software) });
    case 'restart_service':
      return rmmJob(str(p.deviceId), 'Restart-WindowsService', { serviceName: str(p.service) });
    case 'clear_print_queue':
      return rmmJob(str(p.deviceId), 'Clear-PrintQueue', { printerName: str(p.printer) });
    case 'disable_account': {
      await id().setAccountEnabled(str(p.upn), false);
      wrote();
      await id().revokeSessions(str(p.upn));
      return { vendorRef: null, detail: 'account disabled and sign-in sessions revoked' };
    }
    case 'create_account': {
      if (!ctx.secretMobile) throw new Error('no mobile on file for the temporary password');
      const password = generateTemporaryPassword();
      const user = await id().createUser({
        upn: str(p.upn), displayName: str(p.displayName), temporaryPassword: password,
        department: p.department ? str(p.department) : undefined, jobTitle: p.jobTitle ? str(p.jobTitle) : undefined,
      });
      wrote();
      const groups = Array.isArray(p.groups) ? p.groups : [];
      for (const name of groups) {
        const g = await id().findGroup(name);
        if (g) await id().addGroupMember(g.id, user.upn);
      }
      await deliverOnce(ports, key, ctx.secretMobile, `Harborline service desk: the temporary password for ${user.upn} is ${password} . It must be changed at first sign-in.`);
      return { vendorRef: user.id, detail: `account created with ${groups.length} template group(s); temporary password sent by SMS to the manager's mobile on file` };
    }
  }
}

/** vendor_ref of a reset/creation whose temporary password reached the provider (recorded before the result). */
const SECRET_DELIVERED = 'temporary-password-sms-accepted';

/**
 * The vendor change already happened: a failed SMS must not make a retry change it a second time. Once
 * the provider took the SMS, the attempt says so, so a crash before the result is recorded is reconciled
 * as done instead of "password changed, delivery unknown".
 */
async function deliverOnce(ports: RunPorts, key: string, mobile: string, body: string): Promise<void> {
  try {
    await ports.secrets.sendSecret(mobile, body);
  } catch (e) {
    throw new Error(`the change was made but the SMS with the temporary password could not be delivered (${describe(e)}); a technician re-issues it`, { cause: e });
  }
  await ports.attempts.noteVendorRef(key, SECRET_DELIVERED);
}

function argsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(v)) return out;
  for (const kv of v) {
    const i = String(kv).indexOf('=');
    if (i > 0) out[String(kv).slice(0, i)] = String(kv).slice(i + 1);
  }
  return out;
}

/** After a crash between the vendor call and our record: read the vendor's state instead of guessing. */
async function reconcile(step: PlannedAction, ports: RunPorts, prior: AttemptRow): Promise<Reconciled> {
  const p = step.params;
  const upn = str(p.upn);
  switch (step.action) {
    case 'reset_password': {
      const u = await ports.identity().getUser(upn);
      const changed = u?.lastPasswordChangeDateTime ? Date.parse(u.lastPasswordChangeDateTime) >= Date.parse(prior.startedAt) - 1000 : false;
      if (changed && prior.vendorRef === SECRET_DELIVERED) return { done: true, vendorRef: SECRET_DELIVERED, detail: 'password already reset and the temporary password already sent by SMS to the mobile on file' };
      // The password itself was never stored: a reset that happened cannot be re-delivered, only redone by a person.
      return changed ? { unknown: 'the password was reset by an earlier attempt whose delivery is not recorded; a technician re-issues it' } : { done: false };
    }
    case 'unlock_account': {
      if (prior.vendorRef) return { done: true, vendorRef: prior.vendorRef, detail: 'unlock job already queued' };
      const u = await ports.identity().getUser(upn);
      return u?.lockedOut === false ? { done: true, vendorRef: null, detail: 'lockout already cleared' } : { done: false };
    }
    case 'reenroll_mfa': {
      const methods = await ports.identity().listAuthMethods(upn);
      if (methods.some((m) => isResettable(m.odataType))) return { done: false };
      await ports.identity().revokeSessions(upn);
      return { done: true, vendorRef: null, detail: 'methods already removed; sessions revoked' };
    }
    case 'add_to_group': case 'add_to_distribution_list': case 'remove_from_group': {
      const groups = await ports.identity().listUserGroups(upn);
      const member = groups.some((g) => lc(g.displayName) === lc(str(p.group)));
      const done = step.action === 'remove_from_group' ? !member : member;
      return done ? { done: true, vendorRef: null, detail: 'membership already in the requested state' } : { done: false };
    }
    case 'disable_account': {
      const u = await ports.identity().getUser(upn);
      if (u && !u.accountEnabled) {
        await ports.identity().revokeSessions(upn);
        return { done: true, vendorRef: null, detail: 'account already disabled; sessions revoked' };
      }
      return { done: false };
    }
    case 'create_account': {
      const u = await ports.identity().getUser(upn);
      if (u && prior.vendorRef === SECRET_DELIVERED) return { done: true, vendorRef: SECRET_DELIVERED, detail: 'account already created and its temporary password already sent by SMS' };
      return u ? { unknown: 'the account was created by an earlier attempt whose password delivery is not recorded' } : { done: false };
    }
    case 'install_software': {
      if (prior.vendorRef) return { done: true, vendorRef: prior.vendorRef, detail: 'install job already queued' };
      const sw = await ports.rmm().listSoftware(str(p.deviceId));
      if (sw.some((s) => lc(s.name) === lc(str(p.software)))) return { done: true, vendorRef: null, detail: 'title already in the inventory' };
      return { unknown: 'an earlier install attempt may have queued a job that is not recorded' };
    }
    case 'restart_service': {
      if (prior.vendorRef) return { done: true, vendorRef: prior.vendorRef, detail: 'restart job already queued' };
      const svcs = await ports.rmm().listServices(str(p.deviceId));
      if (svcs.some((s) => lc(s.name) === lc(str(p.service)) && s.status === 'running')) return { done: true, vendorRef: null, detail: 'service already running' };
      return { unknown: 'an earlier restart attempt may have queued a job that is not recorded' };
    }
    case 'reinstall_software': case 'clear_print_queue':
      if (prior.vendorRef) return { done: true, vendorRef: prior.vendorRef, detail: 'job already queued' };
      return { unknown: 'an earlier attempt may have queued a job that is not recorded' };
  }
}
