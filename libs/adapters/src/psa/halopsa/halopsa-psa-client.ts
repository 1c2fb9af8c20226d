import { PsaSystem } from '@desk/contracts';
import { HttpClient } from '../../http/http-client';
import type { PsaConnection } from '../../config/connections';
import type { VendorCallObserver } from '../../observe';
import type {
  CreatePsaTicket, PsaAgreement, PsaClient, PsaConfiguration, PsaContact, PsaMember, PsaNote, PsaTicket, PsaTicketQuery, PsaTimeEntry,
} from '../psa-client';
import type { PsaClientOptions } from '../psa-options';
import { type Rec, arr, num, record, requireNum, sameIdentifier, splitList, str, unknownName } from '../shared';
import { HaloTokenSource } from './halo-token';

type Conn = Extract<PsaConnection, { system: 'halopsa' }>;
const V = 'halopsa';
/** Halo's lookup table of charge types (`GET /Lookup?lookupid=17`). */
const HALO_CHARGE_TYPES = 17;

/**
 * HaloPSA: OAuth client credentials, array upserts on POST, `pageinate/page_size/page_no` paging.
 * Companies are matched by the client's `ref` (the PSA identifier the desk uses); members by e-mail
 * local part (Halo agents carry no login identifier).
 */
export class HaloPsaClient implements PsaClient {
  readonly system: PsaSystem = 'halopsa';
  private readonly http: HttpClient;
  private readonly pageSize: number;
  private clients: Rec[] | null = null;
  private chargeTypes: Rec[] | null = null;

  constructor(conn: Conn, observe?: VendorCallObserver, opts: PsaClientOptions = {}) {
    this.pageSize = opts.pageSize ?? 100;
    const tokens = new HaloTokenSource({ baseUrl: conn.baseUrl, tenant: conn.tenant, clientId: conn.clientId, clientSecret: conn.clientSecret, timeoutMs: opts.timeoutMs });
    this.http = new HttpClient({
      vendor: V, baseUrl: `${conn.baseUrl.replace(/\/+$/, '')}/api`, timeoutMs: opts.timeoutMs, retry: opts.retry, onCall: observe,
      authorize: (force) => tokens.header(force),
    });
  }

