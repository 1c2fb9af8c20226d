/**
 * Plays the client's side of the PSA in end-to-end tests: creates tickets through each vendor's own API
 * on the sandbox (as a client portal or a technician would) and reads back what the desk wrote.
 */
export type PsaSystem = 'connectwise' | 'halopsa' | 'autotask';

export interface CreatedTicket {
  system: PsaSystem;
  id: string;
}

export interface PsaView {
  status: string | null;
  board: string | null;
  notes: Array<{ text: string; internal: boolean; by: string | null }>;
}

/** A time entry as each vendor stores it, in common terms (raw vendor fields kept for assertions). */
export interface TimeView {
  hours: number;
  workType: string | null;
  billable: boolean;
  agreementId: string | null;
  raw: Record<string, unknown>;
}

const CW = { companyId: 'harborline', publicKey: 'sandboxpub', privateKey: 'sandboxpriv', clientId: '00000000-0000-4000-8000-00000000c0de' };
const HALO = { clientId: 'sandbox-halo-client', clientSecret: 'sandbox-halo-secret' };
const AT = { ApiIntegrationCode: 'SANDBOXINTEGRATION', UserName: 'api@harborline-it.example', Secret: 'sandbox-autotask-secret' };

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${res.url}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

export class PsaSandbox {
  private haloToken: string | null = null;
  constructor(private readonly sandboxUrl: string) {}

  private cwHeaders(): Record<string, string> {
    return {
      authorization: `Basic ${Buffer.from(`${CW.companyId}+${CW.publicKey}:${CW.privateKey}`).toString('base64')}`,
      clientId: CW.clientId, 'content-type': 'application/json', accept: 'application/json',
    };
  }

