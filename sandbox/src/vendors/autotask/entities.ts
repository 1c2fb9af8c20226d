import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import type { Contact, Device, MspMember } from '../../core/world';
import { Kinds } from '../../core/seed';
import { type Doc, countQuery, queryResponse } from './common';

type Stored<T> = T & { clientIdentifier: string };
interface StoredClient { id: number; identifier: string; name: string; domain: string }

export async function atCompanies(ctx: SandboxContext): Promise<Doc[]> {
  return (await ctx.store.list<StoredClient>(Kinds.client)).map((c) => ({
    id: c.id, companyName: c.name, companyNumber: c.identifier, companyType: 1, isActive: true, webAddress: `www.${c.domain}`,
    phone: null, ownerResourceID: null, classification: null, createDate: '2024-01-01T00:00:00Z', lastActivityDate: '2026-01-01T00:00:00Z',
  }));
}

export async function atContacts(ctx: SandboxContext): Promise<Doc[]> {
  const clients = await ctx.store.list<StoredClient>(Kinds.client);
  return (await ctx.store.list<Stored<Contact>>(Kinds.contact)).map((c) => {
    const [phone, ext] = (c.phone ?? '').split(/\s*x/);
    return {
      id: c.id, companyID: clients.find((x) => x.identifier === c.clientIdentifier)?.id ?? null, firstName: c.firstName, lastName: c.lastName,
      emailAddress: c.email, emailAddress2: null, phone: phone || null, extension: ext ?? null, mobilePhone: c.mobile, title: c.title,
      isActive: c.active ? 1 : 0, primaryContact: c.authorizedApprover, userDefinedFields: [
        { name: 'VIP', value: c.vip ? 'Yes' : 'No' }, { name: 'Authorized Approver', value: c.authorizedApprover ? 'Yes' : 'No' },
        { name: 'Department', value: c.department }, { name: 'UPN', value: c.upn },
      ],
    };
  });
}

const CI_TYPES: Record<Device['type'], number> = { workstation: 1, laptop: 2, server: 3, printer: 4, firewall: 5 };

export async function atConfigurationItems(ctx: SandboxContext): Promise<Doc[]> {
  const clients = await ctx.store.list<StoredClient>(Kinds.client);
  const contacts = await ctx.store.list<Stored<Contact>>(Kinds.contact);
  return (await ctx.store.list<Stored<Device>>(Kinds.device)).map((d) => ({
    id: d.id, companyID: clients.find((x) => x.identifier === d.clientIdentifier)?.id ?? null, referenceTitle: d.hostname, referenceNumber: d.assetTag,
    serialNumber: d.serial, configurationItemType: CI_TYPES[d.type], isActive: true, productID: null,
    contactID: d.ownerUpn ? contacts.find((c) => c.upn?.toLowerCase() === d.ownerUpn?.toLowerCase())?.id ?? null : null,
    rmmDeviceID: null, rmmDeviceAuditOperatingSystem: d.os, rmmDeviceAuditHostname: d.hostname, lastActivityPersonType: null, createDate: '2024-01-01T00:00:00Z',
  }));
}

export async function atResources(ctx: SandboxContext): Promise<Doc[]> {
  return (await ctx.store.list<MspMember & { id: number }>(Kinds.member)).map((m) => ({
    id: m.id, firstName: m.firstName, lastName: m.lastName, email: m.email, userName: m.identifier, isActive: true, resourceType: 'Employee',
    title: { l1: 'Service Desk Technician', l2: 'Systems Engineer', l3: 'Senior Engineer', security: 'Security Analyst', manager: 'Service Desk Manager' }[m.role],
    userType: 1,
  }));
}

/** The managed-services agreement (see seed.ts) as an Autotask recurring-service contract. */
export async function atContracts(ctx: SandboxContext): Promise<Doc[]> {
  const clients = await ctx.store.list<StoredClient>(Kinds.client);
  return (await ctx.store.list<Doc>(Kinds.agreement)).map((a) => ({
    id: a.id, companyID: clients.find((x) => x.identifier === a.clientIdentifier)?.id ?? null, contractName: a.name, contractNumber: `MS-${String(a.clientIdentifier)}`,
    contractType: 7, contractCategory: 1, status: a.active ? 1 : 0, isDefaultContract: true, startDate: `${String(a.startDate)}T00:00:00Z`, endDate: '2099-12-31T00:00:00Z',
    description: `Covered categories: ${(a.coveredCategories as string[]).join(', ')}\nBillable categories: ${(a.billableCategories as string[]).join(', ')}`,
    userDefinedFields: [{ name: 'Covered Categories', value: (a.coveredCategories as string[]).join(',') }],
  }));
}

/** Work types as Autotask billing codes (allocation codes of use type 1, "work type"), from msp.json. */
export async function atBillingCodes(ctx: SandboxContext): Promise<Doc[]> {
  return (await ctx.store.list<{ id: number; name: string; billable: boolean }>(Kinds.workType)).map((w) => ({
    id: 29682800 + w.id, name: w.name, description: w.name, isActive: true, useType: 1, billingCodeType: 0, isExcludedFromNewContracts: false,
    generalLedgerAccount: null, department: null, externalNumber: null, unitPrice: w.billable ? 125 : 0,
  }));
}

/** Registers query/count/get-by-id routes for a read-only entity. */
export function entityQueryRoutes(ctx: SandboxContext, r: Router, entity: string, path: string, load: () => Promise<Doc[]>): void {
  const fieldsOf = (rows: Doc[]) => [...new Set(['id', ...rows.flatMap((d) => Object.keys(d))])];
  const query = async (req: express.Request, res: express.Response) => {
    const rows = await load();
    queryResponse(ctx, req, res, entity, path, rows, fieldsOf(rows));
  };
  r.post(`${path}/query`, query);
  r.get(`${path}/query`, query);
  r.get(`${path}/query/next`, query);
  const count = async (req: express.Request, res: express.Response) => {
    const rows = await load();
    countQuery(req, res, entity, rows, fieldsOf(rows));
  };
  r.post(`${path}/query/count`, count);
  r.get(`${path}/query/count`, count);
  r.get(`${path}/:id`, async (req, res) => {
    const item = (await load()).find((d) => String(d.id) === req.params.id) ?? null;
    res.json({ item });
  });
}

export function entityRoutes(ctx: SandboxContext): Router {
  const r = express.Router();
  entityQueryRoutes(ctx, r, 'Company', '/Companies', () => atCompanies(ctx));
  entityQueryRoutes(ctx, r, 'Contact', '/Contacts', () => atContacts(ctx));
  entityQueryRoutes(ctx, r, 'ConfigurationItem', '/ConfigurationItems', () => atConfigurationItems(ctx));
  entityQueryRoutes(ctx, r, 'Resource', '/Resources', () => atResources(ctx));
  entityQueryRoutes(ctx, r, 'Contract', '/Contracts', () => atContracts(ctx));
  entityQueryRoutes(ctx, r, 'BillingCode', '/BillingCodes', () => atBillingCodes(ctx));
  return r;
}
