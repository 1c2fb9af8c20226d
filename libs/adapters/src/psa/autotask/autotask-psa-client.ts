import { PsaSystem } from '@desk/contracts';
import { HttpClient } from '../../http/http-client';
import { VendorNotFoundError } from '../../http/errors';
import type { PsaConnection } from '../../config/connections';
import type { VendorCallObserver } from '../../observe';
import type {
  CreatePsaTicket, PsaAgreement, PsaClient, PsaConfiguration, PsaContact, PsaMember, PsaNote, PsaTicket, PsaTicketQuery, PsaTimeEntry,
} from '../psa-client';
import type { PsaClientOptions } from '../psa-options';
import { type Rec, arr, num, obj, record, requireNum, splitList, str, unknownName } from '../shared';

type Conn = Extract<PsaConnection, { system: 'autotask' }>;
const V = 'autotask';
/** Ticket types (picklist `ticketType`): an Incident can be linked under a Problem. */
const AT_INCIDENT = 2;
const AT_PROBLEM = 3;
type Filter = Rec;
interface Pick { value: number; label: string }

const udf = (r: Rec, name: string): string | null => {
  const list = Array.isArray(r.userDefinedFields) ? (r.userDefinedFields as Rec[]) : [];
  return str(list.find((u) => str(u.name)?.toLowerCase() === name.toLowerCase())?.value);
};

/**
 * Autotask REST v1.0: three credential headers, `POST /{Entity}/query` with filter items and
 * `pageDetails.nextPageUrl` paging, `{itemId}` on writes, picklists for status/priority/queue.
 * Companies are matched on `companyNumber`, members on the resource `userName`.
 */
export class AutotaskPsaClient implements PsaClient {
  readonly system: PsaSystem = 'autotask';
  private readonly http: HttpClient;
  private readonly pageSize: number;
  private picklists: Record<'status' | 'priority' | 'queueID', Pick[]> | null = null;
  private companies: Rec[] | null = null;
  private billingCodes: Rec[] | null = null;

  constructor(conn: Conn, observe?: VendorCallObserver, opts: PsaClientOptions = {}) {
    this.pageSize = opts.pageSize ?? 500;
    this.http = new HttpClient({
      vendor: V, baseUrl: `${conn.baseUrl.replace(/\/+$/, '')}/V1.0`, timeoutMs: opts.timeoutMs, retry: opts.retry, onCall: observe,
      headers: { ApiIntegrationCode: conn.apiIntegrationCode, UserName: conn.username, Secret: conn.secret },
    });
  }

  /** Runs a query and follows `nextPageUrl` until `max` items. Queries are read-only, so retries are safe. */
  private async query(entity: string, filter: Filter[], max = 5000): Promise<Rec[]> {
    const out: Rec[] = [];
    let body = record((await this.http.request({ method: 'POST', path: `/${entity}/query`, json: { filter, MaxRecords: Math.min(this.pageSize, 500, max) }, idempotent: true })).body, V, `${entity} query`);
    for (;;) {
      out.push(...arr(body.items, V, `${entity} items`));
      const next = str(obj(body.pageDetails)?.nextPageUrl);
      if (!next || out.length >= max) break;
      body = record((await this.http.request({ method: 'GET', path: next })).body, V, `${entity} next page`);
    }
    return out.slice(0, max);
  }

  private async item(path: string, what: string): Promise<Rec> {
    const body = record((await this.http.request({ method: 'GET', path })).body, V, what);
    const it = obj(body.item);
    if (!it) throw new VendorNotFoundError(`${V}: ${what} ${path} not found`, V, 200, null);
    return it;
  }

  private async write(method: 'POST' | 'PATCH', path: string, json: Rec): Promise<number> {
    const body = record((await this.http.request({ method, path, json })).body, V, path);
    return requireNum(body.itemId, V, 'itemId');
  }

  private async picks(): Promise<Record<'status' | 'priority' | 'queueID', Pick[]>> {
    if (!this.picklists) {
      const fields = arr(record((await this.http.request({ method: 'GET', path: '/Tickets/entityInformation/fields' })).body, V, 'fields').fields, V, 'fields');
      const of = (name: string) => arr(fields.find((f) => f.name === name)?.picklistValues ?? [], V, name).map((p) => ({ value: Number(p.value), label: str(p.label) ?? '' }));
      this.picklists = { status: of('status'), priority: of('priority'), queueID: of('queueID') };
    }
    return this.picklists;
  }

