import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import type { Contact } from '../../core/world';
import { Kinds } from '../../core/seed';
import { HALO_API_AGENT, type Doc, badRequest, haloList, int, nowIso, q, truthy } from './common';
import { haloAgents, haloChargeTypes, haloClients, haloContracts, haloStatuses } from './entities';
import { fireHaloWebhooks } from './webhooks';

export const TICKET_KIND = 'halo.ticket';
export const ACTION_KIND = 'halo.action';

const str = (v: unknown) => (typeof v === 'string' ? v : null);

async function priorityName(ctx: SandboxContext, id: number): Promise<string | null> {
  return (await ctx.store.get<{ name: string }>(Kinds.priority, String(id)))?.name ?? null;
}

/**
 * Applies one element of a `POST /Tickets` body: a new ticket when `id` is absent or 0, else an update of the
 * fields present. Returns an error message when the vendor would refuse it.
 */
export async function upsertHaloTicket(ctx: SandboxContext, raw: Doc): Promise<{ ticket: Doc; created: boolean } | string> {
  const id = int(raw.id) ?? 0;
  const existing = id > 0 ? await ctx.store.get<Doc>(TICKET_KIND, String(id)) : null;
  if (id > 0 && !existing) return `Ticket ${id} not found`;
  const t: Doc = existing ? { ...existing } : {};
  const now = nowIso();
  const clients = await haloClients(ctx);
  if (!existing) {
    const summary = str(raw.summary)?.trim();
    if (!summary) return 'summary is required';
    t.id = await ctx.store.nextId(TICKET_KIND);
    Object.assign(t, {
      summary, details: '', details_html: null, tickettype_id: 1, client_id: null, client_name: null, site_id: null, site_name: null,
      user_id: null, user_name: null, user_email: null, reportedby: null, status_id: 1, status_name: 'New', priority_id: 3, priority_name: null,
      team: 'Service Desk', agent_id: null, agent_name: null, category_1: null, impact: 3, urgency: 3, parent_id: null, onhold: false,
      dateoccurred: now, datecreated: now, lastactiondate: now, last_update: now, hasbeenclosed: false, dateclosed: null, inactive: false,
      deleted: false, source: 0, child_count_open: 0, customfields: [],
    });
  }
  for (const k of ['summary', 'details', 'details_html', 'category_1', 'reportedby', 'emailtolist'] as const) if (typeof raw[k] === 'string') t[k] = raw[k];
  for (const k of ['impact', 'urgency', 'tickettype_id', 'source'] as const) if (int(raw[k]) !== null) t[k] = int(raw[k]);
  if (typeof raw.onhold === 'boolean') t.onhold = raw.onhold;
  if (Array.isArray(raw.customfields)) t.customfields = raw.customfields;
  if (raw.client_id !== undefined) {
    const c = clients.find((x) => x.id === int(raw.client_id));
    if (!c) return `Client ${String(raw.client_id)} not found`;
    Object.assign(t, { client_id: c.id, client_name: c.name, site_id: c.id * 10, site_name: 'Main' });
  }
  if (raw.user_id !== undefined && raw.user_id !== null) {
    const u = await ctx.store.get<Contact & { clientIdentifier: string }>(Kinds.contact, String(raw.user_id));
    if (!u) return `User ${String(raw.user_id)} not found`;
    const c = clients.find((x) => x.identifier === u.clientIdentifier);
    Object.assign(t, { user_id: u.id, user_name: `${u.firstName} ${u.lastName}`, user_email: u.email, reportedby: t.reportedby ?? u.email });
    if (t.client_id === null && c) Object.assign(t, { client_id: c.id, client_name: c.name, site_id: c.id * 10, site_name: 'Main' });
  }
  if (!existing && t.client_id === null) return 'client_id or user_id is required';
  if (raw.status_id !== undefined) {
    const s = (await haloStatuses(ctx)).find((x) => x.id === int(raw.status_id));
    if (!s) return `Status ${String(raw.status_id)} not found`;
    const wasClosed = t.hasbeenclosed === true;
    Object.assign(t, { status_id: s.id, status_name: s.name, hasbeenclosed: s.closed || (wasClosed && s.closed) });
    t.dateclosed = s.closed ? (wasClosed ? t.dateclosed : now) : null;
  }
  if (raw.priority_id !== undefined) {
    const name = await priorityName(ctx, int(raw.priority_id) ?? -1);
    if (!name) return `Priority ${String(raw.priority_id)} not found`;
    Object.assign(t, { priority_id: int(raw.priority_id), priority_name: name });
  } else if (!t.priority_name) t.priority_name = await priorityName(ctx, Number(t.priority_id));
  if (typeof raw.team === 'string') {
    const boards = await ctx.store.list<{ name: string }>(Kinds.board);
    if (!boards.some((b) => b.name.toLowerCase() === String(raw.team).toLowerCase())) return `Team ${raw.team} not found`;
    t.team = boards.find((b) => b.name.toLowerCase() === String(raw.team).toLowerCase())?.name;
  }
  if (raw.agent_id !== undefined) {
    if (raw.agent_id === null || int(raw.agent_id) === 0) Object.assign(t, { agent_id: null, agent_name: null });
    else {
      const a = (await haloAgents(ctx)).find((x) => x.id === int(raw.agent_id));
      if (!a) return `Agent ${String(raw.agent_id)} not found`;
      Object.assign(t, { agent_id: a.id, agent_name: `${a.firstName} ${a.lastName}` });
    }
  }
  if (raw.parent_id !== undefined) {
    const pid = int(raw.parent_id);
    if (pid && !(await ctx.store.get(TICKET_KIND, String(pid)))) return `Parent ticket ${pid} not found`;
    t.parent_id = pid || null;
  }
  t.last_update = now;
  const client = clients.find((x) => x.id === t.client_id);
  await ctx.store.put(TICKET_KIND, String(t.id), t, client?.identifier ?? null);
  if (!existing && t.details) await addAction(ctx, t, { outcome: 'Ticket Logged', note: String(t.details), hiddenfromuser: false, who_type: t.user_id ? 2 : 1 }, false);
  if (t.parent_id) await refreshChildCount(ctx, Number(t.parent_id));
  return { ticket: t, created: !existing };
}

