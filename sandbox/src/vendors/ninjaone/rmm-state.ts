import type { SandboxContext } from '../../core/context';
import { Kinds } from '../../core/seed';
import type { Device, RmmScript } from '../../core/world';

/**
 * RMM state shared by the NinjaOne and Datto RMM modules (kept here, with NinjaOne, and imported by Datto).
 * Devices are the core's `device` documents (seeded from the world; the admin API flips `online`), so both
 * RMMs and every test see one truth. Extra fields the RMMs keep on a device: `lastAuditDate` (software
 * inventory scan) and `serviceRecoveries` (services a script brought back up: Datto's resolved alerts).
 */
export type RmmVendor = 'ninjaone' | 'datto';

export interface ServiceRecovery {
  service: string;
  stoppedSince: string;
  recoveredAt: string;
}

export type StoredDevice = Device & {
  clientIdentifier: string;
  lastAuditDate?: string;
  serviceRecoveries?: ServiceRecovery[];
};

/** Client identifiers whose RMM is `system`. */
export function clientsOn(ctx: SandboxContext, system: RmmVendor): string[] {
  return ctx.world.clients.filter((c) => c.systems.rmm === system).map((c) => c.identifier);
}

export async function devicesOn(ctx: SandboxContext, system: RmmVendor, clientIdentifier?: string): Promise<StoredDevice[]> {
  const clients = clientIdentifier ? [clientIdentifier] : clientsOn(ctx, system);
  const out: StoredDevice[] = [];
  for (const c of clients) {
    if (ctx.world.clients.find((x) => x.identifier === c)?.systems.rmm !== system) continue;
    out.push(...(await ctx.store.list<StoredDevice>(Kinds.device, { client: c })));
  }
  return out.sort((a, b) => a.id - b.id);
}

/** A device managed by `system`, or null (a device of another RMM is invisible, as in a separate tenant). */
export async function deviceOn(ctx: SandboxContext, system: RmmVendor, id: number): Promise<StoredDevice | null> {
  if (!Number.isInteger(id)) return null;
  const d = await ctx.store.get<StoredDevice>(Kinds.device, String(id));
  if (!d) return null;
  return ctx.world.clients.find((c) => c.identifier === d.clientIdentifier)?.systems.rmm === system ? d : null;
}

export function scripts(ctx: SandboxContext): RmmScript[] {
  return ctx.world.msp.rmmScripts;
}

/** Deterministic GUID-shaped uid (Datto uses GUIDs for devices, components and sites' devices). */
export function guid(group: number, n: number): string {
  return `${String(group).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export const epochSeconds = (iso: string) => Date.parse(iso) / 1000;
