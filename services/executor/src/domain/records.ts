/**
 * The client's records the executor decides on: who people are (PSA contacts), what accounts are
 * (identity), what groups, devices and catalog titles exist. Plain data, read through the
 * `ClientDirectory` port so the rules never depend on a vendor's wire format.
 */
export type AccountType = 'member' | 'shared_mailbox' | 'shared_account' | 'service' | 'admin';

export interface ContactRecord {
  id: string;
  clientIdentifier: string;
  firstName: string;
  lastName: string;
  email: string | null;
  /** The mobile on file: the only number a code or a temporary password is ever sent to. */
  mobile: string | null;
  managerContactId: string | null;
  authorizedApprover: boolean;
  vip: boolean;
  upn: string | null;
  active: boolean;
  department: string | null;
  title: string | null;
}

export interface MfaMethodRecord {
  id: string;
  type: 'microsoftAuthenticator' | 'phone' | 'fido2' | 'email' | 'other';
  detail: string | null;
}

export interface UserRecord {
  upn: string;
  displayName: string;
  /** null = the directory does not say; the rules then treat the account as not automatable. */
  accountType: AccountType | null;
  accountEnabled: boolean;
  lockedOut: boolean | null;
  passwordLastSet: string | null;
  managerUpn: string | null;
  department: string | null;
  groups: string[];
  mfaMethods: MfaMethodRecord[];
}

export interface GroupRecord {
  name: string;
  type: 'security' | 'distribution' | 'm365';
  privileged: boolean;
  selfServiceAllowed: boolean;
  owners: string[];
  description: string;
}

export interface DeviceRecord {
  id: string;
  hostname: string;
  type: 'workstation' | 'laptop' | 'server' | 'printer' | 'firewall' | 'other';
  ownerUpn: string | null;
  online: boolean;
  installedSoftware: Array<{ name: string; version: string | null }>;
  services: Array<{ name: string; status: 'running' | 'stopped' }>;
}

export interface CatalogTitle {
  name: string;
  version: string | null;
  approved: boolean;
  installScript: string | null;
}

export interface RmmScriptDef {
  name: string;
  kind: 'install' | 'action';
  parameters: string[];
  description: string;
}

/** Everything the planner may read about one client, loaded once per decision. */
export interface ClientSnapshot {
  clientIdentifier: string;
  domains: string[];
  contacts: ContactRecord[];
  groups: GroupRecord[];
  devices: DeviceRecord[];
  catalog: CatalogTitle[];
  scripts: RmmScriptDef[];
  /** The client's VPN portal (install scripts of VPN clients preset it). */
  vpnPortal: string | null;
  /** Hybrid identity: the domain controller hostname that runs Unlock-ADAccount, if any. */
  domainController: string | null;
  /** The MSP's own alert integrations' sender addresses (their tickets are filed by no person). */
  alertSenders?: string[];
  /** Users by lower-case UPN, fetched on demand (only the ones the ticket names). */
  users: Map<string, UserRecord>;
}

export interface ClientDirectory {
  /** Loads the client's records, with the named users and devices read live from the vendors. */
  snapshot(clientIdentifier: string, focus: { upns: string[]; hostnames: string[] }): Promise<ClientSnapshot>;
  /** Contacts only (matching the sender of a reply against the records on file). */
  contacts(clientIdentifier: string): Promise<ContactRecord[]>;
}

export const lc = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

export function contactByEmail(s: ClientSnapshot, email: string | null): ContactRecord | null {
  if (!email) return null;
  return s.contacts.find((c) => lc(c.email) === lc(email)) ?? null;
}

export function contactByUpn(s: ClientSnapshot, upn: string | null): ContactRecord | null {
  if (!upn) return null;
  return s.contacts.find((c) => lc(c.upn) === lc(upn)) ?? null;
}

export function contactById(s: ClientSnapshot, id: string | null): ContactRecord | null {
  if (!id) return null;
  return s.contacts.find((c) => c.id === id) ?? null;
}

export function userOf(s: ClientSnapshot, upn: string | null): UserRecord | null {
  if (!upn) return null;
  return s.users.get(lc(upn)) ?? null;
}

export function groupByName(s: ClientSnapshot, name: string | null): GroupRecord | null {
  if (!name) return null;
  return s.groups.find((g) => lc(g.name) === lc(name)) ?? null;
}

export function deviceByHostname(s: ClientSnapshot, hostname: string | null): DeviceRecord | null {
  if (!hostname) return null;
  return s.devices.find((d) => lc(d.hostname) === lc(hostname)) ?? null;
}

export function catalogTitle(s: ClientSnapshot, name: string | null): CatalogTitle | null {
  if (!name) return null;
  return s.catalog.find((t) => lc(t.name) === lc(name)) ?? null;
}

/** Last four digits of a phone number, for "sent to your mobile ending 1234" (never the full number). */
export function phoneTail(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.slice(-4);
}

/** Digits only, so "+1-555-0110" and "+15550110" compare equal. */
export function normalizePhone(phone: string | null | undefined): string {
  return (phone ?? '').replace(/\D/g, '');
}

/**
 * The services of a device: what the RMM reports now wins; services only the MSP's records know stay.
 * Datto RMM has no service inventory (its monitors list only the services they have seen), so its live
 * list alone would make every unmonitored service look absent.
 */
export function mergeServices(
  live: ReadonlyArray<{ name: string; status: 'running' | 'stopped' }>,
  onRecord: ReadonlyArray<{ name: string; status: 'running' | 'stopped' }>,
): Array<{ name: string; status: 'running' | 'stopped' }> {
  const seen = new Set(live.map((s) => lc(s.name)));
  return [...live.map((s) => ({ ...s })), ...onRecord.filter((s) => !seen.has(lc(s.name))).map((s) => ({ ...s }))];
}
