import { PsaSystem } from '@desk/contracts';
import { HttpClient } from '../../http/http-client';
import type { PsaConnection } from '../../config/connections';
import type { VendorCallObserver } from '../../observe';
import type {
  CreatePsaTicket, PsaAgreement, PsaClient, PsaConfiguration, PsaContact, PsaMember, PsaNote, PsaTicket, PsaTicketQuery, PsaTimeEntry,
} from '../psa-client';
import type { PsaClientOptions } from '../psa-options';
import { type Rec, arr, mapLimit, num, obj, record, requireNum, splitList, str, unknownName } from '../shared';

type Conn = Extract<PsaConnection, { system: 'connectwise' }>;
const V = 'connectwise';

/** Quotes a value for the `conditions` language. */
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const cwDate = (iso: string) => `[${new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z')}]`;

/** ConnectWise PSA (Manage) REST 3.0: Basic `company+public:private`, clientId header, conditions, Link paging, JSON Patch. */
export class ConnectWisePsaClient implements PsaClient {
  readonly system: PsaSystem = 'connectwise';
  private readonly http: HttpClient;
  private readonly pageSize: number;

  constructor(conn: Conn, observe?: VendorCallObserver, opts: PsaClientOptions = {}) {
    this.pageSize = opts.pageSize ?? 1000;
    this.http = new HttpClient({
      vendor: V, baseUrl: conn.baseUrl, timeoutMs: opts.timeoutMs, retry: opts.retry, onCall: observe,
      headers: {
        authorization: `Basic ${Buffer.from(`${conn.companyId}+${conn.publicKey}:${conn.privateKey}`).toString('base64')}`,
        clientId: conn.clientId,
        accept: 'application/vnd.connectwise.com+json; version=2025.8',
      },
    });
  }

  /** Follows `Link: <...>; rel="next"` until `max` records. */
  private async all(path: string, query: Record<string, string | number | undefined>, max = 5000): Promise<Rec[]> {
    const out: Rec[] = [];
    let next: string | null = this.http.url(path, { pageSize: Math.min(this.pageSize, max), ...query });
    while (next && out.length < max) {
      const res: { body: unknown; headers: Headers } = await this.http.request({ method: 'GET', path: next });
      out.push(...arr(res.body, V, path));
      const link = res.headers.get('link') ?? '';
      next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null;
    }
    return out.slice(0, max);
  }

  private async description(id: string): Promise<string> {
    const notes = await this.all(`/service/tickets/${id}/notes`, { conditions: 'detailDescriptionFlag = true', orderBy: 'id asc' }, 1);
    return str(notes[0]?.text) ?? '';
  }

  private toTicket(t: Rec, description: string): PsaTicket {
    const info = obj(t._info) ?? {};
    const contact = obj(t.contact);
    return {
      id: String(requireNum(t.id, V, 'ticket id')), number: String(t.id), summary: str(t.summary) ?? '', description,
      companyIdentifier: str(obj(t.company)?.identifier), board: str(obj(t.board)?.name), status: str(obj(t.status)?.name),
      priority: str(obj(t.priority)?.name), closed: t.closedFlag === true, ownerIdentifier: str(obj(t.owner)?.identifier),
      contact: contact || t.contactEmailAddress ? { id: contact ? String(contact.id) : '', email: str(t.contactEmailAddress), name: str(contact?.name) ?? str(t.contactName) } : null,
      parentId: num(t.parentTicketId) !== null ? String(t.parentTicketId) : null, createdAt: str(info.dateEntered), updatedAt: str(info.lastUpdated),
    };
  }

  async getTicket(id: string): Promise<PsaTicket> {
    const [t, d] = await Promise.all([this.http.request({ method: 'GET', path: `/service/tickets/${id}` }), this.description(id)]);
    return this.toTicket(record(t.body, V, 'ticket'), d);
  }

  async findTickets(q: PsaTicketQuery): Promise<PsaTicket[]> {
    const c: string[] = [];
    if (q.companyIdentifier) c.push(`company/identifier = ${quote(q.companyIdentifier)}`);
    if (q.openOnly) c.push('closedFlag = false');
    if (q.updatedSince) c.push(`lastUpdated >= ${cwDate(q.updatedSince)}`);
    if (q.summaryContains) c.push(`summary contains ${quote(q.summaryContains)}`);
    const rows = await this.all('/service/tickets', { conditions: c.join(' and ') || undefined, orderBy: 'id asc' }, q.limit ?? 200);
    return mapLimit(rows, 4, async (t) => this.toTicket(t, await this.description(String(t.id))));
  }