  private async pickValue(list: 'status' | 'priority' | 'queueID', label: string): Promise<number> {
    const p = (await this.picks())[list].find((x) => x.label.toLowerCase() === label.toLowerCase());
    if (!p) throw unknownName(V, list === 'queueID' ? 'queue' : list, label);
    return p.value;
  }

  private async label(list: 'status' | 'priority' | 'queueID', value: unknown): Promise<string | null> {
    return (await this.picks())[list].find((x) => x.value === num(value))?.label ?? null;
  }

  private async companyList(): Promise<Rec[]> {
    this.companies ??= await this.query('Companies', [{ op: 'exist', field: 'id' }]);
    return this.companies;
  }

  private async companyId(identifier: string): Promise<number> {
    const match = (c: Rec) => str(c.companyNumber)?.toLowerCase() === identifier.toLowerCase();
    let c = (await this.companyList()).find(match);
    if (!c) {
      this.companies = null;
      c = (await this.companyList()).find(match);
    }
    if (!c) throw unknownName(V, 'company', identifier);
    return requireNum(c.id, V, 'company id');
  }

  private async companyIdentifier(id: unknown): Promise<string | null> {
    return str((await this.companyList()).find((c) => num(c.id) === num(id))?.companyNumber);
  }

  private async resources(): Promise<Rec[]> {
    return this.query('Resources', [{ op: 'eq', field: 'isActive', value: true }]);
  }

  private async resourceId(identifier: string): Promise<number> {
    const r = (await this.resources()).find((x) => str(x.userName)?.toLowerCase() === identifier.toLowerCase() || str(x.email)?.toLowerCase() === identifier.toLowerCase());
    if (!r) throw unknownName(V, 'resource', identifier);
    return requireNum(r.id, V, 'resource id');
  }

  private async toTicket(t: Rec): Promise<PsaTicket> {
    let contact: PsaTicket['contact'] = null;
    if (num(t.contactID)) {
      const c = await this.getContact(String(t.contactID)).catch(() => null);
      contact = { id: String(t.contactID), email: c?.email ?? null, name: c ? `${c.firstName} ${c.lastName}` : null };
    }
    const owner = num(t.assignedResourceID) ? str((await this.resources()).find((r) => num(r.id) === num(t.assignedResourceID))?.userName) : null;
    return {
      id: String(requireNum(t.id, V, 'ticket id')), number: str(t.ticketNumber), summary: str(t.title) ?? '', description: str(t.description) ?? '',
      companyIdentifier: await this.companyIdentifier(t.companyID), contact, board: await this.label('queueID', t.queueID), status: await this.label('status', t.status),
      priority: await this.label('priority', t.priority), closed: !!t.completedDate, ownerIdentifier: owner,
      parentId: num(t.problemTicketId) ? String(t.problemTicketId) : null, createdAt: str(t.createDate), updatedAt: str(t.lastActivityDate),
    };
  }

  async getTicket(id: string): Promise<PsaTicket> {
    return this.toTicket(await this.item(`/Tickets/${id}`, 'ticket'));
  }

  async findTickets(q: PsaTicketQuery): Promise<PsaTicket[]> {
    const f: Filter[] = [];
    if (q.companyIdentifier) f.push({ op: 'eq', field: 'companyID', value: await this.companyId(q.companyIdentifier) });
    if (q.openOnly) f.push({ op: 'notExist', field: 'completedDate' });
    if (q.updatedSince) f.push({ op: 'gte', field: 'lastActivityDate', value: new Date(q.updatedSince).toISOString() });
    if (q.summaryContains) f.push({ op: 'contains', field: 'title', value: q.summaryContains });
    if (!f.length) f.push({ op: 'exist', field: 'id' });
    const rows = await this.query('Tickets', f, q.limit ?? 200);
    const out: PsaTicket[] = [];
    for (const r of rows) out.push(await this.toTicket(r));
    return out;
  }

