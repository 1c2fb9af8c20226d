import express, { type Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../../core/context';
import type { Contact } from '../../core/world';
import { Kinds } from '../../core/seed';
import { fireTicketCallbacks } from './callbacks';
import { boardRef, companyRef, contactRef, findBoard, findCompany, findPriority, findStatus, priorityRef, statusRef } from './refs';
import {
  CW_API_MEMBER, applyJsonPatch, countResponse, cwError, type Doc, href, invalid, listResponse, memberRef, notFound, nowIso, refKey,
} from './common';

export const TICKET_KIND = 'cw.ticket';
export const NOTE_KIND = 'cw.note';
export const TIME_KIND = 'cw.timeEntry';

export interface CwTicketInput {
  summary?: unknown; company?: unknown; board?: unknown; status?: unknown; priority?: unknown; contact?: unknown; owner?: unknown;
  initialDescription?: unknown; initialInternalAnalysis?: unknown; initialResolution?: unknown; contactEmailAddress?: unknown;
  contactName?: unknown; contactPhoneNumber?: unknown; parentTicketId?: unknown; severity?: unknown; impact?: unknown;
  externalXRef?: unknown; skipCallback?: unknown; source?: unknown; recordType?: unknown;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Builds the stored ticket from a create body; returns a message when the vendor would reject it. */
async function buildTicket(ctx: SandboxContext, b: CwTicketInput): Promise<{ ticket: Doc; notes: Array<{ text: string; flag: string }> } | { field: string; message: string }> {
  const summary = str(b.summary)?.trim();
  if (!summary) return { field: 'summary', message: 'The summary field is required.' };
  if (summary.length > 100) return { field: 'summary', message: 'The summary field must be at most 100 characters.' };
  const company = await findCompany(ctx, refKey(b.company));
  if (!company) return { field: 'company', message: 'The company field is required.' };
  const board = b.board ? await findBoard(ctx, refKey(b.board)) : await findBoard(ctx, { name: 'Service Desk' });
  if (!board) return { field: 'board', message: 'Board not found.' };
  const status = b.status ? findStatus(board, refKey(b.status)) : board.statuses.find((s) => s.default) ?? board.statuses[0];
  if (!status) return { field: 'status', message: `Status not found on board ${board.name}.` };
  const priority = await findPriority(ctx, b.priority ? refKey(b.priority) : { name: 'Priority 3 - Medium' });
  if (!priority) return { field: 'priority', message: 'Priority not found.' };
  let contact: Contact | null = null;
  const ck = refKey(b.contact);
  if (ck?.id !== undefined) {
    contact = await ctx.store.get<Contact>(Kinds.contact, String(ck.id));
    if (!contact) return { field: 'contact', message: `Contact ${ck.id} not found.` };
  }
  const ok = refKey(b.owner);
  const owner = ok ? await memberRef(ctx, ok.identifier ?? (await ctx.store.list<{ identifier: string }>(Kinds.member, { where: { id: ok.id } }))[0]?.identifier) : null;
  if (ok && !owner) return { field: 'owner', message: 'Owner not found.' };
  const id = await ctx.store.nextId(TICKET_KIND);
  const now = nowIso();
  const ticket: Doc = {
    id, summary, recordType: str(b.recordType) ?? 'ServiceTicket',
    board: boardRef(ctx, board), status: statusRef(ctx, board, status), company: companyRef(ctx, company),
    site: { id: company.id * 10, name: 'Main', _info: { site_href: href(ctx, `/company/companies/${company.id}/sites/${company.id * 10}`) } },
    contact: contact ? contactRef(ctx, contact) : null,
    contactName: contact ? `${contact.firstName} ${contact.lastName}` : str(b.contactName),
    contactPhoneNumber: contact?.phone ?? str(b.contactPhoneNumber),
    contactEmailAddress: contact?.email ?? str(b.contactEmailAddress),
    type: null, subType: null, item: null, team: null, owner,
    priority: priorityRef(ctx, priority), serviceLocation: { id: 1, name: 'Remote' }, source: (b.source as Doc | undefined) ?? { id: 2, name: 'Email' },
    severity: str(b.severity) ?? 'Medium', impact: str(b.impact) ?? 'Medium', externalXRef: str(b.externalXRef),
    allowAllClientsPortalView: false, customerUpdatedFlag: false, automaticEmailContactFlag: false, automaticEmailResourceFlag: false,
    automaticEmailCcFlag: false, closedDate: null, closedBy: null, closedFlag: status.closed, actualHours: 0, approved: true,
    estimatedExpenseCost: 0, estimatedProductCost: 0, estimatedTimeCost: 0, mobileGuid: null, dateResolved: null,
    parentTicketId: b.parentTicketId === undefined || b.parentTicketId === null ? null : Number(b.parentTicketId), hasChildTicket: false,
    hasMergedChildTicketFlag: false, billTime: 'Billable', billExpenses: 'Billable', billProducts: 'Billable', knowledgeBaseLinkId: null,
    _info: {
      lastUpdated: now, updatedBy: CW_API_MEMBER, dateEntered: now, enteredBy: CW_API_MEMBER,
      activities_href: href(ctx, `/sales/activities?conditions=ticket/id=${id}`), timeentries_href: href(ctx, `/time/entries?conditions=(chargeToType="ServiceTicket" OR chargeToType="ProjectTicket") AND chargeToId=${id}`),
      notes_href: href(ctx, `/service/tickets/${id}/notes`),
    },
  };
  const notes: Array<{ text: string; flag: string }> = [];
  if (str(b.initialDescription)) notes.push({ text: String(b.initialDescription), flag: 'detailDescriptionFlag' });
  if (str(b.initialInternalAnalysis)) notes.push({ text: String(b.initialInternalAnalysis), flag: 'internalAnalysisFlag' });
  if (str(b.initialResolution)) notes.push({ text: String(b.initialResolution), flag: 'resolutionFlag' });
  return { ticket, notes };
}

export async function addNote(ctx: SandboxContext, ticket: Doc, n: Doc): Promise<Doc> {
  const id = await ctx.store.nextId(NOTE_KIND);
  const internal = n.internalAnalysisFlag === true;
  const memberIdentifier = str((n.member as Doc | undefined)?.identifier) ?? CW_API_MEMBER;
  const note: Doc = {
    id, ticketId: ticket.id, text: String(n.text), detailDescriptionFlag: n.detailDescriptionFlag === true, internalAnalysisFlag: internal,
    resolutionFlag: n.resolutionFlag === true, issueFlag: n.issueFlag === true, member: n.contact ? null : await memberRef(ctx, memberIdentifier),
    contact: (n.contact as Doc | undefined) ?? null, customerUpdatedFlag: n.customerUpdatedFlag === true, processNotifications: n.processNotifications === true,
    dateCreated: nowIso(), createdBy: n.contact ? null : memberIdentifier, internalFlag: internal, externalFlag: !internal,
    _info: { lastUpdated: nowIso(), updatedBy: memberIdentifier },
  };
  await ctx.store.put(NOTE_KIND, String(id), note, String((ticket.company as Doc).identifier));
  return note;
}

/** Creates a ticket exactly as POST /service/tickets does (also used by the admin "client portal" helper). */
export async function createCwTicket(ctx: SandboxContext, body: CwTicketInput, actor: string = CW_API_MEMBER): Promise<Doc | { field: string; message: string }> {
  const built = await buildTicket(ctx, body);
  if ('field' in built) return built;
  const { ticket, notes } = built;
  if (actor !== CW_API_MEMBER) ticket._info = { ...(ticket._info as Doc), enteredBy: actor, updatedBy: actor };
  await ctx.store.put(TICKET_KIND, String(ticket.id), ticket, String((ticket.company as Doc).identifier));
  for (const n of notes) await addNote(ctx, ticket, { text: n.text, [n.flag]: true });
  if (ticket.parentTicketId) await ctx.store.patch(TICKET_KIND, String(ticket.parentTicketId), { hasChildTicket: true });
  if (body.skipCallback !== true) void fireTicketCallbacks(ctx, 'added', ticket, actor);
  return ticket;
}

/** Re-resolves references a client changed (by id or name) and keeps derived fields consistent. */
async function normalise(ctx: SandboxContext, before: Doc, after: Doc): Promise<Doc | string> {
  const t = { ...after };
  const board = await findBoard(ctx, refKey(t.board));
  if (!board) return 'Board not found.';
  const boardChanged = board.id !== Number((before.board as Doc).id);
  t.board = boardRef(ctx, board);
  const sk = refKey(t.status);
  let status = sk && (sk.id !== undefined || sk.name) ? findStatus(board, sk) : undefined;
  // Moving boards without a valid status on the new board lands on the board's default status, as the vendor does.
  if (!status && boardChanged) status = board.statuses.find((s) => s.name.toLowerCase() === String((before.status as Doc).name).toLowerCase()) ?? board.statuses.find((s) => s.default);
  if (!status) return `Status not found on board ${board.name}.`;
  t.status = statusRef(ctx, board, status);
  const wasClosed = before.closedFlag === true;
  t.closedFlag = status.closed;
  if (status.closed && !wasClosed) { t.closedDate = nowIso(); t.closedBy = CW_API_MEMBER; t.dateResolved = t.closedDate; }
  if (!status.closed) { t.closedDate = null; t.closedBy = null; t.dateResolved = null; }
  const pk = refKey(t.priority);
  const priority = await findPriority(ctx, pk);
  if (!priority) return 'Priority not found.';
  t.priority = priorityRef(ctx, priority);
  const ok = refKey(t.owner);
  if (ok && (ok.id !== undefined || ok.identifier)) {
    const ident = ok.identifier ?? (await ctx.store.list<{ identifier: string }>(Kinds.member, { where: { id: ok.id } }))[0]?.identifier;
    const owner = await memberRef(ctx, ident);
    if (!owner) return 'Owner not found.';
    t.owner = owner;
  } else t.owner = null;
  const ck = refKey(t.contact);
  if (ck?.id !== undefined && ck.id !== Number((before.contact as Doc | null)?.id)) {
    const c = await ctx.store.get<Contact>(Kinds.contact, String(ck.id));
    if (!c) return 'Contact not found.';
    t.contact = contactRef(ctx, c);
    t.contactName = `${c.firstName} ${c.lastName}`;
    t.contactEmailAddress = c.email;
  }
  t.id = before.id;
  t.company = before.company;
  t._info = { ...(before._info as Doc), lastUpdated: nowIso(), updatedBy: CW_API_MEMBER };
  return t;
}

async function updateTicket(ctx: SandboxContext, req: Request, res: Response, before: Doc, after: Doc): Promise<void> {
  const t = await normalise(ctx, before, after);
  if (typeof t === 'string') return cwError(res, 400, 'InvalidObject', 'ticket object is invalid', [{ code: 'InvalidField', message: t, resource: 'ticket', field: 'status' }]);
  await ctx.store.put(TICKET_KIND, String(t.id), t, String((t.company as Doc).identifier));
  res.json(t);
  void fireTicketCallbacks(ctx, 'updated', t);
}

export function ticketRoutes(ctx: SandboxContext): Router {
  const r = express.Router();
  const all = () => ctx.store.list<Doc>(TICKET_KIND);
  const load = async (req: Request, res: Response): Promise<Doc | null> => {
    const t = await ctx.store.get<Doc>(TICKET_KIND, String(req.params.id));
    if (!t) notFound(res, 'Ticket', String(req.params.id));
    return t;
  };

  r.get('/service/tickets', async (req, res) => listResponse(req, res, await all()));
  r.get('/service/tickets/count', async (req, res) => countResponse(req, res, await all()));
  // POST /service/tickets/search: the same filters in a body (FilterValues) for conditions too long for a URL.
  r.post('/service/tickets/search', async (req, res) => {
    const b = (req.body ?? {}) as Doc;
    const merged = { ...(req.query as Record<string, unknown>) };
    for (const k of ['conditions', 'childConditions', 'orderBy', 'fields', 'page', 'pageSize']) if (b[k] !== undefined) merged[k] = String(b[k]);
    Object.defineProperty(req, 'query', { value: merged, configurable: true });
    listResponse(req, res, await all());
  });
  r.post('/service/tickets', async (req, res) => {
    const t = await createCwTicket(ctx, (req.body ?? {}) as CwTicketInput);
    if ('field' in t) return invalid(res, 'ticket', String(t.field), String(t.message));
    res.status(201).json(t);
  });
  r.get('/service/tickets/:id', async (req, res) => {
    const t = await load(req, res);
    if (t) res.json(t);
  });
  r.patch('/service/tickets/:id', async (req, res) => {
    const t = await load(req, res);
    if (!t) return;
    const patched = applyJsonPatch(t, req.body);
    if (typeof patched === 'string') return cwError(res, 400, 'InvalidObject', patched);
    await updateTicket(ctx, req, res, t, patched);
  });
  r.put('/service/tickets/:id', async (req, res) => {
    const t = await load(req, res);
    if (!t) return;
    const b = (req.body ?? {}) as Doc;
    if (typeof b.summary !== 'string' || !b.summary) return invalid(res, 'ticket', 'summary', 'The summary field is required.');
    await updateTicket(ctx, req, res, t, { ...t, ...b });
  });
  r.delete('/service/tickets/:id', async (req, res) => {
    const t = await load(req, res);
    if (!t) return;
    await ctx.store.delete(TICKET_KIND, String(t.id));
    res.status(204).end();
    void fireTicketCallbacks(ctx, 'deleted', t);
  });

  r.get('/service/tickets/:id/notes', async (req, res) => {
    if (!(await load(req, res))) return;
    listResponse(req, res, await ctx.store.list<Doc>(NOTE_KIND, { where: { ticketId: Number(req.params.id) } }));
  });
  r.get('/service/tickets/:id/notes/count', async (req, res) => {
    if (!(await load(req, res))) return;
    countResponse(req, res, await ctx.store.list<Doc>(NOTE_KIND, { where: { ticketId: Number(req.params.id) } }));
  });
  r.get('/service/tickets/:id/notes/:noteId', async (req, res) => {
    const n = await ctx.store.get<Doc>(NOTE_KIND, req.params.noteId);
    if (!n || Number(n.ticketId) !== Number(req.params.id)) return notFound(res, 'ServiceNote', req.params.noteId);
    res.json(n);
  });
  r.post('/service/tickets/:id/notes', async (req, res) => {
    const t = await load(req, res);
    if (!t) return;
    const b = (req.body ?? {}) as Doc;
    if (typeof b.text !== 'string' || !b.text.trim()) return invalid(res, 'serviceNote', 'text', 'The text field is required.');
    if (!(b.detailDescriptionFlag === true || b.internalAnalysisFlag === true || b.resolutionFlag === true)) {
      return cwError(res, 400, 'InvalidObject', 'serviceNote object is invalid', [{ code: 'InvalidField', message: 'At least one of the following flags must be set: detailDescriptionFlag, internalAnalysisFlag, resolutionFlag.', resource: 'serviceNote', field: 'detailDescriptionFlag' }]);
    }
    const note = await addNote(ctx, t, b);
    const updated = await ctx.store.patch<Doc>(TICKET_KIND, String(t.id), { _info: { ...(t._info as Doc), lastUpdated: nowIso(), updatedBy: CW_API_MEMBER } });
    res.status(201).json(note);
    if (updated) void fireTicketCallbacks(ctx, 'updated', updated);
  });
  r.get('/service/tickets/:id/allNotes', async (req, res) => {
    if (!(await load(req, res))) return;
    const id = Number(req.params.id);
    const notes = (await ctx.store.list<Doc>(NOTE_KIND, { where: { ticketId: id } })).map((n) => ({
      id: n.id, ticketId: id, text: n.text, isMarkdownFlag: false, noteType: 'TicketNote', isInternalFlag: n.internalAnalysisFlag,
      isSolutionFlag: n.resolutionFlag, issueFlag: n.issueFlag, member: n.member, contact: n.contact, dateCreated: n.dateCreated, createdBy: n.createdBy, _info: n._info,
    }));
    const times = (await ctx.store.list<Doc>(TIME_KIND, { where: { chargeToId: id } })).filter((x) => x.notes).map((x) => ({
      id: x.id, ticketId: id, text: x.notes, isMarkdownFlag: false, noteType: 'TimeEntryNote', isInternalFlag: false, isSolutionFlag: x.addToResolutionFlag === true,
      member: x.member, contact: null, timeStart: x.timeStart, timeEnd: x.timeEnd, dateCreated: x.dateEntered, createdBy: (x.member as Doc | null)?.identifier ?? null, _info: x._info,
    }));
    listResponse(req, res, [...notes, ...times].sort((a, b) => String(a.dateCreated).localeCompare(String(b.dateCreated))));
  });
  r.get('/service/tickets/:id/timeentries', async (req, res) => {
    if (!(await load(req, res))) return;
    const rows = (await ctx.store.list<Doc>(TIME_KIND, { where: { chargeToId: Number(req.params.id) } })).map((x) => ({
      id: x.id, company: x.company, chargeToId: x.chargeToId, chargeToType: x.chargeToType, member: x.member, timeStart: x.timeStart, timeEnd: x.timeEnd,
      actualHours: x.actualHours, billableOption: x.billableOption, notes: x.notes, _info: x._info,
    }));
    listResponse(req, res, rows);
  });
  r.post('/service/tickets/:id/attachChildren', async (req, res) => {
    const t = await load(req, res);
    if (!t) return;
    const ids = (req.body as { childTicketIds?: unknown } | undefined)?.childTicketIds;
    if (!Array.isArray(ids) || !ids.length) return invalid(res, 'attachChildren', 'childTicketIds', 'The childTicketIds field is required.');
    for (const cid of ids) {
      if (!(await ctx.store.get(TICKET_KIND, String(cid)))) return notFound(res, 'Ticket', String(cid));
    }
    for (const cid of ids) await ctx.store.patch(TICKET_KIND, String(cid), { parentTicketId: t.id });
    await ctx.store.patch(TICKET_KIND, String(t.id), { hasChildTicket: true });
    res.json({ success: true, message: `${ids.length} ticket(s) attached to ticket ${String(t.id)}.` });
  });
  return r;
}
