import { AdapterRegistry, VendorAuthError, VendorRateLimitError, VendorUnavailableError, type CreatePsaTicket, type PsaAgreement, type PsaClient, type PsaNote, type PsaTicket, type PsaTimeEntry } from '@desk/adapters';
import type { PsaSystem } from '@desk/contracts';
import type { DeskApp } from '@desk/platform';

/** Test seam: the app's adapter registry cache, where a test puts its in-memory clients. */
export function adapterCache(app: DeskApp): Map<string, unknown> {
  return (app.app.get(AdapterRegistry) as unknown as { cache: Map<string, unknown> }).cache;
}

/** Every client of the app's registry gets `psa` as its PSA (the vendor adapters are tested on their own). */
export function serveFakePsa(app: DeskApp, psa: PsaClient): void {
  const cache = adapterCache(app);
  for (const c of app.app.get(AdapterRegistry).clients()) cache.set(`psa:${c.identifier}`, psa);
}

/**
 * An in-memory PSA for psa-writer's integration tests until the vendor adapters and the sandbox PSA carry
 * the end-to-end version: it records every write in order, and can be taken down (503), throttle (429),
 * or lose a response after applying the write (the crash case the note marker exists for).
 */
export class FakePsa implements PsaClient {
  readonly system: PsaSystem = 'connectwise';
  down = false;
  rateLimitNext = 0;
  loseResponseOfNextNote = false;
  private nextId = 1000;
  readonly tickets = new Map<string, PsaTicket & { notes: PsaNote[]; times: PsaTimeEntry[]; history: string[] }>();
  /** Every accepted write: `${ticketId} ${kind} ${detail}`. */
  readonly log: string[] = [];
  calls = 0;

  private gate(): void {
    this.calls++;
    if (this.down) throw new VendorUnavailableError('PSA answered 503', 'connectwise', 503);
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--;
      throw new VendorRateLimitError('PSA answered 429', 'connectwise', 429);
    }
  }

  private t(id: string) {
    const t = this.tickets.get(id);
    if (!t) throw new Error(`no ticket ${id}`);
    return t;
  }

  async createTicket(input: CreatePsaTicket): Promise<PsaTicket> {
    this.gate();
    const id = String(this.nextId++);
    const t = {
      id, number: id, summary: input.summary, description: input.description, companyIdentifier: input.companyIdentifier,
      contact: input.contactEmail ? { id: '1', email: input.contactEmail, name: null } : null, board: input.board ?? 'Service Desk',
      status: 'New', priority: input.priority ?? null, closed: false, ownerIdentifier: null, parentId: input.parentId ?? null,
      createdAt: new Date().toISOString(), updatedAt: null, notes: [], times: [], history: [],
    };
    this.tickets.set(id, t);
    this.log.push(`${id} create ${input.board}`);
    return t;
  }

  async addNote(id: string, note: { text: string; internal: boolean; resolution?: boolean }): Promise<PsaNote> {
    this.gate();
    const n: PsaNote = { id: String(this.nextId++), text: note.text, internal: note.internal, resolution: note.resolution ?? false, createdBy: 'L1Agent', createdAt: new Date().toISOString() };
    this.t(id).notes.push(n);
    this.log.push(`${id} note ${note.internal ? 'internal' : note.resolution ? 'resolution' : 'customer'}`);
    if (this.loseResponseOfNextNote) {
      this.loseResponseOfNextNote = false;
      throw new VendorUnavailableError('connection reset after the write', 'connectwise', null);
    }
    return n;
  }

  async listNotes(id: string): Promise<PsaNote[]> {
    this.gate();
    return [...this.t(id).notes];
  }

  async setStatus(id: string, status: string): Promise<void> {
    this.gate();
    this.t(id).status = status;
    this.t(id).history.push(`status:${status}`);
    this.log.push(`${id} status ${status}`);
  }

  async route(id: string, to: { board: string; priority?: string }): Promise<void> {
    this.gate();
    Object.assign(this.t(id), { board: to.board, priority: to.priority ?? null });
    this.log.push(`${id} route ${to.board}`);
  }

  async addTimeEntry(id: string, entry: PsaTimeEntry): Promise<{ id: string }> {
    this.gate();
    this.t(id).times.push(entry);
    this.log.push(`${id} time ${entry.hours}`);
    return { id: String(this.nextId++) };
  }

  async getTicket(id: string): Promise<PsaTicket> {
    this.gate();
    return this.t(id);
  }
  async getTicketWithNotes(id: string): Promise<{ ticket: PsaTicket; notes: PsaNote[] }> {
    return { ticket: await this.getTicket(id), notes: await this.listNotes(id) };
  }


  async findTickets(q: { companyIdentifier?: string; summaryContains?: string }): Promise<PsaTicket[]> {
    this.gate();
    return [...this.tickets.values()].filter((t) => (!q.companyIdentifier || t.companyIdentifier === q.companyIdentifier) && (!q.summaryContains || t.summary.includes(q.summaryContains)));
  }

  async createChildTicket(parentId: string, input: CreatePsaTicket): Promise<PsaTicket> {
    return this.createTicket({ ...input, parentId });
  }

  getContact(): never { throw new Error('not used by psa-writer'); }
  findContactByEmail(): never { throw new Error('not used by psa-writer'); }
  listContacts(): never { throw new Error('not used by psa-writer'); }
  listConfigurations(): never { throw new Error('not used by psa-writer'); }
  listMembers(): never { throw new Error('not used by psa-writer'); }
  /** The client's agreements (read through the same outage gate as every other call). */
  agreements: PsaAgreement[] = [{ id: '1', name: 'Managed Services', companyIdentifier: 'ContosoDental', coveredWork: ['password_reset', 'account_unlock', 'printer'], active: true }];
  /** The PSA refuses the agreements endpoint (no permission for the API member). */
  agreementsRefused = false;
  async listAgreements(companyIdentifier: string): Promise<PsaAgreement[]> {
    this.gate();
    if (this.agreementsRefused) throw new VendorAuthError('PSA answered 403 on agreements', 'connectwise', 403);
    return this.agreements.filter((a) => a.companyIdentifier === companyIdentifier);
  }
}