async function refreshChildCount(ctx: SandboxContext, parentId: number): Promise<void> {
  const open = (await ctx.store.list<Doc>(TICKET_KIND, { where: { parent_id: parentId } })).filter((c) => !c.hasbeenclosed).length;
  await ctx.store.patch(TICKET_KIND, String(parentId), { child_count_open: open });
}

/** Stores an action (note, status change, time) and applies `new_status` to the ticket. */
export async function addAction(ctx: SandboxContext, ticket: Doc, raw: Doc, applyStatus = true): Promise<Doc> {
  const id = await ctx.store.nextId(ACTION_KIND);
  const agents = await haloAgents(ctx);
  const whoAgent = agents.find((a) => a.id === int(raw.who_agentid)) ?? agents.find((a) => a.identifier === HALO_API_AGENT);
  const byUser = int(raw.who_type) === 2;
  const now = nowIso();
  const action: Doc = {
    id, ticket_id: ticket.id, outcome: str(raw.outcome) ?? 'Note', outcome_id: int(raw.outcome_id), who_type: byUser ? 2 : 1,
    who_agentid: byUser ? null : whoAgent?.id ?? null, actionby_agent_id: byUser ? null : whoAgent?.id ?? null, actionby_user_id: byUser ? ticket.user_id : null,
    datetime: now, actiondatecreated: now, note: str(raw.note) ?? '', note_html: str(raw.note_html), hiddenfromuser: raw.hiddenfromuser === true,
    private_note: str(raw.private_note), important: raw.important === true, sendemail: raw.sendemail === true, timetaken: typeof raw.timetaken === 'number' ? raw.timetaken : 0,
    nonbilltime: typeof raw.nonbilltime === 'number' ? raw.nonbilltime : 0, actionchargehours: typeof raw.actionchargehours === 'number' ? raw.actionchargehours : 0,
    old_status: ticket.status_id, new_status: ticket.status_id, new_status_name: ticket.status_name, actioncontractid: int(raw.actioncontractid),
    chargerate: int(raw.chargerate), actisbillable: typeof raw.actisbillable === 'boolean' ? raw.actisbillable : null,
  };
  if (applyStatus && int(raw.new_status) !== null) {
    const res = await upsertHaloTicket(ctx, { id: ticket.id, status_id: int(raw.new_status) });
    if (typeof res !== 'string') Object.assign(action, { new_status: res.ticket.status_id, new_status_name: res.ticket.status_name });
  }
  await ctx.store.put(ACTION_KIND, String(id), action, null);
  await ctx.store.patch(TICKET_KIND, String(ticket.id), { lastactiondate: now, last_update: now });
  return action;
}

