import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { AT_API_RESOURCE, type Doc, atErrors, countQuery, nowIso, queryResponse } from './common';
import { atBillingCodes, atCompanies, atContacts, atContracts, atResources } from './entities';
import { picklistJson, priorityPicklist, queuePicklist, statusPicklist } from './picklists';
import { fireTicketWebhooks } from './webhooks';

export const TICKET_KIND = 'at.ticket';
export const NOTE_KIND = 'at.ticketNote';
export const TIME_KIND = 'at.timeEntry';

export const TICKET_FIELDS = [
  'id', 'ticketNumber', 'title', 'description', 'companyID', 'contactID', 'status', 'priority', 'queueID', 'assignedResourceID',
  'assignedResourceRoleID', 'createDate', 'lastActivityDate', 'completedDate', 'dueDateTime', 'ticketType', 'ticketCategory', 'source',
  'issueType', 'subIssueType', 'configurationItemID', 'contractID', 'problemTicketId', 'resolution', 'createdByContactID', 'creatorResourceID',
  'creatorType', 'lastTrackedModificationDateTime', 'userDefinedFields',
];
const WRITABLE = ['title', 'description', 'companyID', 'contactID', 'status', 'priority', 'queueID', 'assignedResourceID', 'assignedResourceRoleID',
  'dueDateTime', 'ticketType', 'ticketCategory', 'source', 'issueType', 'subIssueType', 'configurationItemID', 'contractID', 'problemTicketId', 'resolution'];
const NOTE_FIELDS = ['id', 'ticketID', 'title', 'description', 'noteType', 'publish', 'createDateTime', 'lastActivityDate', 'creatorResourceID', 'createdByContactID'];
const TIME_FIELDS = ['id', 'ticketID', 'resourceID', 'roleID', 'dateWorked', 'startDateTime', 'endDateTime', 'hoursWorked', 'hoursToBill', 'summaryNotes', 'internalNotes', 'isNonBillable', 'billingCodeID', 'contractID', 'createDateTime'];

const num = (v: unknown): number | null => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));

async function apiResourceId(ctx: SandboxContext): Promise<number | null> {
  return num((await atResources(ctx)).find((r) => r.userName === AT_API_RESOURCE)?.id);
}

/** Validates references and picklist values of a create/update; returns an error message or null. */
async function validate(ctx: SandboxContext, t: Doc): Promise<string | null> {
  if (!(await atCompanies(ctx)).some((c) => c.id === t.companyID)) return `Reference value on field: companyID of type: Company does not exist or is invalid.`;
  if (!(await statusPicklist(ctx)).some((p) => p.value === t.status)) return `Value ${String(t.status)} for field status is not a valid picklist value.`;
  if (!(await priorityPicklist(ctx)).some((p) => p.value === t.priority)) return `Value ${String(t.priority)} for field priority is not a valid picklist value.`;
  if (t.queueID !== null && !(await queuePicklist(ctx)).some((p) => p.value === t.queueID)) return `Value ${String(t.queueID)} for field queueID is not a valid picklist value.`;
  if (t.contactID !== null && !(await atContacts(ctx)).some((c) => c.id === t.contactID && c.companyID === t.companyID)) return `Reference value on field: contactID of type: Contact does not exist or is invalid.`;
  if (t.assignedResourceID !== null && !(await atResources(ctx)).some((r) => r.id === t.assignedResourceID)) return `Reference value on field: assignedResourceID of type: Resource does not exist or is invalid.`;
  if (t.problemTicketId !== null) {
    const problem = await ctx.store.get<Doc>(TICKET_KIND, String(t.problemTicketId));
    if (!problem) return `Reference value on field: problemTicketId of type: Ticket does not exist or is invalid.`;
    // Autotask's only ticket-to-ticket link: an Incident under a Problem ticket of the same company.
    if (num(problem.ticketType) !== 3) return `Ticket ${String(problem.id)} is not a Problem ticket; only a Problem ticket can have incidents.`;
    if (num(t.ticketType) !== 2) return `Only an Incident ticket can be associated with a Problem ticket.`;
    if (problem.companyID !== t.companyID) return `The Problem ticket belongs to another company.`;
  }
  return null;
}