  async createTicket(input: CreatePsaTicket): Promise<PsaTicket> {
    const contact = input.contactEmail ? await this.findContactByEmail(input.contactEmail) : null;
    const body: Rec = {
      summary: input.summary.slice(0, 100), recordType: 'ServiceTicket', company: { identifier: input.companyIdentifier },
      board: { name: input.board ?? 'Service Desk' }, initialDescription: input.description,
    };
    if (input.status) body.status = { name: input.status };
    if (input.priority) body.priority = { name: input.priority };
    if (contact) body.contact = { id: Number(contact.id) };
    else if (input.contactEmail) body.contactEmailAddress = input.contactEmail;
    const res = await this.http.request({ method: 'POST', path: '/service/tickets', json: body });
    return this.toTicket(record(res.body, V, 'ticket'), input.description);
  }

  private async boardByName(name: string): Promise<Rec> {
    const [b] = await this.all('/service/boards', { conditions: `name = ${quote(name)}` }, 1);
    if (!b) throw unknownName(V, 'board', name);
    return b;
  }

  async setStatus(id: string, status: string): Promise<void> {
    const t = record((await this.http.request({ method: 'GET', path: `/service/tickets/${id}` })).body, V, 'ticket');
    const boardId = requireNum(obj(t.board)?.id, V, 'ticket board');
    const [s] = await this.all(`/service/boards/${boardId}/statuses`, { conditions: `name = ${quote(status)}` }, 1);
    if (!s) throw unknownName(V, 'status', status);
    await this.http.request({ method: 'PATCH', path: `/service/tickets/${id}`, json: [{ op: 'replace', path: 'status', value: { id: s.id } }] });
  }

  async route(id: string, to: { board: string; priority?: string; ownerIdentifier?: string | null }): Promise<void> {
    const board = await this.boardByName(to.board);
    const ops: Rec[] = [{ op: 'replace', path: 'board', value: { id: board.id } }];
    if (to.priority) {
      const [p] = await this.all('/service/priorities', { conditions: `name = ${quote(to.priority)}` }, 1);
      if (!p) throw unknownName(V, 'priority', to.priority);
      ops.push({ op: 'replace', path: 'priority', value: { id: p.id } });
    }
    if (to.ownerIdentifier !== undefined) ops.push(to.ownerIdentifier === null ? { op: 'remove', path: 'owner' } : { op: 'replace', path: 'owner', value: { identifier: to.ownerIdentifier } });
    await this.http.request({ method: 'PATCH', path: `/service/tickets/${id}`, json: ops });
  }

  private toNote(n: Rec): PsaNote {
    return {
      id: String(n.id), text: str(n.text) ?? '', internal: n.internalAnalysisFlag === true, resolution: n.resolutionFlag === true,
      createdBy: str(n.createdBy) ?? str(obj(n.member)?.identifier) ?? str(obj(n.contact)?.name), createdAt: str(n.dateCreated),
    };
  }

  async addNote(id: string, note: { text: string; internal: boolean; resolution?: boolean }): Promise<PsaNote> {
    const res = await this.http.request({
      method: 'POST', path: `/service/tickets/${id}/notes`,
      json: { text: note.text, detailDescriptionFlag: !note.internal, internalAnalysisFlag: note.internal, resolutionFlag: note.resolution === true },
    });
    return this.toNote(record(res.body, V, 'note'));
  }

  async listNotes(id: string): Promise<PsaNote[]> {
    return (await this.all(`/service/tickets/${id}/notes`, { orderBy: 'id asc' })).map((n) => this.toNote(n));
  }

  /** Two calls, not three: the description is the first detail-description note, read from the same list. */
  async getTicketWithNotes(id: string): Promise<{ ticket: PsaTicket; notes: PsaNote[] }> {
    const [t, raw] = await Promise.all([this.http.request({ method: 'GET', path: `/service/tickets/${id}` }), this.all(`/service/tickets/${id}/notes`, { orderBy: 'id asc' })]);
    const description = str(raw.find((n) => n.detailDescriptionFlag === true)?.text) ?? '';
    return { ticket: this.toTicket(record(t.body, V, 'ticket'), description), notes: raw.map((n) => this.toNote(n)) };
  }

  /**
   * Covered work is entered against the agreement: `agreement` set and `billableOption` NoCharge (it shows
   * on the agreement's invoice at no charge); other billable work is `Billable`; the rest `DoNotBill`.
   */
  async addTimeEntry(id: string, e: PsaTimeEntry): Promise<{ id: string }> {
    const billableOption = e.billable ? 'Billable' : e.agreementId ? 'NoCharge' : 'DoNotBill';
    const json: Rec = {
      chargeToId: Number(id), chargeToType: 'ServiceTicket', member: { identifier: e.memberIdentifier }, timeStart: e.start, timeEnd: e.end,
      actualHours: e.hours, billableOption, notes: e.notes, workType: { name: e.workType },
    };
    if (e.agreementId) json.agreement = { id: Number(e.agreementId) };
    const res = await this.http.request({ method: 'POST', path: '/time/entries', json });
    return { id: String(requireNum(record(res.body, V, 'time entry').id, V, 'time entry id')) };
  }