/** Time on an action must name a known charge type and, when logged against a contract, one of the ticket's client. */
async function refusedBilling(ctx: SandboxContext, ticket: Doc, raw: Doc): Promise<string | null> {
  const rate = int(raw.chargerate);
  if (rate !== null && rate !== 0 && !(await haloChargeTypes(ctx)).some((t) => t.id === rate)) return `Charge type ${rate} not found`;
  const contractId = int(raw.actioncontractid);
  if (contractId !== null && contractId !== 0) {
    const c = (await haloContracts(ctx)).find((x) => x.id === contractId);
    if (!c) return `Contract ${contractId} not found`;
    if (c.client_id !== ticket.client_id) return `Contract ${contractId} does not belong to the ticket's client`;
  }
  return null;
}

function filterTickets(query: Record<string, unknown>, rows: Doc[]): Doc[] {
  const clientId = int(query.client_id);
  const statusId = int(query.status_id);
  const userId = int(query.user_id);
  const agentId = int(query.agent_id);
  const parentId = int(query.parent_id);
  const since = typeof query.lastupdatefromdate === 'string' ? Date.parse(query.lastupdatefromdate) : NaN;
  const until = typeof query.lastupdatetodate === 'string' ? Date.parse(query.lastupdatetodate) : NaN;
  const search = typeof query.search === 'string' ? query.search.toLowerCase() : null;
  const searchSummary = typeof query.search_summary === 'string' ? query.search_summary.toLowerCase() : null;
  const team = typeof query.team_name === 'string' ? query.team_name : typeof query.team === 'string' ? query.team : null;
  const clientRef = typeof query.client_ref === 'string' ? query.client_ref : null;
  return rows.filter((t) =>
    (clientId === null || t.client_id === clientId)
    && (clientRef === null || String(t._client_ref ?? '').toLowerCase() === clientRef.toLowerCase())
    && (statusId === null || t.status_id === statusId)
    && (userId === null || t.user_id === userId)
    && (agentId === null || t.agent_id === agentId)
    && (parentId === null || t.parent_id === parentId)
    && (!truthy(query.open_only) || !t.hasbeenclosed)
    && (!truthy(query.closed_only) || t.hasbeenclosed)
    && (Number.isNaN(since) || Date.parse(String(t.last_update)) >= since)
    && (Number.isNaN(until) || Date.parse(String(t.last_update)) <= until)
    && (team === null || String(t.team).toLowerCase() === team.toLowerCase())
    && (search === null || String(t.summary).toLowerCase().includes(search) || String(t.details).toLowerCase().includes(search) || String(t.id) === search)
    && (searchSummary === null || String(t.summary).toLowerCase().includes(searchSummary)));
}