function ticketNumber(id: number): string {
  const d = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `T${d}.${String(id).padStart(4, '0')}`;
}

/** Creates a ticket as POST /Tickets does (also used by the admin "client portal" helper). */
export async function createAtTicket(ctx: SandboxContext, b: Doc): Promise<Doc | string> {
  for (const f of ['companyID', 'title', 'status', 'priority']) if (b[f] === undefined || b[f] === null || b[f] === '') return `Missing Required Field: ${f}`;
  const id = await ctx.store.nextId(TICKET_KIND);
  const now = nowIso();
  const t: Doc = {
    id, ticketNumber: ticketNumber(id), title: String(b.title).slice(0, 255), description: typeof b.description === 'string' ? b.description : null,
    companyID: num(b.companyID), contactID: num(b.contactID), status: num(b.status), priority: num(b.priority), queueID: num(b.queueID),
    assignedResourceID: num(b.assignedResourceID), assignedResourceRoleID: num(b.assignedResourceRoleID), createDate: now, lastActivityDate: now,
    completedDate: null, dueDateTime: typeof b.dueDateTime === 'string' ? b.dueDateTime : new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ticketType: num(b.ticketType) ?? 1, ticketCategory: num(b.ticketCategory) ?? 3, source: num(b.source) ?? 4, issueType: num(b.issueType),
    subIssueType: num(b.subIssueType), configurationItemID: num(b.configurationItemID), contractID: num(b.contractID), problemTicketId: num(b.problemTicketId),
    resolution: typeof b.resolution === 'string' ? b.resolution : null, createdByContactID: num(b.createdByContactID),
    creatorResourceID: b.createdByContactID ? null : await apiResourceId(ctx), creatorType: b.createdByContactID ? 2 : 1,
    lastTrackedModificationDateTime: now, userDefinedFields: [],
  };
  const err = await validate(ctx, t);
  if (err) return err;
  const closed = (await statusPicklist(ctx)).find((p) => p.value === t.status)?.closed;
  if (closed) t.completedDate = now;
  const company = (await atCompanies(ctx)).find((c) => c.id === t.companyID);
  await ctx.store.put(TICKET_KIND, String(id), t, String(company?.companyNumber ?? ''));
  void fireTicketWebhooks(ctx, 'Create', t, null, t.creatorResourceID);
  return t;
}

async function updateAtTicket(ctx: SandboxContext, b: Doc, replace: boolean): Promise<Doc | string> {
  const id = num(b.id);
  if (id === null) return 'Missing Required Field: id';
  const before = await ctx.store.get<Doc>(TICKET_KIND, String(id));
  if (!before) return `Ticket ${id} does not exist or is invalid.`;
  const t: Doc = { ...before };
  for (const f of WRITABLE) {
    const key = Object.keys(b).find((k) => k.toLowerCase() === f.toLowerCase());
    if (key !== undefined) t[f] = typeof before[f] === 'number' || ['contactID', 'queueID', 'assignedResourceID', 'assignedResourceRoleID', 'issueType', 'subIssueType', 'configurationItemID', 'contractID', 'problemTicketId'].includes(f) ? num(b[key]) : b[key];
    else if (replace && !['title', 'companyID', 'status', 'priority'].includes(f)) t[f] = before[f];
  }
  const err = await validate(ctx, t);
  if (err) return err;
  const statuses = await statusPicklist(ctx);
  const closed = statuses.find((p) => p.value === t.status)?.closed ?? false;
  const now = nowIso();
  t.completedDate = closed ? (before.completedDate ?? now) : null;
  t.lastActivityDate = now;
  t.lastTrackedModificationDateTime = now;
  await ctx.store.put(TICKET_KIND, String(id), t, String((await atCompanies(ctx)).find((c) => c.id === t.companyID)?.companyNumber ?? ''));
  const changed = TICKET_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(t[f]) && f !== 'lastActivityDate' && f !== 'lastTrackedModificationDateTime');
  void fireTicketWebhooks(ctx, 'Update', t, changed, await apiResourceId(ctx));
  return t;
}