  /** Creates the child, then attaches it with `/attachChildren` (how the vendor links parent and child). */
  async createChildTicket(parentId: string, input: CreatePsaTicket): Promise<PsaTicket> {
    const child = await this.createTicket(input);
    await this.attachChildTicket(parentId, child.id);
    return { ...child, parentId };
  }

  async attachChildTicket(parentId: string, childId: string): Promise<void> {
    await this.http.request({ method: 'POST', path: `/service/tickets/${parentId}/attachChildren`, json: { childTicketIds: [Number(childId)] } });
  }

  private toContact(c: Rec): PsaContact {
    const items = Array.isArray(c.communicationItems) ? (c.communicationItems as Rec[]) : [];
    const item = (type: string) => items.find((i) => str(obj(i.type)?.name)?.toLowerCase() === type);
    const phone = item('direct');
    const types = Array.isArray(c.types) ? (c.types as Rec[]) : [];
    return {
      id: String(c.id), companyIdentifier: str(obj(c.company)?.identifier) ?? '', firstName: str(c.firstName) ?? '', lastName: str(c.lastName) ?? '',
      email: str(item('email')?.value), phone: phone ? `${String(phone.value)}${phone.extension ? ` x${String(phone.extension)}` : ''}` : null,
      mobile: str(item('mobile')?.value), title: str(c.title), vip: types.some((t) => str(t.name)?.toUpperCase() === 'VIP'), active: c.inactiveFlag !== true,
    };
  }

  async getContact(id: string): Promise<PsaContact> {
    return this.toContact(record((await this.http.request({ method: 'GET', path: `/company/contacts/${id}` })).body, V, 'contact'));
  }

  async findContactByEmail(email: string): Promise<PsaContact | null> {
    const rows = await this.all('/company/contacts', { childConditions: `communicationItems/value = ${quote(email)} and communicationItems/communicationType = "Email"` }, 5);
    const active = rows.map((r) => this.toContact(r)).sort((a, b) => Number(b.active) - Number(a.active));
    return active[0] ?? null;
  }

  async listContacts(companyIdentifier: string): Promise<PsaContact[]> {
    return (await this.all('/company/contacts', { conditions: `company/identifier = ${quote(companyIdentifier)}`, orderBy: 'id asc' })).map((c) => this.toContact(c));
  }

  async listConfigurations(companyIdentifier: string): Promise<PsaConfiguration[]> {
    const rows = await this.all('/company/configurations', { conditions: `company/identifier = ${quote(companyIdentifier)}`, orderBy: 'id asc' });
    const contacts = await this.listContacts(companyIdentifier);
    return rows.map((r) => ({
      id: String(r.id), name: str(r.name) ?? '', serial: str(r.serialNumber), assetTag: str(r.tagNumber), type: str(obj(r.type)?.name),
      companyIdentifier: str(obj(r.company)?.identifier) ?? companyIdentifier,
      contactEmail: contacts.find((c) => c.id === String(obj(r.contact)?.id ?? ''))?.email ?? null,
    }));
  }

  async listMembers(): Promise<PsaMember[]> {
    return (await this.all('/system/members', { conditions: 'inactiveFlag = false', orderBy: 'id asc' })).map((m) => ({
      identifier: str(m.identifier) ?? '', firstName: str(m.firstName) ?? '', lastName: str(m.lastName) ?? '',
      email: str(m.officeEmail) ?? str(m.primaryEmail) ?? '', role: str(m.title),
    }));
  }

  async listAgreements(companyIdentifier: string): Promise<PsaAgreement[]> {
    const rows = await this.all('/finance/agreements', { conditions: `company/identifier = ${quote(companyIdentifier)}` });
    return rows.map((a) => {
      const fields = Array.isArray(a.customFields) ? (a.customFields as Rec[]) : [];
      const covered = fields.find((f) => str(f.caption)?.toLowerCase() === 'covered categories');
      return {
        id: String(a.id), name: str(a.name) ?? '', companyIdentifier, coveredWork: splitList(str(covered?.value)),
        active: a.cancelledFlag !== true && (str(a.agreementStatus) ?? 'Active') === 'Active',
      };
    });
  }
}
