import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import type { Contact, Device, MspMember } from '../../core/world';
import { Kinds } from '../../core/seed';
import { type Doc, haloList, int, q, truthy } from './common';

type Stored<T> = T & { clientIdentifier: string };
interface StoredClient { id: number; identifier: string; name: string; domain: string; timezone: string }
interface StoredBoard { id: number; name: string; statuses: Array<{ name: string; closed: boolean }> }

export interface HaloStatus { id: number; name: string; shortname: string; sequence: number; closed: boolean }

/** Halo statuses are global: every status name used on any board, closed when a board closes with it. */
export async function haloStatuses(ctx: SandboxContext): Promise<HaloStatus[]> {
  const out: HaloStatus[] = [];
  for (const b of await ctx.store.list<StoredBoard>(Kinds.board)) {
    for (const s of b.statuses) {
      const have = out.find((x) => x.name.toLowerCase() === s.name.toLowerCase());
      if (have) have.closed ||= s.closed;
      else out.push({ id: out.length + 1, name: s.name, shortname: s.name.slice(0, 10), sequence: out.length + 1, closed: s.closed });
    }
  }
  return out;
}

export async function haloClients(ctx: SandboxContext): Promise<StoredClient[]> {
  return ctx.store.list<StoredClient>(Kinds.client);
}

export async function haloAgents(ctx: SandboxContext): Promise<Array<MspMember & { id: number }>> {
  return ctx.store.list<MspMember & { id: number }>(Kinds.member);
}

const ROLE: Record<MspMember['role'], string> = { l1: 'L1 Technician', l2: 'L2 Engineer', l3: 'L3 Engineer', security: 'Security Analyst', manager: 'Service Manager' };

export const toAgent = (m: MspMember & { id: number }): Doc => ({
  id: m.id, name: `${m.firstName} ${m.lastName}`, firstname: m.firstName, surname: m.lastName, email: m.email, initials: `${m.firstName[0]}${m.lastName[0]}`,
  team: m.role === 'security' ? 'Security' : m.role === 'l1' ? 'Service Desk' : 'Escalations', isdisabled: false, jobtitle: ROLE[m.role],
  role_list: ROLE[m.role], use: 'agent',
});

export const toClient = (c: StoredClient): Doc => ({
  id: c.id, name: c.name, ref: c.identifier, toplevel_id: 1, toplevel_name: 'Harborline Managed Clients', inactive: false, colour: '#2f6f9f',
  website: `https://www.${c.domain}`, accountsid: c.identifier,
});

export function toUser(c: Stored<Contact>, client: StoredClient | undefined, all: Array<Stored<Contact>>): Doc {
  const manager = c.managerContactId ? all.find((x) => x.id === c.managerContactId) : undefined;
  return {
    id: c.id, name: `${c.firstName} ${c.lastName}`, firstname: c.firstName, surname: c.lastName, initials: `${c.firstName[0]}${c.lastName[0]}`,
    title: c.title, emailaddress: c.email, phonenumber: c.phone, mobilenumber: c.mobile, client_id: client?.id ?? null, client_name: client?.name ?? null,
    site_id: client ? client.id * 10 : null, site_name: client ? 'Main' : null, department: c.department, inactive: !c.active,
    isimportantcontact: c.vip, ischangeapprover: c.authorizedApprover, manager_email: manager?.email ?? null, activedirectory_dn: c.upn,
  };
}

const ASSET_TYPES: Record<Device['type'], [number, string]> = {
  workstation: [1, 'Workstation'], laptop: [2, 'Laptop'], server: [3, 'Server'], printer: [4, 'Printer'], firewall: [5, 'Firewall'],
};

export const toAsset = (d: Stored<Device>, client: StoredClient | undefined): Doc => ({
  id: d.id, inventory_number: d.assetTag, key_field: d.hostname, key_field2: d.serial, key_field3: d.os, client_id: client?.id ?? null,
  client_name: client?.name ?? null, site_id: client ? client.id * 10 : null, site_name: client ? 'Main' : null, assettype_id: ASSET_TYPES[d.type][0],
  assettype_name: ASSET_TYPES[d.type][1], inactive: false, user_email: d.ownerUpn, azure_userprincipalname: d.ownerUpn, status_id: 1, status_name: 'Active',
});

/** The managed-services agreement of each client (see seed.ts); covered ticket categories in `note`. */
export async function haloContracts(ctx: SandboxContext): Promise<Doc[]> {
  const clients = await haloClients(ctx);
  return (await ctx.store.list<Doc>(Kinds.agreement)).map((a) => {
    const c = clients.find((x) => x.identifier === a.clientIdentifier);
    return {
      id: a.id, client_id: c?.id ?? null, client_name: c?.name ?? null, ref: `MS-${String(a.clientIdentifier)}`, site_id: c ? c.id * 10 : null,
      start_date: `${String(a.startDate)}T00:00:00Z`, end_date: null, active: a.active, status: a.active ? 1 : 0, contract_status: a.active ? 'Active' : 'Inactive',
      contracttype: 1, contracttype_name: String(a.type), item_desc: String(a.name),
      note: `Covered categories: ${(a.coveredCategories as string[]).join(', ')}\nBillable categories: ${(a.billableCategories as string[]).join(', ')}`,
    };
  });
}