  private async get(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<unknown> {
    return (await this.http.request({ method: 'GET', path, query })).body;
  }

  /** Halo upserts: POST an array, get the saved object back (one element → one object). */
  private async post(path: string, items: Rec[]): Promise<Rec> {
    const body = (await this.http.request({ method: 'POST', path, json: items })).body;
    return record(Array.isArray(body) ? body[0] : body, V, path);
  }

  private async pages(path: string, key: string, query: Record<string, string | number | boolean | undefined>, max: number): Promise<Rec[]> {
    const out: Rec[] = [];
    for (let page = 1; out.length < max; page++) {
      const body = record(await this.get(path, { ...query, pageinate: true, page_size: this.pageSize, page_no: page }), V, path);
      const rows = arr(body[key], V, `${path} ${key}`);
      out.push(...rows);
      if (rows.length < this.pageSize || out.length >= (num(body.record_count) ?? 0)) break;
    }
    return out.slice(0, max);
  }

  private async clientList(): Promise<Rec[]> {
    this.clients ??= arr(record(await this.get('/Client'), V, 'clients').clients, V, 'clients');
    return this.clients;
  }

  private async clientByIdentifier(identifier: string): Promise<Rec> {
    const match = (c: Rec) => str(c.ref)?.toLowerCase() === identifier.toLowerCase() || str(c.accountsid)?.toLowerCase() === identifier.toLowerCase();
    let c = (await this.clientList()).find(match);
    if (!c) {
      this.clients = null; // a client added since we cached the list
      c = (await this.clientList()).find(match);
    }
    if (!c) throw unknownName(V, 'client', identifier);
    return c;
  }

  private async identifierOfClient(id: unknown): Promise<string | null> {
    const c = (await this.clientList()).find((x) => num(x.id) === num(id));
    return c ? str(c.ref) ?? str(c.accountsid) : null;
  }

  private async agents(): Promise<Rec[]> {
    return arr(await this.get('/Agent'), V, 'agents');
  }

  private static agentIdentifier(a: Rec): string {
    return (str(a.email) ?? '').split('@')[0] || String(a.id);
  }

  private async agentByIdentifier(identifier: string): Promise<Rec> {
    const a = (await this.agents()).find((x) => sameIdentifier(HaloPsaClient.agentIdentifier(x), identifier) || str(x.email)?.toLowerCase() === identifier.toLowerCase());
    if (!a) throw unknownName(V, 'agent', identifier);
    return a;
  }

  private async toTicket(t: Rec): Promise<PsaTicket> {
    let owner: string | null = null;
    if (num(t.agent_id)) owner = HaloPsaClient.agentIdentifier((await this.agents()).find((a) => num(a.id) === num(t.agent_id)) ?? { id: t.agent_id });
    return {
      id: String(requireNum(t.id, V, 'ticket id')), number: String(t.id), summary: str(t.summary) ?? '', description: str(t.details) ?? '',
      companyIdentifier: await this.identifierOfClient(t.client_id),
      contact: num(t.user_id) ? { id: String(t.user_id), email: str(t.user_email), name: str(t.user_name) } : null,
      reportedByEmail: str(t.reportedby)?.includes('@') ? str(t.reportedby) : null,
      board: str(t.team), status: str(t.status_name), priority: str(t.priority_name), closed: t.hasbeenclosed === true, ownerIdentifier: owner,
      parentId: num(t.parent_id) ? String(t.parent_id) : null, createdAt: str(t.datecreated), updatedAt: str(t.last_update),
    };
  }

  async getTicket(id: string): Promise<PsaTicket> {
    return this.toTicket(record(await this.get(`/Tickets/${id}`, { includedetails: true }), V, 'ticket'));
  }

  async findTickets(q: PsaTicketQuery): Promise<PsaTicket[]> {
    const query: Record<string, string | number | boolean | undefined> = { order: 'id' };
    if (q.companyIdentifier) query.client_id = num((await this.clientByIdentifier(q.companyIdentifier)).id) ?? undefined;
    if (q.openOnly) query.open_only = true;
    if (q.updatedSince) query.lastupdatefromdate = new Date(q.updatedSince).toISOString();
    if (q.summaryContains) query.search_summary = q.summaryContains;
    const rows = await this.pages('/Tickets', 'tickets', query, q.limit ?? 200);
    const out: PsaTicket[] = [];
    for (const r of rows) out.push(await this.toTicket(r));
    return out;
  }

  private async statusId(name: string): Promise<number> {
    const s = arr(await this.get('/Status'), V, 'statuses').find((x) => str(x.name)?.toLowerCase() === name.toLowerCase());
    if (!s) throw unknownName(V, 'status', name);
    return requireNum(s.id, V, 'status id');
  }

  private async priorityId(name: string): Promise<number> {
    const p = arr(await this.get('/Priority'), V, 'priorities').find((x) => str(x.name)?.toLowerCase() === name.toLowerCase());
    if (!p) throw unknownName(V, 'priority', name);
    return requireNum(p.priorityid, V, 'priority id');
  }

  async createTicket(input: CreatePsaTicket): Promise<PsaTicket> {
    const client = await this.clientByIdentifier(input.companyIdentifier);
    const user = input.contactEmail ? await this.findContactByEmail(input.contactEmail) : null;
    const item: Rec = { summary: input.summary, details: input.description, client_id: client.id, team: input.board ?? 'Service Desk' };
    if (user && user.companyIdentifier.toLowerCase() === input.companyIdentifier.toLowerCase()) item.user_id = Number(user.id);
    else if (input.contactEmail) item.reportedby = input.contactEmail;
    if (input.status) item.status_id = await this.statusId(input.status);
    if (input.priority) item.priority_id = await this.priorityId(input.priority);
    if (input.parentId) item.parent_id = Number(input.parentId);
    return this.toTicket(await this.post('/Tickets', [item]));
  }

  async setStatus(id: string, status: string): Promise<void> {
    await this.post('/Tickets', [{ id: Number(id), status_id: await this.statusId(status) }]);
  }

  async route(id: string, to: { board: string; priority?: string; ownerIdentifier?: string | null }): Promise<void> {
    const item: Rec = { id: Number(id), team: to.board };
    if (to.priority) item.priority_id = await this.priorityId(to.priority);
    if (to.ownerIdentifier !== undefined) item.agent_id = to.ownerIdentifier === null ? 0 : (await this.agentByIdentifier(to.ownerIdentifier)).id;
    await this.post('/Tickets', [item]);
  }

  private toNote(a: Rec, agents: Rec[]): PsaNote {
    const agent = agents.find((x) => num(x.id) === num(a.who_agentid));
    return {
      id: String(a.id), text: str(a.note) ?? '', internal: a.hiddenfromuser === true, resolution: /resolv|clos/i.test(str(a.outcome) ?? ''),
      createdBy: agent ? HaloPsaClient.agentIdentifier(agent) : a.who_type === 2 ? 'user' : null, createdAt: str(a.datetime),
    };
  }

  async addNote(id: string, note: { text: string; internal: boolean; resolution?: boolean }): Promise<PsaNote> {
    const outcome = note.resolution ? 'Resolved' : note.internal ? 'Private Note' : 'Note';
    const a = await this.post('/Actions', [{ ticket_id: Number(id), note: note.text, outcome, hiddenfromuser: note.internal, sendemail: false }]);
    return this.toNote(a, await this.agents());
  }

  async listNotes(id: string): Promise<PsaNote[]> {
    const body = record(await this.get('/Actions', { ticket_id: Number(id), excludesys: true }), V, 'actions');
    const agents = await this.agents();
    return arr(body.actions, V, 'actions').filter((a) => (str(a.note) ?? '') !== '').map((a) => this.toNote(a, agents));
  }
  async getTicketWithNotes(id: string): Promise<{ ticket: PsaTicket; notes: PsaNote[] }> {
    const [ticket, notes] = await Promise.all([this.getTicket(id), this.listNotes(id)]);
    return { ticket, notes };
  }


  /** Charge types (Halo's lookup 17): the work type of an action's time, by name. */
  private async chargeTypeId(name: string): Promise<number> {
    this.chargeTypes ??= arr(await this.get('/Lookup', { lookupid: HALO_CHARGE_TYPES }), V, 'charge types');
    const t = this.chargeTypes.find((x) => str(x.name)?.toLowerCase() === name.toLowerCase());
    if (!t) throw unknownName(V, 'charge type', name);
    return requireNum(t.id, V, 'charge type id');
  }

  /**
   * Halo records time on actions: `timetaken`, the charge type (`chargerate`), chargeable vs
   * non-chargeable hours, and the contract the time is logged against (`actioncontractid`).
   */
  async addTimeEntry(id: string, e: PsaTimeEntry): Promise<{ id: string }> {
    const agent = await this.agentByIdentifier(e.memberIdentifier);
    const item: Rec = {
      ticket_id: Number(id), outcome: 'Time Entry', note: e.notes, hiddenfromuser: true, who_agentid: agent.id, timetaken: e.hours,
      chargerate: await this.chargeTypeId(e.workType), actisbillable: e.billable,
      actionchargehours: e.billable ? e.hours : 0, nonbilltime: e.billable ? 0 : e.hours, sendemail: false,
    };
    if (e.agreementId) item.actioncontractid = Number(e.agreementId);
    const a = await this.post('/Actions', [item]);
    return { id: String(a.id) };
  }

  async createChildTicket(parentId: string, input: CreatePsaTicket): Promise<PsaTicket> {
    return this.createTicket({ ...input, parentId });
  }

  private async toContact(u: Rec): Promise<PsaContact> {
    return {
      id: String(u.id), companyIdentifier: (await this.identifierOfClient(u.client_id)) ?? '', firstName: str(u.firstname) ?? '', lastName: str(u.surname) ?? '',
      email: str(u.emailaddress), phone: str(u.phonenumber), mobile: str(u.mobilenumber), title: str(u.title), vip: u.isimportantcontact === true, active: u.inactive !== true,
    };
  }

  async getContact(id: string): Promise<PsaContact> {
    return this.toContact(record(await this.get(`/Users/${id}`), V, 'user'));
  }

  async findContactByEmail(email: string): Promise<PsaContact | null> {
    const body = record(await this.get('/Users', { search: email, includeinactive: true }), V, 'users');
    const hit = arr(body.users, V, 'users').filter((u) => str(u.emailaddress)?.toLowerCase() === email.toLowerCase()).sort((a, b) => Number(a.inactive === true) - Number(b.inactive === true))[0];
    return hit ? this.toContact(hit) : null;
  }

  async listContacts(companyIdentifier: string): Promise<PsaContact[]> {
    const client = await this.clientByIdentifier(companyIdentifier);
    const rows = await this.pages('/Users', 'users', { client_id: num(client.id) ?? undefined, includeinactive: true }, 5000);
    const out: PsaContact[] = [];
    for (const u of rows) out.push(await this.toContact(u));
    return out;
  }

  async listConfigurations(companyIdentifier: string): Promise<PsaConfiguration[]> {
    const client = await this.clientByIdentifier(companyIdentifier);
    const rows = await this.pages('/Asset', 'assets', { client_id: num(client.id) ?? undefined }, 5000);
    return rows.map((a) => ({
      id: String(a.id), name: str(a.key_field) ?? str(a.inventory_number) ?? String(a.id), serial: str(a.key_field2), assetTag: str(a.inventory_number),
      type: str(a.assettype_name), companyIdentifier, contactEmail: str(a.user_email),
    }));
  }

  async listMembers(): Promise<PsaMember[]> {
    return (await this.agents()).filter((a) => a.isdisabled !== true).map((a) => ({
      identifier: HaloPsaClient.agentIdentifier(a), firstName: str(a.firstname) ?? '', lastName: str(a.surname) ?? '', email: str(a.email) ?? '', role: str(a.jobtitle),
    }));
  }

  async listAgreements(companyIdentifier: string): Promise<PsaAgreement[]> {
    const client = await this.clientByIdentifier(companyIdentifier);
    const rows = await this.pages('/ClientContract', 'contracts', { client_id: num(client.id) ?? undefined }, 1000);
    return rows.map((c) => {
      const covered = /covered categories:\s*([^\n]*)/i.exec(str(c.note) ?? '')?.[1] ?? '';
      return { id: String(c.id), name: str(c.item_desc) ?? str(c.ref) ?? String(c.id), companyIdentifier, coveredWork: splitList(covered), active: c.active !== false };
    });
  }
}

