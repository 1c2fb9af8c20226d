/**
 * What triage knows about one MSP client's people and things, as plain records. Built from the PSA
 * (contacts, configurations), the RMM (devices) and the identity system (users, groups) by an adapter.
 */
export interface DirContact {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  upn: string | null;
  vip: boolean;
  active: boolean;
  authorizedApprover: boolean;
  managerContactId: string | null;
}

export interface DirUser {
  upn: string;
  displayName: string;
  /** member | shared_mailbox | shared_account | service | admin (unknown when the source does not say). */
  accountType: string;
  enabled: boolean;
  groups: string[];
}

export interface DirGroup {
  name: string;
  type: 'security' | 'distribution' | 'm365' | 'unknown';
  privileged: boolean;
}

export interface DirDevice {
  id: string;
  hostname: string;
  serial: string | null;
  assetTag: string | null;
  type: string | null;
  ownerUpn: string | null;
  online: boolean | null;
  services: string[];
  /** Installed titles where the inventory says (empty = unknown). */
  software?: string[];
}

export interface DirSoftware {
  name: string;
  approved: boolean;
}

export interface ClientDirectory {
  identifier: string;
  name: string;
  domains: string[];
  timezone: string;
  businessHours: { days: number[]; start: string; end: string };
  contacts: DirContact[];
  users: DirUser[];
  groups: DirGroup[];
  devices: DirDevice[];
  software: DirSoftware[];
}

/** Group names that mean elevated rights wherever they appear (used when the source has no privileged flag). */
export const PRIVILEGED_GROUP_NAME = /(^|[-_\s])(domain admins|enterprise admins|schema admins|global administrators?|administrators|.*admins?|.*approvers?|payroll|.*-management|hr-confidential|executives?)([-_\s]|$)/i;
