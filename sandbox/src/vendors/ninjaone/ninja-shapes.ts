import type { SandboxContext } from '../../core/context';
import type { RmmScript } from '../../core/world';
import { type JobRecord, jobPhase } from './rmm-jobs';
import { epochSeconds, type StoredDevice } from './rmm-state';

/** NinjaOne JSON shapes: devices (summary and detailed), software, services, scripts, activities. */
export function nodeClass(d: StoredDevice): string {
  if (d.type === 'printer') return 'NMS_PRINTER';
  if (d.type === 'firewall') return 'NMS_FIREWALL';
  const mac = /mac ?os/i.test(d.os);
  if (d.type === 'server') return mac ? 'MAC_SERVER' : 'WINDOWS_SERVER';
  return mac ? 'MAC' : 'WINDOWS_WORKSTATION';
}

const CREATED = epochSeconds('2024-03-04T15:00:00Z');

export function ninjaDevice(ctx: SandboxContext, d: StoredDevice) {
  const client = ctx.world.clients.find((c) => c.identifier === d.clientIdentifier);
  const orgId = client?.id ?? 0;
  return {
    id: d.id, organizationId: orgId, locationId: orgId * 10 + 1, nodeClass: nodeClass(d), nodeRoleId: d.type === 'server' ? 2 : 1,
    rolePolicyId: d.type === 'server' ? 20 : 10, policyId: d.type === 'server' ? 20 : 10, approvalStatus: 'APPROVED', offline: !d.online,
    displayName: d.hostname, systemName: d.hostname, dnsName: `${d.hostname.toLowerCase()}.${client?.domain ?? 'local'}`,
    created: CREATED, lastContact: epochSeconds(d.lastSeen), lastUpdate: epochSeconds(d.lastSeen),
  };
}

export function ninjaDeviceDetailed(ctx: SandboxContext, d: StoredDevice) {
  const client = ctx.world.clients.find((c) => c.identifier === d.clientIdentifier);
  const base = ninjaDevice(ctx, d);
  return {
    ...base,
    references: {
      organization: { id: base.organizationId, name: client?.name ?? '' },
      location: { id: base.locationId, name: 'Main office' },
      role: { id: base.nodeRoleId, name: d.type === 'server' ? 'Windows Server' : 'Windows Desktop/Laptop', nodeClass: base.nodeClass },
    },
    os: { manufacturer: 'Microsoft Corporation', name: d.os, architecture: '64-bit', lastBootTime: epochSeconds(d.lastSeen) - 86_400, buildNumber: null, releaseId: null, language: 'en-US' },
    system: {
      name: d.hostname, manufacturer: d.type === 'laptop' ? 'Lenovo' : 'Dell Inc.', model: d.type, biosSerialNumber: d.serial, serialNumber: d.serial,
      domain: client?.domain ?? null, domainRole: d.services.some((s) => s.name === 'NTDS') ? 'PRIMARY_DOMAIN_CONTROLLER' : d.type === 'server' ? 'MEMBER_SERVER' : 'MEMBER_WORKSTATION',
      chassisType: d.type === 'laptop' ? 'LAPTOP' : d.type === 'server' ? 'RACK' : 'DESKTOP',
    },
    lastLoggedInUser: d.ownerUpn ? d.ownerUpn.split('@')[0] : null,
    // Harborline fills the "Asset Tag" device custom field at onboarding.
    fields: { assetTag: d.assetTag },
  };
}

export function ninjaSoftware(d: StoredDevice) {
  return d.installedSoftware.map((s, i) => ({
    instanceId: `${d.id}-${i + 1}`, name: s.name, version: s.version, publisher: null, installDate: null, location: null, size: null, productCode: null,
    timestamp: epochSeconds(d.lastAuditDate ?? d.lastSeen),
  }));
}

export function ninjaServices(d: StoredDevice) {
  return d.services.map((s) => ({ name: s.name, displayName: s.name, state: s.status === 'running' ? 'RUNNING' : 'STOPPED', startType: 'AUTO_START', userName: 'LocalSystem' }));
}

export function ninjaScript(s: RmmScript, index: number) {
  return {
    type: 'SCRIPT', id: index + 1, uid: null, name: s.name, language: 'powershell', description: s.description, architecture: ['64'], categoryId: 1,
    parameters: s.parameters,
  };
}

/** A job seen through NinjaOne's device activities: START_REQUESTED, STARTED, then COMPLETED. */
export function ninjaActivities(job: JobRecord, scriptId: number) {
  const phase = jobPhase(job);
  const ids = job.activityIds ?? { requested: job.seq * 3 - 2 };
  const base = {
    deviceId: job.deviceId, severity: 'NONE', priority: 'NONE', seriesUid: job.uid, activityType: 'ACTION', sourceConfigUid: `script-${scriptId}`,
    sourceName: job.script, subject: job.script, type: 'Action',
  };
  const out: Array<Record<string, unknown>> = [{
    ...base, id: ids.requested, activityTime: epochSeconds(job.createdAt), statusCode: 'START_REQUESTED', status: 'START_REQUESTED',
    activityResult: 'UNSUPPORTED', message: `Script '${job.script}' requested via API.`, data: { message: { code: 'script_start_requested', params: { scriptName: job.script } } },
  }];
  const pickedUp = phase === 'running' || (phase === 'done' && !job.offline);
  if (pickedUp && ids.started !== undefined) {
    out.push({
      ...base, id: ids.started, activityTime: job.startAt / 1000, statusCode: 'STARTED', status: 'STARTED', activityResult: 'UNSUPPORTED',
      message: `Script '${job.script}' started.`, data: { message: { code: 'script_started', params: { scriptName: job.script } } },
    });
  }
  if (phase === 'done' && ids.completed !== undefined) {
    out.push({
      ...base, id: ids.completed, activityTime: Date.parse(job.finishedAt ?? job.createdAt) / 1000, statusCode: 'COMPLETED', status: 'COMPLETED',
      activityResult: job.result === 'SUCCESS' ? 'SUCCESS' : 'FAILURE',
      message: job.result === 'SUCCESS' ? job.stdout : job.stderr,
      data: { message: { code: 'script_result', params: { scriptName: job.script, exitCode: job.result === 'SUCCESS' ? 0 : 1, output: [job.stdout, job.stderr].filter(Boolean).join('\n') } } },
    });
  }
  return out;
}
