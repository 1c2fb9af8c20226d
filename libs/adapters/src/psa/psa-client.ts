import { PsaSystem } from '@desk/contracts';

/** A PSA ticket in the desk's vocabulary; each adapter maps its vendor's shape to this. */
export interface PsaTicket {
  id: string;
  number: string | null;
  summary: string;
  description: string;
  companyIdentifier: string | null;
  contact: { id: string; email: string | null; name: string | null } | null;
  /** Who filed the ticket when it names no contact record (HaloPSA `reportedby`, e.g. an RMM integration). */
  reportedByEmail?: string | null;
  board: string | null;
  status: string | null;
  priority: string | null;
  closed: boolean;
  ownerIdentifier: string | null;
  parentId: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface PsaNote {
  id: string;
  text: string;
  internal: boolean;
  resolution: boolean;
  createdBy: string | null;
  createdAt: string | null;
}

export interface PsaContact {
  id: string;
  companyIdentifier: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  title: string | null;
  vip: boolean;
  active: boolean;
}

export interface PsaMember {
  identifier: string;
  firstName: string;
  lastName: string;
  email: string;
  role: string | null;
}

export interface PsaConfiguration {
  id: string;
  name: string;
  serial: string | null;
  assetTag: string | null;
  type: string | null;
  companyIdentifier: string;
  contactEmail: string | null;
}

export interface PsaAgreement {
  id: string;
  name: string;
  companyIdentifier: string;
  /** Categories / work the agreement covers, as the PSA records it. */
  coveredWork: string[];
  active: boolean;
}

export interface CreatePsaTicket {
  companyIdentifier: string;
  summary: string;
  description: string;
  contactEmail?: string | null;
  board?: string;
  status?: string;
  priority?: string;
  parentId?: string | null;
}

export interface PsaTimeEntry {
  memberIdentifier: string;
  start: string;
  end: string;
  hours: number;
  /** By its name in the PSA: ConnectWise work type, HaloPSA charge type, Autotask work type (billing code). */
  workType: string;
  /** Charged to the client on top of any agreement (false = not billed, or covered by `agreementId`). */
  billable: boolean;
  notes: string;
  /**
   * The agreement / contract the work is logged against (covered work): ConnectWise `agreement`,
   * HaloPSA `actioncontractid`, Autotask `contractID`. Null/absent = no agreement.
   */
  agreementId?: string | null;
}

export interface PsaTicketQuery {
  companyIdentifier?: string;
  openOnly?: boolean;
  updatedSince?: string;
  summaryContains?: string;
  limit?: number;
}

/** One interface, three vendors (ConnectWise PSA, HaloPSA, Autotask); chosen per MSP client by configuration. */
export interface PsaClient {
  readonly system: PsaSystem;
  getTicket(id: string): Promise<PsaTicket>;
  findTickets(query: PsaTicketQuery): Promise<PsaTicket[]>;
  createTicket(input: CreatePsaTicket): Promise<PsaTicket>;
  /** Status by its name on the ticket's board (each vendor maps names to its own ids). */
  setStatus(id: string, status: string): Promise<void>;
  /** Move to another board/queue, optionally with a priority and an owner. */
  route(id: string, to: { board: string; priority?: string; ownerIdentifier?: string | null }): Promise<void>;
  addNote(id: string, note: { text: string; internal: boolean; resolution?: boolean }): Promise<PsaNote>;
  listNotes(id: string): Promise<PsaNote[]>;
  /** The ticket and its notes, in as few calls as the vendor allows (intake reads both on every callback). */
  getTicketWithNotes(id: string): Promise<{ ticket: PsaTicket; notes: PsaNote[] }>;
  addTimeEntry(id: string, entry: PsaTimeEntry): Promise<{ id: string }>;
  createChildTicket(parentId: string, input: CreatePsaTicket): Promise<PsaTicket>;
  /**
   * Only where creating a child is two calls (ConnectWise: create, then attachChildren): the second one on
   * its own, so a retry after a crash between them attaches the child it finds instead of opening another.
   */
  attachChildTicket?(parentId: string, childId: string): Promise<void>;
  getContact(id: string): Promise<PsaContact>;
  findContactByEmail(email: string): Promise<PsaContact | null>;
  listContacts(companyIdentifier: string): Promise<PsaContact[]>;
  listConfigurations(companyIdentifier: string): Promise<PsaConfiguration[]>;
  listMembers(): Promise<PsaMember[]>;
  listAgreements(companyIdentifier: string): Promise<PsaAgreement[]>;
}
