/** Types of the demo world files (see seed/demo-msp/README.md). */
export interface MspMember { identifier: string; firstName: string; lastName: string; email: string; role: 'l1' | 'l2' | 'l3' | 'security' | 'manager'; onCall: boolean }
export interface BoardStatus { name: string; closed: boolean }
export interface Board { name: string; statuses: BoardStatus[] }
export interface RmmScript { name: string; kind: 'install' | 'action'; parameters: string[]; description: string }

export interface Msp {
  name: string; domain: string; timezone: string; referenceDate: string; phone: string; onCallPhone: string;
  alertSender: string; clientFiles: string[]; members: MspMember[]; boards: Board[];
  workTypes: Array<{ name: string; billable: boolean }>; priorities: Array<{ name: string; level: number }>;
  baselineMinutesPerCategory: Record<string, number>;
  runbookPolicy: { staleAfterDays: number; automateStaleRunbooks: boolean; identityVerificationStrictness: string[] };
  rmmScripts: RmmScript[];
}

export interface Contact {
  id: number; firstName: string; lastName: string; email: string; phone: string | null; mobile: string | null;
  title: string; department: string; managerContactId: number | null; authorizedApprover: boolean; vip: boolean;
  upn: string | null; active: boolean;
}
export interface MfaMethod { type: 'microsoftAuthenticator' | 'phone' | 'fido2' | 'email'; detail: string }
export interface User {
  upn: string; displayName: string; accountType: 'member' | 'shared_mailbox' | 'shared_account' | 'service' | 'admin';
  department: string; jobTitle: string; accountEnabled: boolean; lockedOut: boolean; passwordLastSet: string;
  mfaMethods: MfaMethod[]; groups: string[]; licenses: string[]; managerUpn: string | null;
}
export interface Group { name: string; type: 'security' | 'distribution' | 'm365'; privileged: boolean; selfServiceAllowed: boolean; owners: string[]; description: string }
export interface Device {
  id: number; hostname: string; serial: string; assetTag: string; os: string;
  type: 'workstation' | 'laptop' | 'server' | 'printer' | 'firewall'; ownerUpn: string | null; online: boolean; lastSeen: string;
  installedSoftware: Array<{ name: string; version: string }>; services: Array<{ name: string; status: 'running' | 'stopped' }>;
}
export interface CatalogTitle { name: string; version: string; approved: boolean; installScript: string | null; requiresLicense: boolean }

export interface Client {
  id: number; identifier: string; name: string; domain: string; timezone: string;
  businessHours: { days: number[]; start: string; end: string };
  systems: { psa: 'connectwise' | 'halopsa' | 'autotask'; docs: 'itglue' | 'hudu' | 'confluence'; rmm: 'ninjaone' | 'datto'; identity: 'entra' };
  vpn: { product: string; portal: string } | null; wifi: { ssids: string[] } | null; printers: string[];
  contacts: Contact[]; users: User[]; groups: Group[]; devices: Device[]; softwareCatalog: CatalogTitle[];
  /** Client file's slug (file name without .json), also the runbooks folder name. */
  slug: string;
}

export interface RunbookFile {
  /** `_global` or the client slug. */
  folder: string;
  fileName: string;
  /** Full Markdown text including the front matter, exactly as shipped. */
  text: string;
}

export interface World {
  msp: Msp;
  clients: Client[];
  runbooks: RunbookFile[];
  trainingTickets: Array<Record<string, unknown>>;
}