  async createTicket(input: CreatePsaTicket): Promise<PsaTicket> {
    const companyID = await this.companyId(input.companyIdentifier);
    const contact = input.contactEmail ? await this.findContactByEmail(input.contactEmail) : null;
    const picks = await this.picks();
    const body: Rec = {
      companyID, title: input.summary.slice(0, 255), description: input.description,
      status: input.status ? await this.pickValue('status', input.status) : picks.status[0]?.value,
      priority: input.priority ? await this.pickValue('priority', input.priority) : await this.pickValue('priority', 'Priority 3 - Medium').catch(() => picks.priority[0]?.value),
      queueID: await this.pickValue('queueID', input.board ?? 'Service Desk'),
    };
    if (contact && contact.companyIdentifier.toLowerCase() === input.companyIdentifier.toLowerCase()) body.contactID = Number(contact.id);
    if (input.parentId) {
      body.problemTicketId = Number(input.parentId);
      body.ticketType = AT_INCIDENT;
    }
    const id = await this.write('POST', '/Tickets', body);
    return this.getTicket(String(id));
  }

  async setStatus(id: string, status: string): Promise<void> {
    await this.write('PATCH', '/Tickets', { id: Number(id), status: await this.pickValue('status', status) });
  }

  async route(id: string, to: { board: string; priority?: string; ownerIdentifier?: string | null }): Promise<void> {
    const body: Rec = { id: Number(id), queueID: await this.pickValue('queueID', to.board) };
    if (to.priority) body.priority = await this.pickValue('priority', to.priority);
    if (to.ownerIdentifier !== undefined) body.assignedResourceID = to.ownerIdentifier === null ? null : await this.resourceId(to.ownerIdentifier);
    await this.write('PATCH', '/Tickets', body);
  }

  private async toNote(n: Rec): Promise<PsaNote> {
    const by = num(n.creatorResourceID) ? str((await this.resources()).find((r) => num(r.id) === num(n.creatorResourceID))?.userName) : null;
    return {
      id: String(n.id), text: str(n.description) ?? '', internal: num(n.publish) !== 1, resolution: /resolution/i.test(str(n.title) ?? ''),
      createdBy: by ?? (num(n.createdByContactID) ? `contact:${String(n.createdByContactID)}` : null), createdAt: str(n.createDateTime),
    };
  }

  /** `publish` 1 = visible to all (client-facing), 2 = internal only. A resolution also fills the ticket's resolution field. */
  async addNote(id: string, note: { text: string; internal: boolean; resolution?: boolean }): Promise<PsaNote> {
    const title = note.resolution ? 'Resolution' : note.internal ? 'Internal note' : 'Update';
    const noteId = await this.write('POST', `/Tickets/${id}/Notes`, { title, description: note.text, noteType: 1, publish: note.internal ? 2 : 1 });
    if (note.resolution) await this.write('PATCH', '/Tickets', { id: Number(id), resolution: note.text });
    const n = (await this.listNotesRaw(id)).find((x) => num(x.id) === noteId);
    return n ? this.toNote(n) : { id: String(noteId), text: note.text, internal: note.internal, resolution: note.resolution === true, createdBy: null, createdAt: null };
  }

  private async listNotesRaw(id: string): Promise<Rec[]> {
    const body = record((await this.http.request({ method: 'GET', path: `/Tickets/${id}/Notes` })).body, V, 'notes');
    return arr(body.items, V, 'notes');
  }

  async listNotes(id: string): Promise<PsaNote[]> {
    const out: PsaNote[] = [];
    for (const n of await this.listNotesRaw(id)) out.push(await this.toNote(n));
    return out;
  }
  async getTicketWithNotes(id: string): Promise<{ ticket: PsaTicket; notes: PsaNote[] }> {
    const [ticket, notes] = await Promise.all([this.getTicket(id), this.listNotes(id)]);
    return { ticket, notes };
  }


  /** Work types are billing codes (allocation codes) in Autotask: the time entry's `billingCodeID`, by name. */
  private async workTypeId(name: string): Promise<number> {
    this.billingCodes ??= await this.query('BillingCodes', [{ op: 'eq', field: 'isActive', value: true }], 500);
    const c = this.billingCodes.find((x) => str(x.name)?.toLowerCase() === name.toLowerCase());
    if (!c) throw unknownName(V, 'work type (billing code)', name);
    return requireNum(c.id, V, 'billing code id');
  }