export function ticketRoutes(ctx: SandboxContext): Router {
  const r = express.Router();
  const tickets = () => ctx.store.list<Doc>(TICKET_KIND);
  const q = async (req: express.Request, res: express.Response) => queryResponse(ctx, req, res, 'Ticket', '/Tickets', await tickets(), TICKET_FIELDS);
  r.post('/Tickets/query', q);
  r.get('/Tickets/query', q);
  r.get('/Tickets/query/next', q);
  r.post('/Tickets/query/count', async (req, res) => countQuery(req, res, 'Ticket', await tickets(), TICKET_FIELDS));
  r.get('/Tickets/entityInformation/fields', async (_req, res) => {
    const pick = (name: string, values: ReturnType<typeof picklistJson>) => ({ name, dataType: 'integer', length: 0, isRequired: true, isReadOnly: false, isQueryable: true, isReference: false, referenceEntityType: '', isPickList: true, picklistValues: values, picklistParentValueField: '', isSupportedWebhookField: true });
    res.json({ fields: [
      pick('status', picklistJson(await statusPicklist(ctx))), pick('priority', picklistJson(await priorityPicklist(ctx))),
      { ...pick('queueID', picklistJson(await queuePicklist(ctx))), isRequired: false },
      ...TICKET_FIELDS.filter((f) => !['status', 'priority', 'queueID'].includes(f)).map((name) => ({ name, dataType: /ID$|Id$|^id$/.test(name) ? 'integer' : 'string', isPickList: false, isQueryable: true, isReadOnly: !WRITABLE.includes(name), isRequired: ['companyID', 'title'].includes(name), isSupportedWebhookField: true })),
    ] });
  });
  r.post('/Tickets', async (req, res) => {
    const t = await createAtTicket(ctx, (req.body ?? {}) as Doc);
    if (typeof t === 'string') return atErrors(res, 500, t);
    res.json({ itemId: t.id });
  });
  r.patch('/Tickets', async (req, res) => {
    const t = await updateAtTicket(ctx, (req.body ?? {}) as Doc, false);
    if (typeof t === 'string') return atErrors(res, 500, t);
    res.json({ itemId: t.id });
  });
  r.put('/Tickets', async (req, res) => {
    const t = await updateAtTicket(ctx, (req.body ?? {}) as Doc, true);
    if (typeof t === 'string') return atErrors(res, 500, t);
    res.json({ itemId: t.id });
  });
  r.get('/Tickets/:id', async (req, res) => {
    res.json({ item: (await ctx.store.get<Doc>(TICKET_KIND, req.params.id)) ?? null });
  });

  const notesOf = (ticketId: number) => ctx.store.list<Doc>(NOTE_KIND, { where: { ticketID: ticketId } });
  r.get('/Tickets/:id/Notes', async (req, res) => {
    const rows = await notesOf(Number(req.params.id));
    res.json({ items: rows, pageDetails: { count: rows.length, requestCount: 500, prevPageUrl: null, nextPageUrl: null } });
  });
  r.post('/Tickets/:id/Notes', async (req, res) => {
    const ticket = await ctx.store.get<Doc>(TICKET_KIND, req.params.id);
    if (!ticket) return atErrors(res, 500, `Reference value on field: ticketID of type: Ticket does not exist or is invalid.`);
    const b = (req.body ?? {}) as Doc;
    if (typeof b.description !== 'string' || !b.description) return atErrors(res, 500, 'Missing Required Field: description');
    if (typeof b.title !== 'string' || !b.title) return atErrors(res, 500, 'Missing Required Field: title');
    const id = await ctx.store.nextId(NOTE_KIND);
    const now = nowIso();
    const note: Doc = {
      id, ticketID: ticket.id, title: b.title, description: b.description, noteType: num(b.noteType) ?? 1, publish: num(b.publish) ?? 1,
      createDateTime: now, lastActivityDate: now, creatorResourceID: num(b.creatorResourceID) ?? (b.createdByContactID ? null : await apiResourceId(ctx)),
      createdByContactID: num(b.createdByContactID),
    };
    await ctx.store.put(NOTE_KIND, String(id), note, null);
    await ctx.store.patch(TICKET_KIND, String(ticket.id), { lastActivityDate: now });
    res.json({ itemId: id });
  });
  r.post('/TicketNotes/query', async (req, res) => queryResponse(ctx, req, res, 'TicketNote', '/TicketNotes', await ctx.store.list<Doc>(NOTE_KIND), NOTE_FIELDS));
  r.get('/TicketNotes/query/next', async (req, res) => queryResponse(ctx, req, res, 'TicketNote', '/TicketNotes', await ctx.store.list<Doc>(NOTE_KIND), NOTE_FIELDS));

  r.post('/TimeEntries', async (req, res) => {
    const b = (req.body ?? {}) as Doc;
    const ticket = await ctx.store.get<Doc>(TICKET_KIND, String(num(b.ticketID) ?? ''));
    if (!ticket) return atErrors(res, 500, 'Reference value on field: ticketID of type: Ticket does not exist or is invalid.');
    if (!(await atResources(ctx)).some((x) => x.id === num(b.resourceID))) return atErrors(res, 500, 'Reference value on field: resourceID of type: Resource does not exist or is invalid.');
    if (typeof b.dateWorked !== 'string' && typeof b.startDateTime !== 'string') return atErrors(res, 500, 'Missing Required Field: dateWorked');
    const start = typeof b.startDateTime === 'string' ? b.startDateTime : null;
    const end = typeof b.endDateTime === 'string' ? b.endDateTime : null;
    const hours = num(b.hoursWorked) ?? (start && end ? Math.round(((Date.parse(end) - Date.parse(start)) / 3_600_000) * 100) / 100 : null);
    if (hours === null) return atErrors(res, 500, 'Missing Required Field: hoursWorked');
    if (num(b.billingCodeID) !== null && !(await atBillingCodes(ctx)).some((c) => c.id === num(b.billingCodeID))) {
      return atErrors(res, 500, 'Reference value on field: billingCodeID of type: BillingCode does not exist or is invalid.');
    }
    if (num(b.contractID) !== null) {
      // A contract must exist and belong to the ticket's company (Autotask refuses another company's contract).
      const contract = (await atContracts(ctx)).find((c) => c.id === num(b.contractID));
      if (!contract) return atErrors(res, 500, 'Reference value on field: contractID of type: Contract does not exist or is invalid.');
      if (contract.companyID !== ticket.companyID) return atErrors(res, 500, `Contract ${String(contract.id)} does not belong to the ticket's company.`);
    }
    const id = await ctx.store.nextId(TIME_KIND);
    const entry: Doc = {
      id, ticketID: ticket.id, resourceID: num(b.resourceID), roleID: num(b.roleID), dateWorked: typeof b.dateWorked === 'string' ? b.dateWorked : start?.slice(0, 10) + 'T00:00:00Z',
      startDateTime: start, endDateTime: end, hoursWorked: hours, hoursToBill: b.isNonBillable === true ? 0 : num(b.hoursToBill) ?? hours,
      summaryNotes: typeof b.summaryNotes === 'string' ? b.summaryNotes : null, internalNotes: typeof b.internalNotes === 'string' ? b.internalNotes : null,
      isNonBillable: b.isNonBillable === true, billingCodeID: num(b.billingCodeID), contractID: num(b.contractID) ?? ticket.contractID ?? null, createDateTime: nowIso(),
    };
    await ctx.store.put(TIME_KIND, String(id), entry, null);
    res.json({ itemId: id });
  });
  r.post('/TimeEntries/query', async (req, res) => queryResponse(ctx, req, res, 'TimeEntry', '/TimeEntries', await ctx.store.list<Doc>(TIME_KIND), TIME_FIELDS));
  r.get('/TimeEntries/query/next', async (req, res) => queryResponse(ctx, req, res, 'TimeEntry', '/TimeEntries', await ctx.store.list<Doc>(TIME_KIND), TIME_FIELDS));
  r.get('/TimeEntries/:id', async (req, res) => res.json({ item: (await ctx.store.get<Doc>(TIME_KIND, req.params.id)) ?? null }));
  return r;
}
