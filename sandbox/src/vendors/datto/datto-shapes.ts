import type { SandboxContext } from '../../core/context';
import type { Client, RmmScript } from '../../core/world';
import { type JobRecord, jobPhase } from '../ninjaone/rmm-jobs';
import { guid, type StoredDevice } from '../ninjaone/rmm-state';

/**
 * Datto RMM v2 JSON shapes, as its OpenAPI description has them (validated in the tests). Properties the
 * real API sends as null are left out: the published schema types them as plain strings.
 */
export const ACCOUNT_UID = 'hbl7q2xk';
export const siteUid = (c: Client) => `site-${c.id}`;
export const deviceUid = (id: number) => guid(1, id);
export const componentUid = (index: number) => guid(2, index + 1);
export const PLATFORM = 'sandbox';

export function portalUrl(req: { protocol: string; get(h: string): string | undefined }, path: string): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}/datto/portal${path}`;
}

export function siteJson(c: Client, devices: StoredDevice[], portal: string) {
  const online = devices.filter((d) => d.online).length;
  return {
    id: c.id, uid: siteUid(c), accountUid: ACCOUNT_UID, name: c.name, description: c.identifier, notes: '', onDemand: false, splashtopAutoInstall: false,
    devicesStatus: { numberOfDevices: devices.length, numberOfOnlineDevices: online, numberOfOfflineDevices: devices.length - online },
    autotaskCompanyName: c.name, autotaskCompanyId: String(c.id), portalUrl: portal,
  };
}

function category(d: StoredDevice): { category: string; type: string } {
  if (d.type === 'printer') return { category: 'Printer', type: 'Printer' };
  if (d.type === 'firewall') return { category: 'Network Device', type: 'Firewall' };
  if (d.type === 'server') return { category: 'Server', type: 'Main System Chassis' };
  return d.type === 'laptop' ? { category: 'Laptop', type: 'Notebook' } : { category: 'Desktop', type: 'Desktop' };
}

export function deviceJson(ctx: SandboxContext, d: StoredDevice, portal: string) {
  const c = ctx.world.clients.find((x) => x.identifier === d.clientIdentifier);
  const agent = d.type !== 'printer' && d.type !== 'firewall';
  const out: Record<string, unknown> = {
    id: d.id, uid: deviceUid(d.id), siteId: c?.id ?? 0, siteUid: c ? siteUid(c) : '', siteName: c?.name ?? '', deviceType: category(d),
    hostname: d.hostname, intIpAddress: `10.${(c?.id ?? 0) % 256}.0.${d.id % 250}`, operatingSystem: d.os, domain: c?.domain ?? '',
    description: d.assetTag, a64Bit: agent, rebootRequired: false, online: d.online, suspended: false, deleted: false, lastSeen: d.lastSeen,
    lastReboot: new Date(Date.parse(d.lastSeen) - 3 * 86_400_000).toISOString(), lastAuditDate: d.lastAuditDate ?? d.lastSeen,
    creationDate: '2024-03-04T15:00:00.000Z', udf: { udf1: d.assetTag }, snmpEnabled: !agent,
    deviceClass: d.type === 'printer' ? 'printer' : agent ? 'device' : 'rmmnetworkdevice', portalUrl: portal, softwareStatus: 'Compliant',
    networkProbe: false, onboardedViaNetworkMonitor: !agent,
  };
  if (agent) {
    out.cagVersion = '4.4.2';
    out.displayVersion = '4.4.2';
    out.webRemoteUrl = `${portal}/remote`;
    out.antivirus = { antivirusProduct: 'Datto AV', antivirusStatus: 'RunningAndUpToDate' };
    out.patchManagement = { patchStatus: 'FullyPatched', patchesApprovedPending: 0, patchesNotApproved: 0, patchesInstalled: 42 };
    if (d.ownerUpn) out.lastLoggedInUser = d.ownerUpn.split('@')[0];
  }
  return out;
}

export function componentJson(s: RmmScript, index: number) {
  return {
    id: index + 1, credentialsRequired: false, uid: componentUid(index), name: s.name, description: s.description, categoryCode: 'script',
    variables: s.parameters.map((p, i) => ({ name: p, defaultVal: '', type: 'string', direction: false, description: p, variablesIdx: i })),
  };
}

export function jobJson(job: JobRecord) {
  return { id: job.seq, uid: job.uid, name: `Quick job: ${job.script}`, dateCreated: job.createdAt, status: job.state === 'done' ? 'completed' : 'active' };
}

export function deploymentStatus(job: JobRecord): 'Pending' | 'Running' | 'Success' | 'Failure' | 'Expired' {
  const phase = jobPhase(job);
  if (phase === 'queued') return 'Pending';
  if (phase === 'running') return 'Running';
  if (job.offline) return 'Expired';
  return job.result === 'SUCCESS' ? 'Success' : 'Failure';
}

export function jobResultsJson(job: JobRecord, compUid: string) {
  const status = deploymentStatus(job);
  const out: Record<string, unknown> = { jobUid: job.uid, deviceUid: job.deviceUid, jobDeploymentStatus: status, componentResults: [] };
  if (job.state === 'done' && !job.offline) {
    out.ranOn = new Date(job.startAt).toISOString();
    out.componentResults = [{
      componentUid: compUid, componentName: job.script, componentStatus: job.result === 'SUCCESS' ? 'Success' : 'Failure', numberOfWarnings: 0,
      hasStdOut: job.stdout !== '', hasStdErr: job.stderr !== '',
    }];
  }
  return out;
}

/** Datto service monitors: an open alert per stopped service, a resolved one per service a script brought back. */
export function serviceAlerts(d: StoredDevice, resolved: boolean, site: { uid: string; name: string }) {
  const source = { deviceUid: deviceUid(d.id), deviceName: d.hostname, siteUid: site.uid, siteName: site.name };
  const base = { priority: 'High', muted: false, alertMonitorInfo: { sendsEmails: false, createsTicket: true }, alertSourceInfo: source, responseActions: [], autoresolveMins: 0 };
  if (!resolved) {
    return d.services.filter((s) => s.status === 'stopped').map((s) => ({
      ...base, alertUid: guid(3, d.id * 100 + d.services.indexOf(s)), diagnostics: `Service ${s.name} is STOPPED`, resolved: false, timestamp: d.lastSeen,
      alertContext: { '@class': 'status_ctx', processName: s.name, status: 'STOPPED' },
    }));
  }
  return (d.serviceRecoveries ?? []).map((r, i) => ({
    ...base, alertUid: guid(4, d.id * 100 + i), diagnostics: `Service ${r.service} is RUNNING`, resolved: true, resolvedBy: 'Auto-resolve',
    resolvedOn: r.recoveredAt, timestamp: r.stoppedSince, alertContext: { '@class': 'status_ctx', processName: r.service, status: 'RUNNING' },
  }));
}

