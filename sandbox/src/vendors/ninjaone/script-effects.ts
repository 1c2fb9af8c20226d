import type { SandboxContext } from '../../core/context';
import { Kinds } from '../../core/seed';
import type { CatalogTitle, User } from '../../core/world';
import type { StoredDevice } from './rmm-state';

/**
 * What each script of Harborline's library (msp.json rmmScripts) really does to the world when a job
 * completes. The effects land in the shared store, so the RMM inventory and Graph read them back.
 */
export interface ScriptOutcome {
  ok: boolean;
  stdout: string;
  stderr: string;
}

const ok = (stdout: string): ScriptOutcome => ({ ok: true, stdout, stderr: '' });
const fail = (stderr: string, stdout = ''): ScriptOutcome => ({ ok: false, stdout, stderr });

/** Services an installer registers (from the scripts' descriptions in msp.json). */
const SERVICES_OF_INSTALL: Record<string, string[]> = {
  'Install-ClearViewClient': ['CVCaptureAgent'],
  'Install-ShopFloorMESClient': ['MESClientAgent'],
  'Install-LabelForgeDesigner': ['LabelForgeSvc'],
};

/** Installers that need another title first. */
const REQUIRES: Record<string, string> = { 'Install-LexFileOutlookAddin': 'LexFile DMS Client' };

async function catalogOf(ctx: SandboxContext, client: string): Promise<CatalogTitle[]> {
  return ctx.store.list<CatalogTitle>(Kinds.catalog, { client });
}

function withSoftware(d: StoredDevice, name: string, version: string): StoredDevice['installedSoftware'] {
  const rest = d.installedSoftware.filter((s) => s.name.toLowerCase() !== name.toLowerCase());
  return [...rest, { name, version }];
}

async function install(ctx: SandboxContext, d: StoredDevice, script: string): Promise<ScriptOutcome> {
  const title = (await catalogOf(ctx, d.clientIdentifier)).find((t) => t.installScript === script && t.approved);
  if (!title) return fail(`${script}: no approved catalog title of ${d.clientIdentifier} installs with this script; nothing installed.`);
  const needs = REQUIRES[script];
  if (needs && !d.installedSoftware.some((s) => s.name === needs)) return fail(`${script}: prerequisite "${needs}" is not installed on ${d.hostname}.`);
  const services = [...d.services];
  for (const svc of SERVICES_OF_INSTALL[script] ?? []) {
    const i = services.findIndex((s) => s.name === svc);
    if (i >= 0) services[i] = { name: svc, status: 'running' };
    else services.push({ name: svc, status: 'running' });
  }
  await ctx.store.patch<StoredDevice>(Kinds.device, String(d.id), { installedSoftware: withSoftware(d, title.name, title.version), services });
  return ok(`Installed ${title.name} ${title.version} on ${d.hostname}. Exit code 0.`);
}

async function reinstall(ctx: SandboxContext, d: StoredDevice, softwareName: string | undefined): Promise<ScriptOutcome> {
  if (!softwareName) return fail('Reinstall-CatalogSoftware: parameter softwareName is required.');
  const title = (await catalogOf(ctx, d.clientIdentifier)).find((t) => t.name.toLowerCase() === softwareName.toLowerCase());
  if (!title || !title.approved || !title.installScript) return fail(`Reinstall-CatalogSoftware: "${softwareName}" is not an approved catalog title of ${d.clientIdentifier}.`);
  const before = d.installedSoftware.find((s) => s.name.toLowerCase() === title.name.toLowerCase());
  await ctx.store.patch<StoredDevice>(Kinds.device, String(d.id), { installedSoftware: withSoftware(d, title.name, title.version) });
  const first = before ? `Uninstalled ${title.name} ${before.version}.` : `${title.name} was not installed.`;
  const how = title.name.startsWith('Microsoft 365 Apps') ? 'Online repair completed' : `Ran ${title.installScript}`;
  return ok(`${first} ${how}: ${title.name} ${title.version} installed on ${d.hostname}. Exit code 0.`);
}

async function restartService(ctx: SandboxContext, d: StoredDevice, name: string | undefined, who: string): Promise<ScriptOutcome> {
  if (!name) return fail(`${who}: parameter serviceName is required.`);
  const svc = d.services.find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (!svc) return fail(`Restart-Service : Cannot find any service with service name '${name}'.`);
  const services = d.services.map((s) => (s === svc ? { name: s.name, status: 'running' as const } : s));
  // A restart stops the service for a moment: the service monitor raises its alert and auto-resolves it,
  // which is how Datto RMM shows the service running again (NinjaOne reads the state directly).
  const now = new Date().toISOString();
  const recoveries = [...(d.serviceRecoveries ?? []), { service: svc.name, stoppedSince: svc.status === 'stopped' ? d.lastSeen : now, recoveredAt: now }];
  await ctx.store.patch<StoredDevice>(Kinds.device, String(d.id), { services, serviceRecoveries: recoveries });
  return ok(`${svc.name} was ${svc.status}; restarted. Status: Running`);
}

