import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import type { Contact, Device } from '../../core/world';
import { Kinds } from '../../core/seed';
import { type Doc, href, listResponse, countResponse, notFound } from './common';
import { companyRef, contactRef, type StoredCompany } from './refs';

type Stored<T> = T & { clientIdentifier: string };

const PHONE = { id: 2, name: 'Direct' };
const MOBILE = { id: 4, name: 'Mobile' };
const EMAIL = { id: 1, name: 'Email' };

function toCompany(ctx: SandboxContext, c: StoredCompany & { timezone?: string }): Doc {
  return {
    id: c.id, identifier: c.identifier, name: c.name, status: { id: 1, name: 'Active' }, types: [{ id: 1, name: 'Client' }],
    website: `www.${c.domain}`, deletedFlag: false, dateAcquired: '2024-01-01T00:00:00Z', timeZoneSetup: { id: 1, name: c.timezone ?? null },
    site: { id: c.id * 10, name: 'Main' }, defaultContact: null,
    _info: { lastUpdated: '2026-01-01T00:00:00Z', updatedBy: 'dmercer', contacts_href: href(ctx, `/company/contacts?conditions=company/id=${c.id}`) },
  };
}

function toContact(ctx: SandboxContext, c: Stored<Contact>, company: StoredCompany | undefined): Doc {
  const items: Doc[] = [];
  const base = c.id * 10;
  items.push({ id: base + 1, type: EMAIL, value: c.email, defaultFlag: true, communicationType: 'Email' });
  if (c.phone) {
    const [number, ext] = c.phone.split(/\s*x/);
    items.push({ id: base + 2, type: PHONE, value: number.replace(/\D/g, ''), extension: ext ?? null, defaultFlag: true, communicationType: 'Phone' });
  }
  if (c.mobile) items.push({ id: base + 3, type: MOBILE, value: c.mobile.replace(/\D/g, ''), defaultFlag: !c.phone, communicationType: 'Phone' });
  const types: Doc[] = [];
  if (c.vip) types.push({ id: 1, name: 'VIP' });
  if (c.authorizedApprover) types.push({ id: 2, name: 'Authorized Approver' });
  return {
    id: c.id, firstName: c.firstName, lastName: c.lastName, company: company ? companyRef(ctx, company) : null,
    site: company ? { id: company.id * 10, name: 'Main' } : null, title: c.title, department: { id: 0, name: c.department },
    inactiveFlag: !c.active, managerContactId: c.managerContactId, types, defaultPhoneType: c.phone ? 'Direct' : c.mobile ? 'Mobile' : null,
    defaultPhoneNbr: (c.phone ?? c.mobile ?? '').split(/\s*x/)[0].replace(/\D/g, '') || null,
    defaultPhoneExtension: c.phone?.split(/\s*x/)[1] ?? null, communicationItems: items,
    _info: { lastUpdated: '2026-01-01T00:00:00Z', updatedBy: 'dmercer', communications_href: href(ctx, `/company/contacts/${c.id}/communications`) },
  };
}

const TYPE_NAMES: Record<Device['type'], string> = {
  workstation: 'Managed Workstation', laptop: 'Managed Laptop', server: 'Managed Server', printer: 'Printer', firewall: 'Firewall',
};

function toConfiguration(ctx: SandboxContext, d: Stored<Device>, company: StoredCompany | undefined, owner: Contact | undefined): Doc {
  return {
    id: d.id, name: d.hostname, type: { id: Object.keys(TYPE_NAMES).indexOf(d.type) + 1, name: TYPE_NAMES[d.type] },
    status: { id: 1, name: 'Active' }, company: company ? companyRef(ctx, company) : null, contact: owner ? contactRef(ctx, owner) : null,
    serialNumber: d.serial, tagNumber: d.assetTag, osType: d.os, activeFlag: true, lastLoginName: d.ownerUpn, deviceIdentifier: String(d.id),
    installationDate: null, warrantyExpirationDate: null, questions: [],
    _info: { lastUpdated: d.lastSeen, updatedBy: 'rmm' },
  };
}

export function companyRoutes(ctx: SandboxContext): Router {
  const r = express.Router();
  const companies = () => ctx.store.list<StoredCompany>(Kinds.client);
  const contacts = async () => {
    const cs = await companies();
    return (await ctx.store.list<Stored<Contact>>(Kinds.contact)).map((c) => toContact(ctx, c, cs.find((x) => x.identifier === c.clientIdentifier)));
  };
  const configurations = async () => {
    const cs = await companies();
    const people = await ctx.store.list<Stored<Contact>>(Kinds.contact);
    return (await ctx.store.list<Stored<Device>>(Kinds.device)).map((d) =>
      toConfiguration(ctx, d, cs.find((x) => x.identifier === d.clientIdentifier), d.ownerUpn ? people.find((p) => p.upn?.toLowerCase() === d.ownerUpn?.toLowerCase()) : undefined));
  };

  r.get('/company/companies', async (req, res) => listResponse(req, res, (await companies()).map((c) => toCompany(ctx, c))));
  r.get('/company/companies/count', async (req, res) => countResponse(req, res, (await companies()).map((c) => toCompany(ctx, c))));
  r.get('/company/companies/:id', async (req, res) => {
    const c = (await companies()).find((x) => String(x.id) === req.params.id);
    return c ? void res.json(toCompany(ctx, c)) : notFound(res, 'Company', req.params.id);
  });
  r.get('/company/contacts', async (req, res) => listResponse(req, res, await contacts()));
  r.get('/company/contacts/count', async (req, res) => countResponse(req, res, await contacts()));
  r.get('/company/contacts/:id', async (req, res) => {
    const c = (await contacts()).find((x) => String(x.id) === req.params.id);
    return c ? void res.json(c) : notFound(res, 'Contact', req.params.id);
  });
  r.get('/company/configurations', async (req, res) => listResponse(req, res, await configurations()));
  r.get('/company/configurations/count', async (req, res) => countResponse(req, res, await configurations()));
  r.get('/company/configurations/:id', async (req, res) => {
    const c = (await configurations()).find((x) => String(x.id) === req.params.id);
    return c ? void res.json(c) : notFound(res, 'Configuration', req.params.id);
  });
  return r;
}