export function ticketRoutes(ctx: SandboxContext): Router {
  const r = express.Router();
  r.get('/Tickets', async (req, res) => {
    const clients = await haloClients(ctx);
    const all = (await ctx.store.list<Doc>(TICKET_KIND)).filter((t) => !t.deleted)
      .map((t) => ({ ...t, _client_ref: clients.find((c) => c.id === t.client_id)?.identifier ?? null }));
    const rows = filterTickets(q(req), all).map(({ _client_ref: _r, ...t }) => t);
    res.json(haloList(req, rows, 'tickets'));
  });
  r.get('/Tickets/:id', async (req, res) => {
    const t = await ctx.store.get<Doc>(TICKET_KIND, req.params.id);
    if (!t || t.deleted) return void res.status(404).json(`Ticket ${req.params.id} not found`);
    res.json(t);
  });
  r.post('/Tickets', async (req, res) => {
    if (!Array.isArray(req.body) || !req.body.length) return badRequest(res, 'Request body must be a non-empty array of tickets');
    const out: Array<{ ticket: Doc; created: boolean }> = [];
    for (const raw of req.body as Doc[]) {
      const r1 = await upsertHaloTicket(ctx, raw ?? {});
      if (typeof r1 === 'string') return badRequest(res, r1);
      out.push(r1);
    }
    const fresh = await Promise.all(out.map(async (o) => ({ ...o, ticket: (await ctx.store.get<Doc>(TICKET_KIND, String(o.ticket.id))) ?? o.ticket })));
    res.status(201).json(fresh.length === 1 ? fresh[0].ticket : fresh.map((o) => o.ticket));
    for (const o of fresh) void fireHaloWebhooks(ctx, o.created ? 'New Ticket Logged' : 'Ticket Updated', o.ticket);
  });
  r.delete('/Tickets/:id', async (req, res) => {
    const t = await ctx.store.get<Doc>(TICKET_KIND, req.params.id);
    if (!t || t.deleted) return void res.status(404).json(`Ticket ${req.params.id} not found`);
    await ctx.store.patch(TICKET_KIND, req.params.id, { deleted: true, last_update: nowIso() });
    res.status(200).end();
  });

  r.get('/Actions', async (req, res) => {
    const query = q(req);
    const ticketId = int(query.ticket_id);
    let rows = await ctx.store.list<Doc>(ACTION_KIND, ticketId !== null ? { where: { ticket_id: ticketId } } : {});
    if (truthy(query.excludesys)) rows = rows.filter((a) => a.outcome !== 'System');
    if (truthy(query.excludeprivate)) rows = rows.filter((a) => !a.hiddenfromuser);
    if (truthy(query.agentonly)) rows = rows.filter((a) => a.who_type === 1);
    res.json(haloList(req, rows, 'actions'));
  });
  r.get('/Actions/:id', async (req, res) => {
    const a = await ctx.store.get<Doc>(ACTION_KIND, req.params.id);
    const ticketId = int(q(req).ticket_id);
    if (!a || (ticketId !== null && a.ticket_id !== ticketId)) return void res.status(404).json(`Action ${req.params.id} not found`);
    res.json(a);
  });
  r.post('/Actions', async (req, res) => {
    if (!Array.isArray(req.body) || !req.body.length) return badRequest(res, 'Request body must be a non-empty array of actions');
    const out: Array<{ action: Doc; ticket: Doc }> = [];
    for (const raw of req.body as Doc[]) {
      const ticket = await ctx.store.get<Doc>(TICKET_KIND, String(int(raw?.ticket_id) ?? ''));
      if (!ticket || ticket.deleted) return badRequest(res, `Ticket ${String(raw?.ticket_id)} not found`);
      const refused = await refusedBilling(ctx, ticket, raw);
      if (refused) return badRequest(res, refused);
      const action = await addAction(ctx, ticket, raw);
      out.push({ action, ticket: (await ctx.store.get<Doc>(TICKET_KIND, String(ticket.id))) ?? ticket });
    }
    res.status(201).json(out.length === 1 ? out[0].action : out.map((o) => o.action));
    for (const o of out) void fireHaloWebhooks(ctx, 'Action Added', o.ticket, o.action);
  });
  return r;
}
