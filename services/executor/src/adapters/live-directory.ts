import { AdapterRegistry, AuthMethod } from '@desk/adapters';
import {
  ClientDirectory, ClientSnapshot, ContactRecord, DeviceRecord, MfaMethodRecord, UserRecord, lc, mergeServices,
} from '../domain/records';
import { ClientRegister, RegisterClient } from './client-register';

/** PSAs keep numbers as typed or digits only ("15550111"); SMS providers want E.164 ("+15550111"). */
export function e164(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return null;
  return `+${digits}`;
}

const DEVICE_TYPES = ['workstation', 'laptop', 'server', 'printer', 'firewall'] as const;

function methodType(m: AuthMethod): MfaMethodRecord['type'] {
  if (/phoneAuthenticationMethod/i.test(m.odataType)) return 'phone';
  if (/microsoftAuthenticator/i.test(m.odataType)) return 'microsoftAuthenticator';
  if (/fido2/i.test(m.odataType)) return 'fido2';
  if (/emailAuthenticationMethod/i.test(m.odataType)) return 'email';
  return 'other';
}

/**
 * The client's records for one decision: live state from the vendors (Graph users, memberships and
 * methods; RMM devices, inventory and services; PSA contacts), authority facts from the register.
 */
export class LiveClientDirectory implements ClientDirectory {
  constructor(private readonly registry: AdapterRegistry, private readonly register: ClientRegister, private readonly onWarn: (msg: string) => void = () => undefined) {}

  async snapshot(clientIdentifier: string, focus: { upns: string[]; hostnames: string[] }): Promise<ClientSnapshot> {
    const reg = this.register.client(clientIdentifier);
    if (!reg) throw new Error(`client ${clientIdentifier} is not in the client register`);
    const cfg = this.registry.client(clientIdentifier);
    const [contacts, devices, users] = await Promise.all([
      this.contactsOf(clientIdentifier, reg),
      this.devices(clientIdentifier, reg, focus.hostnames),
      this.users(clientIdentifier, reg, focus.upns),
    ]);
    const dc = reg.devices.find((d) => d.type === 'server' && /(?:^|-)DC\d*$/i.test(d.hostname))?.hostname ?? null;
    return {
      clientIdentifier: cfg.identifier,
      domains: cfg.domains,
      contacts,
      groups: reg.groups.map((g) => ({ ...g })),
      devices,
      catalog: reg.softwareCatalog.map((t) => ({ ...t })),
      scripts: this.register.scripts.map((s) => ({ ...s })),
      vpnPortal: reg.vpn?.portal ?? null,
      domainController: dc,
      alertSenders: [...this.register.alertSenders],
      users,
    };
  }

  async contacts(clientIdentifier: string): Promise<ContactRecord[]> {
    const reg = this.register.client(clientIdentifier);
    if (!reg) throw new Error(`client ${clientIdentifier} is not in the client register`);
    return this.contactsOf(clientIdentifier, reg);
  }

  private async contactsOf(client: string, reg: RegisterClient): Promise<ContactRecord[]> {
    const base: ContactRecord[] = reg.contacts.map((c) => ({ ...c, clientIdentifier: client }));
    try {
      const live = await this.registry.psa(client).listContacts(client);
      // The PSA is the system of record for reachability and status; the register adds the approval chain.
      return base.map((c) => {
        const l = live.find((x) => x.id === c.id || (x.email && c.email && lc(x.email) === lc(c.email)));
        return l ? { ...c, email: l.email ?? c.email, mobile: e164(l.mobile), vip: l.vip, active: l.active } : c;
      });
    } catch (e) {
      this.onWarn(`PSA contacts of ${client} not readable, using the register: ${(e as Error).message}`);
      return base;
    }
  }

  private async devices(client: string, reg: RegisterClient, focus: string[]): Promise<DeviceRecord[]> {
    const rmm = this.registry.rmm(client);
    const live = await rmm.listDevices(client);
    const out: DeviceRecord[] = [];
    for (const d of live) {
      const r = reg.devices.find((x) => lc(x.hostname) === lc(d.hostname));
      const type = (DEVICE_TYPES as readonly string[]).includes(r?.type ?? d.type ?? '') ? (r?.type ?? d.type) as DeviceRecord['type'] : 'other';
      const rec: DeviceRecord = {
        id: d.id, hostname: d.hostname, type, ownerUpn: r?.ownerUpn ?? null, online: d.online,
        installedSoftware: r?.installedSoftware ?? [], services: r?.services ?? [],
      };
      // Printers and firewalls carry no agent: only computers have an inventory and services to read.
      const agent = rec.type === 'workstation' || rec.type === 'laptop' || rec.type === 'server';
      if (agent && d.online && focus.some((h) => lc(h) === lc(d.hostname))) {
        const [sw, svc] = await Promise.all([rmm.listSoftware(d.id), rmm.listServices(d.id)]);
        rec.installedSoftware = sw;
        rec.services = mergeServices(svc, rec.services);
      }
      out.push(rec);
    }
    return out;
  }

  private async users(client: string, reg: RegisterClient, upns: string[]): Promise<Map<string, UserRecord>> {
    const id = this.registry.identity(client);
    const map = new Map<string, UserRecord>();
    const wanted = [...new Set(upns.map(lc).filter((u) => u.includes('@')))];
    for (const upn of wanted) {
      const u = await id.getUser(upn);
      if (!u) continue;
      const [groups, methods] = await Promise.all([id.listUserGroups(upn), id.listAuthMethods(upn)]);
      const r = reg.users.find((x) => lc(x.upn) === upn);
      map.set(upn, {
        upn: u.upn, displayName: u.displayName, accountType: r?.accountType ?? null,
        accountEnabled: u.accountEnabled, lockedOut: u.lockedOut, passwordLastSet: u.lastPasswordChangeDateTime,
        managerUpn: u.managerUpn ?? r?.managerUpn ?? null, department: u.department,
        groups: groups.map((g) => g.displayName),
        mfaMethods: methods.filter((m) => !/passwordAuthenticationMethod/i.test(m.odataType)).map((m) => ({ id: m.id, type: methodType(m), detail: m.detail })),
      });
    }
    return map;
  }
}