  /** Covered work carries the contract (`contractID`); billable work has hours to bill; the rest is non-billable. */
  async addTimeEntry(id: string, e: PsaTimeEntry): Promise<{ id: string }> {
    const body: Rec = {
      ticketID: Number(id), resourceID: await this.resourceId(e.memberIdentifier), dateWorked: `${e.start.slice(0, 10)}T00:00:00Z`,
      startDateTime: e.start, endDateTime: e.end, hoursWorked: e.hours, hoursToBill: e.billable ? e.hours : 0, summaryNotes: e.notes, isNonBillable: !e.billable,
      billingCodeID: await this.workTypeId(e.workType),
    };
    if (e.agreementId) body.contractID = Number(e.agreementId);
    const itemId = await this.write('POST', '/TimeEntries', body);
    return { id: String(itemId) };
  }

  /**
   * Autotask links tickets through `problemTicketId`: an Incident (ticketType 2) under a Problem ticket
   * (ticketType 3). The parent becomes a Problem ticket first when it is not one.
   */
  async createChildTicket(parentId: string, input: CreatePsaTicket): Promise<PsaTicket> {
    const parent = await this.item(`/Tickets/${parentId}`, 'ticket');
    if (num(parent.ticketType) !== AT_PROBLEM) await this.write('PATCH', '/Tickets', { id: Number(parentId), ticketType: AT_PROBLEM });
    return this.createTicket({ ...input, parentId });
  }

  private async toContact(c: Rec): Promise<PsaContact> {
    return {
      id: String(c.id), companyIdentifier: (await this.companyIdentifier(c.companyID)) ?? '', firstName: str(c.firstName) ?? '', lastName: str(c.lastName) ?? '',
      email: str(c.emailAddress), phone: str(c.phone) ? `${String(c.phone)}${c.extension ? ` x${String(c.extension)}` : ''}` : null, mobile: str(c.mobilePhone),
      title: str(c.title), vip: udf(c, 'VIP')?.toLowerCase() === 'yes', active: num(c.isActive) === 1 || c.isActive === true,
    };
  }

  async getContact(id: string): Promise<PsaContact> {
    return this.toContact(await this.item(`/Contacts/${id}`, 'contact'));
  }

  async findContactByEmail(email: string): Promise<PsaContact | null> {
    const rows = await this.query('Contacts', [{ op: 'eq', field: 'emailAddress', value: email }], 5);
    const list: PsaContact[] = [];
    for (const r of rows) list.push(await this.toContact(r));
    return list.sort((a, b) => Number(b.active) - Number(a.active))[0] ?? null;
  }

  async listContacts(companyIdentifier: string): Promise<PsaContact[]> {
    const rows = await this.query('Contacts', [{ op: 'eq', field: 'companyID', value: await this.companyId(companyIdentifier) }]);
    const out: PsaContact[] = [];
    for (const r of rows) out.push(await this.toContact(r));
    return out;
  }

  async listConfigurations(companyIdentifier: string): Promise<PsaConfiguration[]> {
    const rows = await this.query('ConfigurationItems', [{ op: 'eq', field: 'companyID', value: await this.companyId(companyIdentifier) }]);
    const contacts = await this.listContacts(companyIdentifier);
    return rows.map((r) => ({
      id: String(r.id), name: str(r.referenceTitle) ?? String(r.id), serial: str(r.serialNumber), assetTag: str(r.referenceNumber),
      type: str(r.configurationItemType), companyIdentifier, contactEmail: contacts.find((c) => c.id === String(r.contactID ?? ''))?.email ?? null,
    }));
  }

  async listMembers(): Promise<PsaMember[]> {
    return (await this.resources()).map((r) => ({
      identifier: str(r.userName) ?? String(r.id), firstName: str(r.firstName) ?? '', lastName: str(r.lastName) ?? '', email: str(r.email) ?? '', role: str(r.title),
    }));
  }

  async listAgreements(companyIdentifier: string): Promise<PsaAgreement[]> {
    const rows = await this.query('Contracts', [{ op: 'eq', field: 'companyID', value: await this.companyId(companyIdentifier) }]);
    return rows.map((c) => ({
      id: String(c.id), name: str(c.contractName) ?? String(c.id), companyIdentifier,
      coveredWork: splitList(udf(c, 'Covered Categories') ?? /covered categories:\s*([^\n]*)/i.exec(str(c.description) ?? '')?.[1]),
      active: num(c.status) === 1,
    }));
  }
}