/** Halo's lookup table of charge types (`lookupid` 17): the work types of msp.json. */
export const HALO_CHARGE_TYPES = 17;
export async function haloChargeTypes(ctx: SandboxContext): Promise<Doc[]> {
  return (await ctx.store.list<{ id: number; name: string; billable: boolean }>(Kinds.workType)).map((w) => ({
    id: w.id, lookupid: HALO_CHARGE_TYPES, name: w.name, value2: w.billable ? 'Chargeable' : 'Non-chargeable', value2_bool: w.billable,
  }));
}

/** Clients, users (contacts), agents, statuses, priorities, assets, charge types and client contracts. */
export function entityRoutes(ctx: SandboxContext): Router {
  const r = express.Router();
  const byId = <T,>(rows: T[], id: string) => rows.find((x) => String((x as { id?: unknown }).id) === id);
  const notFound = (res: express.Response) => void res.status(404).json('Not Found');
  const search = (v: unknown, ...fields: Array<unknown>) => typeof v !== 'string' || !v || fields.some((f) => typeof f === 'string' && f.toLowerCase().includes(v.toLowerCase()));

  r.get('/Client', async (req, res) => {
    const rows = (await haloClients(ctx)).map(toClient).filter((c) => search(q(req).search, c.name, c.ref));
    res.json(haloList(req, rows, 'clients'));
  });
  r.get('/Client/:id', async (req, res) => {
    const c = byId(await haloClients(ctx), req.params.id);
    return c ? void res.json(toClient(c)) : notFound(res);
  });

  const users = async () => {
    const clients = await haloClients(ctx);
    const all = await ctx.store.list<Stored<Contact>>(Kinds.contact);
    return all.map((c) => toUser(c, clients.find((x) => x.identifier === c.clientIdentifier), all));
  };
  r.get('/Users', async (req, res) => {
    const query = q(req);
    const clientId = int(query.client_id);
    const includeInactive = truthy(query.includeinactive);
    const rows = (await users()).filter((u) => (clientId === null || u.client_id === clientId) && (includeInactive || !u.inactive)
      && search(query.search, u.name, u.emailaddress, u.phonenumber, u.mobilenumber));
    res.json(haloList(req, rows, 'users'));
  });
  r.get('/Users/:id', async (req, res) => {
    const u = byId(await users(), req.params.id);
    return u ? void res.json(u) : notFound(res);
  });

  r.get('/Agent', async (_req, res) => res.json((await haloAgents(ctx)).map(toAgent)));
  r.get('/Agent/:id', async (req, res) => {
    const a = byId(await haloAgents(ctx), req.params.id);
    return a ? void res.json(toAgent(a)) : notFound(res);
  });

  r.get('/Status', async (req, res) => {
    const excludeClosed = truthy(q(req).excludeclosed);
    res.json((await haloStatuses(ctx)).filter((s) => !excludeClosed || !s.closed).map(({ closed: _c, ...s }) => s));
  });
  r.get('/Status/:id', async (req, res) => {
    const s = byId(await haloStatuses(ctx), req.params.id);
    return s ? void res.json({ id: s.id, name: s.name, shortname: s.shortname, sequence: s.sequence }) : notFound(res);
  });
  r.get('/Priority', async (_req, res) => {
    const ps = await ctx.store.list<{ id: number; name: string; level: number }>(Kinds.priority);
    res.json(ps.map((p) => ({ id: `00000000-0000-4000-8000-00000000000${p.level}`, priorityid: p.level, name: p.name })));
  });

  const assets = async () => {
    const clients = await haloClients(ctx);
    return (await ctx.store.list<Stored<Device>>(Kinds.device)).map((d) => toAsset(d, clients.find((x) => x.identifier === d.clientIdentifier)));
  };
  r.get('/Asset', async (req, res) => {
    const query = q(req);
    const clientId = int(query.client_id);
    const rows = (await assets()).filter((a) => (clientId === null || a.client_id === clientId) && search(query.search, a.key_field, a.inventory_number, a.key_field2));
    res.json(haloList(req, rows, 'assets'));
  });
  r.get('/Asset/:id', async (req, res) => {
    const a = byId(await assets(), req.params.id);
    return a ? void res.json(a) : notFound(res);
  });

  const contracts = () => haloContracts(ctx);
  // Only the charge-type lookup is served; other lookup tables answer an empty list.
  r.get('/Lookup', async (req, res) => {
    res.json(int(q(req).lookupid) === HALO_CHARGE_TYPES ? await haloChargeTypes(ctx) : []);
  });
  r.get('/ClientContract', async (req, res) => {
    const clientId = int(q(req).client_id);
    res.json(haloList(req, (await contracts()).filter((c) => clientId === null || c.client_id === clientId), 'contracts'));
  });
  r.get('/ClientContract/:id', async (req, res) => {
    const c = byId(await contracts(), req.params.id);
    return c ? void res.json(c) : notFound(res);
  });
  return r;
}
