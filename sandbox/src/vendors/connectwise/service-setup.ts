import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import type { MspMember } from '../../core/world';
import { Kinds } from '../../core/seed';
import { type Doc, href, listResponse, notFound, countResponse } from './common';
import type { StoredBoard, StoredCompany, StoredPriority } from './refs';
import { companyRef } from './refs';

const ROLE_TITLES: Record<MspMember['role'], string> = {
  l1: 'Service Desk Technician (L1)', l2: 'Systems Engineer (L2)', l3: 'Senior Engineer (L3)', security: 'Security Analyst', manager: 'Service Desk Manager',
};

/** Boards and statuses (from msp.json), priorities, members, agreements, system info. */
export function setupRoutes(ctx: SandboxContext): Router {
  const r = express.Router();
  const boards = () => ctx.store.list<StoredBoard>(Kinds.board);
  const toBoard = (b: StoredBoard): Doc => ({
    id: b.id, name: b.name, location: { id: 1, name: 'Main' }, department: { id: 1, name: 'Service' }, inactiveFlag: false, projectFlag: false,
    signOffTemplate: null, _info: { lastUpdated: '2026-01-01T00:00:00Z', updatedBy: 'dmercer', statuses_href: href(ctx, `/service/boards/${b.id}/statuses`) },
  });
  const toStatuses = (b: StoredBoard): Doc[] => b.statuses.map((s) => ({
    id: s.id, name: s.name, board: { id: b.id, name: b.name }, sortOrder: s.sortOrder, displayOnBoard: true, inactive: false,
    closedStatus: s.closed, timeEntryNotAllowed: false, defaultFlag: s.default, escalationStatus: s.closed ? 'Resolved' : s.name === 'New' ? 'NotResponded' : 'Responded',
    customerPortalDescription: s.name, customerPortalFlag: true, emailTemplate: null, _info: { lastUpdated: '2026-01-01T00:00:00Z', updatedBy: 'dmercer' },
  }));
  r.get('/service/boards', async (req, res) => listResponse(req, res, (await boards()).map(toBoard)));
  r.get('/service/boards/:id', async (req, res) => {
    const b = (await boards()).find((x) => String(x.id) === req.params.id);
    return b ? void res.json(toBoard(b)) : notFound(res, 'Board', req.params.id);
  });
  r.get('/service/boards/:id/statuses', async (req, res) => {
    const b = (await boards()).find((x) => String(x.id) === req.params.id);
    return b ? listResponse(req, res, toStatuses(b)) : notFound(res, 'Board', req.params.id);
  });
  r.get('/service/boards/:id/statuses/:sid', async (req, res) => {
    const b = (await boards()).find((x) => String(x.id) === req.params.id);
    const s = b ? toStatuses(b).find((x) => String(x.id) === req.params.sid) : undefined;
    return s ? void res.json(s) : notFound(res, 'Status', req.params.sid);
  });
  r.get('/service/priorities', async (req, res) => {
    const ps = await ctx.store.list<StoredPriority>(Kinds.priority);
    listResponse(req, res, ps.map((p) => ({ id: p.id, name: p.name, sortOrder: p.level, defaultFlag: p.level === 3, color: null, level: String(p.level) })));
  });

  const members = async () => (await ctx.store.list<MspMember & { id: number }>(Kinds.member)).map((m) => ({
    id: m.id, identifier: m.identifier, firstName: m.firstName, lastName: m.lastName, officeEmail: m.email, primaryEmail: m.email,
    title: ROLE_TITLES[m.role], inactiveFlag: false, licenseClass: m.identifier === 'L1Agent' ? 'A' : 'F', timeZone: { id: 1, name: 'Central Standard Time' },
    defaultLocation: { id: 1, name: 'Main' }, defaultDepartment: { id: 1, name: 'Service' },
    _info: { lastUpdated: '2026-01-01T00:00:00Z', updatedBy: 'dmercer' },
  }));
  r.get('/system/members', async (req, res) => listResponse(req, res, await members()));
  r.get('/system/members/count', async (req, res) => countResponse(req, res, await members()));
  r.get('/system/members/:id', async (req, res) => {
    const m = (await members()).find((x) => String(x.id) === req.params.id || x.identifier.toLowerCase() === req.params.id.toLowerCase());
    return m ? void res.json(m) : notFound(res, 'Member', req.params.id);
  });
  r.get('/system/info', (_req, res) => {
    res.json({ version: 'v2025.1.10431', isCloud: true, serverTimeZone: 'Central Standard Time', licenseBits: [], cloudRegion: 'NA' });
  });

  // One managed-services agreement per client (derived from the demo world; see seed.ts): the covered
  // ticket categories are carried in a custom field, the way MSPs annotate agreements for automation.
  const agreements = async () => {
    const cs = await ctx.store.list<StoredCompany>(Kinds.client);
    return (await ctx.store.list<Doc>(Kinds.agreement)).map((a) => {
      const c = cs.find((x) => x.identifier === a.clientIdentifier);
      return {
        id: a.id, name: a.name, type: { id: 1, name: a.type }, company: c ? companyRef(ctx, c) : null, contact: null,
        agreementStatus: a.active ? 'Active' : 'Inactive', cancelledFlag: !a.active, startDate: `${String(a.startDate)}T00:00:00Z`, endDate: null,
        noEndingDateFlag: true, billableTimeFlag: false, billableExpenseFlag: true, billableProductFlag: true, coverAgreementTime: true,
        applicationUnits: 'Amount', applicationCycle: 'Contract2Weeks', workType: { id: 6, name: 'Automation' }, workRole: null,
        customFields: [
          { id: 1, caption: 'Covered Categories', type: 'Text', entryMethod: 'EntryField', numberOfDecimals: 0, value: (a.coveredCategories as string[]).join(',') },
          { id: 2, caption: 'Billable Categories', type: 'Text', entryMethod: 'EntryField', numberOfDecimals: 0, value: (a.billableCategories as string[]).join(',') },
        ],
        _info: { lastUpdated: '2026-01-01T00:00:00Z', updatedBy: 'dmercer' },
      };
    });
  };
  r.get('/finance/agreements', async (req, res) => listResponse(req, res, await agreements()));
  r.get('/finance/agreements/count', async (req, res) => countResponse(req, res, await agreements()));
  r.get('/finance/agreements/:id', async (req, res) => {
    const a = (await agreements()).find((x) => String(x.id) === req.params.id);
    return a ? void res.json(a) : notFound(res, 'Agreement', req.params.id);
  });
  return r;
}
