import { AdapterRegistry } from '@desk/adapters';
import type { Logger } from 'pino';
import { ClientDirectory, DirDevice, PRIVILEGED_GROUP_NAME } from '../domain/entities/directory';

/**
 * Builds each client's directory from the vendors the desk config names: PSA contacts and configurations,
 * RMM devices. What no vendor API exposes (software catalog, group types / privileged flags, account
 * types) comes from an optional overlay (a documented directory such as the demo world). Cached per client.
 */
export class VendorDirectorySource {
  private readonly cache = new Map<string, { at: number; dir: ClientDirectory }>();
  private readonly building = new Map<string, Promise<ClientDirectory>>();

  constructor(
    private readonly registry: AdapterRegistry,
    private readonly overlay: readonly ClientDirectory[],
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {}

  async all(now = Date.now()): Promise<ClientDirectory[]> {
    return Promise.all(this.registry.clients().map((c) => this.client(c.identifier, now)));
  }

  private async client(identifier: string, now: number): Promise<ClientDirectory> {
    const hit = this.cache.get(identifier);
    if (hit && now - hit.at < this.ttlMs) return hit.dir;
    // One build per client at a time: a burst of tickets must not fan out into a burst of vendor reads.
    let pending = this.building.get(identifier);
    if (!pending) {
      pending = this.build(identifier).finally(() => this.building.delete(identifier));
      this.building.set(identifier, pending);
    }
    const dir = await pending;
    this.cache.set(identifier, { at: now, dir });
    return dir;
  }

  private async build(identifier: string): Promise<ClientDirectory> {
    const cfg = this.registry.client(identifier);
    const base = this.overlay.find((d) => d.identifier.toLowerCase() === identifier.toLowerCase());
    const dir: ClientDirectory = {
      identifier: cfg.identifier, name: cfg.name, domains: cfg.domains, timezone: cfg.timezone, businessHours: cfg.businessHours,
      contacts: base?.contacts ?? [], users: base?.users ?? [], groups: base?.groups ?? [], devices: base?.devices ?? [], software: base?.software ?? [],
    };
    // Promise.resolve().then: an adapter that throws while being built counts as unavailable, not as a crash.
    const [contacts, configs, devices] = await Promise.allSettled([
      Promise.resolve().then(() => this.registry.psa(identifier).listContacts(identifier)),
      Promise.resolve().then(() => this.registry.psa(identifier).listConfigurations(identifier)),
      Promise.resolve().then(() => this.registry.rmm(identifier).listDevices(identifier)),
    ]);
    if (contacts.status === 'fulfilled') {
      dir.contacts = contacts.value.map((c) => {
        const known = base?.contacts.find((k) => k.email && c.email && k.email.toLowerCase() === c.email.toLowerCase());
        return {
          id: c.id, firstName: c.firstName, lastName: c.lastName, email: c.email, vip: c.vip, active: c.active,
          // The PSA has no UPN: the overlay knows it, else the mail address in the client's own domain is the UPN.
          upn: known?.upn ?? (c.email && cfg.domains.some((d) => c.email!.toLowerCase().endsWith(`@${d.toLowerCase()}`)) ? c.email.toLowerCase() : null),
          authorizedApprover: known?.authorizedApprover ?? false, managerContactId: known?.managerContactId ?? null,
        };
      });
    } else this.log.warn({ client: identifier, err: String(contacts.reason) }, 'triage directory: PSA contacts unavailable, using the overlay');
    const merged = new Map<string, DirDevice>((base?.devices ?? []).map((d) => [d.hostname.toLowerCase(), d]));
    if (configs.status === 'fulfilled') {
      for (const c of configs.value) {
        const prev = merged.get(c.name.toLowerCase());
        merged.set(c.name.toLowerCase(), { id: prev?.id ?? c.id, hostname: c.name, serial: c.serial ?? prev?.serial ?? null, assetTag: c.assetTag ?? prev?.assetTag ?? null, type: c.type ?? prev?.type ?? null, ownerUpn: prev?.ownerUpn ?? c.contactEmail, online: prev?.online ?? null, services: prev?.services ?? [] });
      }
    }
    if (devices.status === 'fulfilled') {
      for (const d of devices.value) {
        const prev = merged.get(d.hostname.toLowerCase());
        merged.set(d.hostname.toLowerCase(), { id: prev?.id ?? d.id, hostname: d.hostname, serial: d.serial ?? prev?.serial ?? null, assetTag: d.assetTag ?? prev?.assetTag ?? null, type: d.type ?? prev?.type ?? null, ownerUpn: prev?.ownerUpn ?? null, online: d.online, services: prev?.services ?? [] });
      }
    }
    if (configs.status === 'rejected' && devices.status === 'rejected') this.log.warn({ client: identifier }, 'triage directory: PSA configurations and RMM devices unavailable, using the overlay');
    dir.devices = [...merged.values()];
    if (!base) await this.enrichFromIdentity(identifier, dir);
    return dir;
  }

  /**
   * Without an overlay, the identity system tells us account state and group memberships of the
   * contacts' accounts; the groups seen there form the client's group list (types from Graph flags,
   * privileged by name). Failures leave the lists as they are.
   */
  private async enrichFromIdentity(identifier: string, dir: ClientDirectory): Promise<void> {
    const upns = dir.contacts.map((c) => c.upn).filter((u): u is string => !!u);
    const groups = new Map<string, ClientDirectory['groups'][number]>();
    const users: ClientDirectory['users'] = [];
    try {
      const identity = this.registry.identity(identifier);
      for (let i = 0; i < upns.length; i += 8) {
        // Eight at a time: enough to be quick, few enough to stay far from Graph throttling.
        await Promise.all(upns.slice(i, i + 8).map(async (upn) => {
          const [user, memberOf] = await Promise.all([identity.getUser(upn), identity.listUserGroups(upn).catch(() => [])]);
          if (!user) return;
          for (const g of memberOf) {
            // Mail-enabled, not security-enabled is a distribution list *or* a Microsoft 365 group: Graph's flags
            // cannot tell them apart, so the type stays unknown and the classifier decides the category.
            const type = g.securityEnabled && !g.mailEnabled ? 'security' : 'unknown';
            groups.set(g.displayName.toLowerCase(), { name: g.displayName, type, privileged: PRIVILEGED_GROUP_NAME.test(g.displayName) });
          }
          users.push({ upn: user.upn, displayName: user.displayName, accountType: 'unknown', enabled: user.accountEnabled, groups: memberOf.map((g) => g.displayName) });
        }));
      }
    } catch (e) {
      this.log.warn({ client: identifier, err: e instanceof Error ? e.message : String(e) }, 'triage directory: identity unavailable');
    }
    if (users.length) dir.users = users;
    if (groups.size) dir.groups = [...groups.values()];
  }
}