  private async haloHeaders(): Promise<Record<string, string>> {
    if (!this.haloToken) {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: HALO.clientId, client_secret: HALO.clientSecret, scope: 'all' });
      const t = await json<{ access_token: string }>(await fetch(`${this.sandboxUrl}/halo/auth/token?tenant=harborline`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
      }));
      this.haloToken = t.access_token;
    }
    return { authorization: `Bearer ${this.haloToken}`, 'content-type': 'application/json', accept: 'application/json' };
  }

  private atHeaders(): Record<string, string> {
    return { ...AT, 'content-type': 'application/json', accept: 'application/json' };
  }

  private get cw(): string { return `${this.sandboxUrl}/cw/v4_6_release/apis/3.0`; }
  private get halo(): string { return `${this.sandboxUrl}/halo/api`; }
  private get at(): string { return `${this.sandboxUrl}/autotask/atservicesrest/V1.0`; }

  /** Creates a ticket as the contact with this email, in the client's PSA. */
  async createTicket(system: PsaSystem, t: { company: string; contactEmail: string; summary: string; description: string }): Promise<CreatedTicket> {
    if (system === 'connectwise') {
      const contacts = await json<Array<{ id: number }>>(await fetch(
        `${this.cw}/company/contacts?childConditions=${encodeURIComponent(`communicationItems/value = "${t.contactEmail}"`)}`, { headers: this.cwHeaders() }));
      const body = { summary: t.summary, initialDescription: t.description, board: { name: 'Service Desk' }, company: { identifier: t.company },
        recordType: 'ServiceTicket', ...(contacts[0] ? { contact: { id: contacts[0].id } } : { contactEmailAddress: t.contactEmail }) };
      const created = await json<{ id: number }>(await fetch(`${this.cw}/service/tickets`, { method: 'POST', headers: this.cwHeaders(), body: JSON.stringify(body) }));
      return { system, id: String(created.id) };
    }
    if (system === 'halopsa') {
      const h = await this.haloHeaders();
      const clients = await json<{ clients: Array<{ id: number; name: string }> }>(await fetch(`${this.halo}/Client?search=${encodeURIComponent(t.company)}`, { headers: h }));
      const users = await json<{ users: Array<{ id: number; emailaddress: string }> }>(await fetch(`${this.halo}/Users?search=${encodeURIComponent(t.contactEmail)}`, { headers: h }));
      const user = users.users.find((u) => u.emailaddress?.toLowerCase() === t.contactEmail.toLowerCase());
      const created = await json<{ id: number } | Array<{ id: number }>>(await fetch(`${this.halo}/Tickets`, {
        method: 'POST', headers: h,
        body: JSON.stringify([{ summary: t.summary, details: t.description, client_id: clients.clients[0]?.id, user_id: user?.id, reportedby: t.contactEmail, tickettype_id: 1 }]),
      }));
      return { system, id: String(Array.isArray(created) ? created[0]!.id : created.id) };
    }
    const companies = await json<{ items: Array<{ id: number; companyName: string; companyNumber?: string }> }>(await fetch(`${this.at}/Companies/query`, {
      method: 'POST', headers: this.atHeaders(), body: JSON.stringify({ filter: [{ op: 'exist', field: 'id' }] }),
    }));
    const contacts = await json<{ items: Array<{ id: number; companyID: number }> }>(await fetch(`${this.at}/Contacts/query`, {
      method: 'POST', headers: this.atHeaders(), body: JSON.stringify({ filter: [{ op: 'eq', field: 'emailAddress', value: t.contactEmail }] }),
    }));
    const contact = contacts.items[0];
    const wanted = t.company.toLowerCase();
    const company = companies.items.find((c) => c.companyNumber?.toLowerCase() === wanted || c.companyName.toLowerCase() === wanted);
    const companyID = contact?.companyID ?? company?.id;
    if (companyID === undefined) throw new Error(`no Autotask company ${t.company}`);
    const created = await json<{ itemId: number }>(await fetch(`${this.at}/Tickets`, {
      method: 'POST', headers: this.atHeaders(),
      body: JSON.stringify({ companyID, contactID: contact?.id, title: t.summary, description: t.description, status: 1, priority: 2, queueID: null }),
    }));
    return { system, id: String(created.itemId) };
  }

  /** What the desk wrote on the ticket: its status and board, and every note. */
  async view(t: CreatedTicket): Promise<PsaView> {
    if (t.system === 'connectwise') {
      const ticket = await json<{ status?: { name: string }; board?: { name: string } }>(await fetch(`${this.cw}/service/tickets/${t.id}`, { headers: this.cwHeaders() }));
      const notes = await json<Array<{ text: string; internalAnalysisFlag?: boolean; internalFlag?: boolean; createdBy?: string | null }>>(
        await fetch(`${this.cw}/service/tickets/${t.id}/notes?pageSize=1000`, { headers: this.cwHeaders() }));
      return { status: ticket.status?.name ?? null, board: ticket.board?.name ?? null,
        notes: notes.map((n) => ({ text: n.text, internal: Boolean(n.internalAnalysisFlag || n.internalFlag), by: n.createdBy ?? null })) };
    }
    if (t.system === 'halopsa') {
      const h = await this.haloHeaders();
      const ticket = await json<{ status_name?: string; status_id?: number; team?: string }>(await fetch(`${this.halo}/Tickets/${t.id}`, { headers: h }));
      const actions = await json<{ actions: Array<{ note: string; hiddenfromuser?: boolean; who?: string }> }>(await fetch(`${this.halo}/Actions?ticket_id=${t.id}`, { headers: h }));
      return { status: ticket.status_name ?? (ticket.status_id !== undefined ? String(ticket.status_id) : null), board: ticket.team ?? null,
        notes: actions.actions.map((a) => ({ text: a.note, internal: Boolean(a.hiddenfromuser), by: a.who ?? null })) };
    }
    const ticket = await json<{ item: { status: number; queueID?: number | null } }>(await fetch(`${this.at}/Tickets/${t.id}`, { headers: this.atHeaders() }));
    // Autotask statuses are picklist values: read their labels as an integration would.
    const fields = await json<{ fields: Array<{ name: string; picklistValues?: Array<{ value: string | number; label: string }> }> }>(
      await fetch(`${this.at}/Tickets/entityInformation/fields`, { headers: this.atHeaders() }));
    const statusLabel = fields.fields.find((f) => f.name === 'status')?.picklistValues?.find((v) => Number(v.value) === Number(ticket.item.status))?.label;
    const notes = await json<{ items: Array<{ description: string; publish?: number; creatorResourceID?: number }> }>(
      await fetch(`${this.at}/Tickets/${t.id}/Notes`, { headers: this.atHeaders() }));
    return { status: statusLabel ?? String(ticket.item.status), board: ticket.item.queueID !== undefined && ticket.item.queueID !== null ? String(ticket.item.queueID) : null,
      notes: notes.items.map((n) => ({ text: n.description, internal: n.publish !== 1, by: n.creatorResourceID !== undefined ? String(n.creatorResourceID) : null })) };
  }

  /** Time entries on the ticket, read through the vendor's own API (work type names resolved the vendor's way). */
  async timeEntries(t: CreatedTicket): Promise<TimeView[]> {
    if (t.system === 'connectwise') {
      const rows = await json<Array<Record<string, unknown> & { actualHours: number; workType?: { name: string }; billableOption: string; agreement?: { id: number } | null }>>(
        await fetch(`${this.cw}/time/entries?conditions=${encodeURIComponent(`chargeToId = ${t.id}`)}&pageSize=1000`, { headers: this.cwHeaders() }));
      return rows.map((r) => ({ hours: r.actualHours, workType: r.workType?.name ?? null, billable: r.billableOption === 'Billable', agreementId: r.agreement ? String(r.agreement.id) : null, raw: r }));
    }
    if (t.system === 'halopsa') {
      const h = await this.haloHeaders();
      const types = await json<Array<{ id: number; name: string }>>(await fetch(`${this.halo}/Lookup?lookupid=17`, { headers: h }));
      const actions = await json<{ actions: Array<Record<string, unknown> & { timetaken?: number; chargerate?: number | null; actisbillable?: boolean | null; actioncontractid?: number | null }> }>(
        await fetch(`${this.halo}/Actions?ticket_id=${t.id}`, { headers: h }));
      return actions.actions.filter((a) => (a.timetaken ?? 0) > 0).map((a) => ({
        hours: a.timetaken ?? 0, workType: types.find((x) => x.id === a.chargerate)?.name ?? null, billable: a.actisbillable === true,
        agreementId: a.actioncontractid ? String(a.actioncontractid) : null, raw: a,
      }));
    }
    const q = (entity: string, filter: unknown[]) => fetch(`${this.at}/${entity}/query`, { method: 'POST', headers: this.atHeaders(), body: JSON.stringify({ filter }) });
    const codes = await json<{ items: Array<{ id: number; name: string }> }>(await q('BillingCodes', [{ op: 'exist', field: 'id' }]));
    const rows = await json<{ items: Array<Record<string, unknown> & { hoursWorked: number; billingCodeID: number | null; isNonBillable: boolean; contractID: number | null }> }>(
      await q('TimeEntries', [{ op: 'eq', field: 'ticketID', value: Number(t.id) }]));
    return rows.items.map((r) => ({
      hours: r.hoursWorked, workType: codes.items.find((c) => c.id === r.billingCodeID)?.name ?? null, billable: !r.isNonBillable,
      agreementId: r.contractID !== null ? String(r.contractID) : null, raw: r,
    }));
  }
}