async function clearPrintQueue(ctx: SandboxContext, d: StoredDevice, printer: string | undefined): Promise<ScriptOutcome> {
  if (!d.services.some((s) => s.name === 'Spooler')) return fail(`Clear-PrintQueue: the Print Spooler service does not exist on ${d.hostname}.`);
  const client = ctx.world.clients.find((c) => c.identifier === d.clientIdentifier);
  if (printer && client && !client.printers.some((p) => p.toLowerCase() === printer.toLowerCase())) {
    return fail(`Clear-PrintQueue: no printer named '${printer}' is mapped on ${d.hostname}.`);
  }
  // The script stops Spooler, deletes the queued jobs and starts Spooler again: it ends running.
  const r = await restartService(ctx, d, 'Spooler', 'Clear-PrintQueue');
  return r.ok ? ok(`Spooler stopped; deleted queued jobs for ${printer || 'all printers'}; Spooler started. Status: Running`) : r;
}

async function unlockAd(ctx: SandboxContext, d: StoredDevice, sam: string | undefined): Promise<ScriptOutcome> {
  if (!d.services.some((s) => s.name === 'NTDS')) return fail(`Unlock-ADAccount: ${d.hostname} is not a domain controller.`);
  if (!sam) return fail('Unlock-ADAccount: parameter samAccountName is required.');
  const local = sam.replace(/^.*\\/, '').replace(/@.*$/, '').toLowerCase();
  const users = await ctx.store.list<User & { clientIdentifier: string }>(Kinds.user, { client: d.clientIdentifier });
  // sAMAccountName is at most 20 characters: longer UPN prefixes were cut to 20 when the account was made.
  const prefix = (u: User) => u.upn.toLowerCase().split('@')[0];
  const user = users.find((u) => prefix(u) === local) ?? users.find((u) => prefix(u).slice(0, 20) === local.slice(0, 20));
  if (!user) return fail(`Unlock-ADAccount : Cannot find an object with identity: '${sam}' under: 'DC=${d.clientIdentifier}'.`);
  const was = user.lockedOut;
  await ctx.store.patch(Kinds.user, user.upn.toLowerCase(), { lockedOut: false });
  return ok(`${user.upn}: LockedOut was ${was ? 'True' : 'False'}; now False.`);
}

async function refreshInventory(ctx: SandboxContext, d: StoredDevice): Promise<ScriptOutcome> {
  await ctx.store.patch<StoredDevice>(Kinds.device, String(d.id), { lastAuditDate: new Date().toISOString() });
  return ok(`Software inventory refreshed: ${d.installedSoftware.length} titles reported.`);
}

/** Runs `script` on the device as it is now (called when the job completes). */
export async function applyScript(ctx: SandboxContext, deviceId: number, script: string, params: Record<string, string>): Promise<ScriptOutcome & { offline: boolean }> {
  const d = await ctx.store.get<StoredDevice>(Kinds.device, String(deviceId));
  if (!d) return { ...fail('The device no longer exists.'), offline: false };
  if (!d.online) return { ...fail(`${d.hostname} is offline: the agent did not pick up the job.`), offline: true };
  if (d.type === 'printer' || d.type === 'firewall') return { ...fail(`${d.hostname} has no agent that can run scripts.`), offline: false };
  const p = (name: string) => Object.entries(params).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  let out: ScriptOutcome;
  if (script.startsWith('Install-')) out = await install(ctx, d, script);
  else if (script === 'Reinstall-CatalogSoftware') out = await reinstall(ctx, d, p('softwareName'));
  else if (script === 'Restart-WindowsService') out = await restartService(ctx, d, p('serviceName'), script);
  else if (script === 'Clear-PrintQueue') out = await clearPrintQueue(ctx, d, p('printerName'));
  else if (script === 'Unlock-ADAccount') out = await unlockAd(ctx, d, p('samAccountName'));
  else if (script === 'Refresh-SoftwareInventory') out = await refreshInventory(ctx, d);
  else out = fail(`${script}: not in the script library.`);
  return { ...out, offline: false };
}
