import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientDirectory } from '../domain/entities/directory';

interface SeedClient {
  identifier: string; name: string; domain: string; timezone: string;
  businessHours: { days: number[]; start: string; end: string };
  contacts: Array<{ id: number; firstName: string; lastName: string; email: string | null; upn: string | null; vip: boolean; active: boolean; authorizedApprover: boolean; managerContactId: number | null }>;
  users: Array<{ upn: string; displayName: string; accountType: string; accountEnabled: boolean; groups: string[] }>;
  groups: Array<{ name: string; type: 'security' | 'distribution' | 'm365'; privileged: boolean }>;
  devices: Array<{ id: number; hostname: string; serial: string | null; assetTag: string | null; type: string | null; ownerUpn: string | null; online: boolean; services: Array<{ name: string }>; installedSoftware: Array<{ name: string }> }>;
  softwareCatalog: Array<{ name: string; approved: boolean }>;
}

/**
 * Reads a demo-world folder (msp.json + clients/*.json) into directories. Used by tests, the evaluation
 * and the benchmark; the running service builds its directories from the vendors (see vendor-directory.ts).
 */
export function loadSeedDirectories(worldDir: string): ClientDirectory[] {
  const msp = JSON.parse(readFileSync(join(worldDir, 'msp.json'), 'utf8')) as { clientFiles: string[] };
  return msp.clientFiles.map((f) => {
    const c = JSON.parse(readFileSync(join(worldDir, f), 'utf8')) as SeedClient;
    return {
      identifier: c.identifier,
      name: c.name,
      domains: [c.domain],
      timezone: c.timezone,
      businessHours: c.businessHours,
      contacts: c.contacts.map((k) => ({
        id: String(k.id), firstName: k.firstName, lastName: k.lastName, email: k.email, upn: k.upn, vip: k.vip, active: k.active,
        authorizedApprover: k.authorizedApprover, managerContactId: k.managerContactId === null ? null : String(k.managerContactId),
      })),
      users: c.users.map((u) => ({ upn: u.upn, displayName: u.displayName, accountType: u.accountType, enabled: u.accountEnabled, groups: u.groups })),
      groups: c.groups.map((g) => ({ name: g.name, type: g.type, privileged: g.privileged })),
      devices: c.devices.map((d) => ({
        id: String(d.id), hostname: d.hostname, serial: d.serial, assetTag: d.assetTag, type: d.type, ownerUpn: d.ownerUpn, online: d.online,
        services: d.services.map((s) => s.name), software: d.installedSoftware.map((s) => s.name),
      })),
      software: c.softwareCatalog.map((s) => ({ name: s.name, approved: s.approved })),
    };
  });
}
