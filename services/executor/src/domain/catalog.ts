import { z } from 'zod';
import { ActionName } from '@desk/contracts';

/**
 * The action catalog: fixed in code, never chosen or extended by a model. Each entry says what it
 * needs (typed parameters), which systems it touches, how risky it is and how the verifier proves it.
 */
const upn = z.string().email().max(254);
const name = z.string().min(1).max(200);

export const ActionParamSchemas = {
  reset_password: z.object({ upn }),
  unlock_account: z.object({ upn, domainController: z.string().nullable(), samAccountName: z.string().nullable() }),
  reenroll_mfa: z.object({ upn }),
  add_to_group: z.object({ upn, group: name }),
  remove_from_group: z.object({ upn, group: name }),
  add_to_distribution_list: z.object({ upn, group: name }),
  install_software: z.object({ hostname: name, deviceId: name, software: name, script: name, version: z.string().nullable(), args: z.array(z.string()).max(10) }),
  reinstall_software: z.object({ hostname: name, deviceId: name, software: name, version: z.string().nullable() }),
  restart_service: z.object({ hostname: name, deviceId: name, service: name }),
  clear_print_queue: z.object({ hostname: name, deviceId: name, printer: z.string().max(200) }),
  disable_account: z.object({ upn }),
  create_account: z.object({
    upn, displayName: name, department: z.string().nullable(), jobTitle: z.string().nullable(),
    templateUpn: upn.nullable(), groups: z.array(name).max(50),
  }),
} as const satisfies Record<ActionName, z.ZodType>;

export type ActionParams<A extends ActionName> = z.infer<(typeof ActionParamSchemas)[A]>;

export type Risk = 'low' | 'medium' | 'high';
export type Surface = 'identity' | 'rmm';

export interface ActionSpec {
  action: ActionName;
  surface: Surface;
  risk: Risk;
  /** The vendor calls it makes, for the plan note (what a technician would see). */
  calls: string[];
  /** The verifier's check, in words. */
  check: string;
  /** Sensitive to impersonation: identity rule `none` is never accepted for it, whatever a header says. */
  needsIdentity: boolean;
  /** The parameter that names the target, for the idempotency key. */
  target: (p: Record<string, unknown>) => string;
}

const byUpn = (p: Record<string, unknown>) => String(p.upn);

export const CATALOG: Record<ActionName, ActionSpec> = {
  reset_password: {
    action: 'reset_password', surface: 'identity', risk: 'high', needsIdentity: true, target: byUpn,
    calls: ['Graph: reset password (temporary, change at next sign-in)', 'Graph: clear sign-in lockout', 'SMS: temporary password to the mobile on file'],
    check: 'passwordLastSet advanced past the execution start and lockedOut is false',
  },
  unlock_account: {
    action: 'unlock_account', surface: 'identity', risk: 'medium', needsIdentity: true, target: byUpn,
    calls: ['Graph: clear sign-in lockout', 'RMM: Unlock-ADAccount on the domain controller (hybrid tenants)'],
    check: 'lockedOut is false',
  },
  reenroll_mfa: {
    action: 'reenroll_mfa', surface: 'identity', risk: 'high', needsIdentity: true, target: byUpn,
    calls: ['Graph: list authentication methods', 'Graph: delete phone and Authenticator methods', 'Graph: revoke sign-in sessions'],
    check: 'no phone or Microsoft Authenticator method remains (re-registration required)',
  },
  add_to_group: {
    action: 'add_to_group', surface: 'identity', risk: 'medium', needsIdentity: true,
    target: (p) => `${String(p.upn)}>${String(p.group)}`,
    calls: ['Graph: find group', 'Graph: add member'],
    check: 'the user is in the group\'s member list',
  },
  remove_from_group: {
    action: 'remove_from_group', surface: 'identity', risk: 'medium', needsIdentity: true,
    target: (p) => `${String(p.upn)}>${String(p.group)}`,
    calls: ['Graph: find group', 'Graph: remove member'],
    check: 'the user is no longer in the group\'s member list',
  },
  add_to_distribution_list: {
    action: 'add_to_distribution_list', surface: 'identity', risk: 'low', needsIdentity: true,
    target: (p) => `${String(p.upn)}>${String(p.group)}`,
    calls: ['Graph: find list', 'Graph: add member'],
    check: 'the user is in the list\'s member list',
  },
  install_software: {
    action: 'install_software', surface: 'rmm', risk: 'medium', needsIdentity: false,
    target: (p) => `${String(p.hostname)}>${String(p.software)}`,
    calls: ['RMM: catalog install script', 'RMM: Refresh-SoftwareInventory'],
    check: 'after Refresh-SoftwareInventory the title is in the device inventory',
  },
  reinstall_software: {
    action: 'reinstall_software', surface: 'rmm', risk: 'low', needsIdentity: false,
    target: (p) => `${String(p.hostname)}>${String(p.software)}`,
    calls: ['RMM: Reinstall-CatalogSoftware', 'RMM: Refresh-SoftwareInventory'],
    check: 'after Refresh-SoftwareInventory the title is in the device inventory',
  },
  restart_service: {
    action: 'restart_service', surface: 'rmm', risk: 'low', needsIdentity: false,
    target: (p) => `${String(p.hostname)}>${String(p.service)}`,
    calls: ['RMM: Restart-WindowsService'],
    check: 'the service reports running',
  },
  clear_print_queue: {
    action: 'clear_print_queue', surface: 'rmm', risk: 'low', needsIdentity: false,
    target: (p) => `${String(p.hostname)}>${String(p.printer) || '*'}`,
    calls: ['RMM: Clear-PrintQueue'],
    check: 'the Spooler service reports running on the queue holder',
  },
  disable_account: {
    action: 'disable_account', surface: 'identity', risk: 'high', needsIdentity: true, target: byUpn,
    calls: ['Graph: disable account', 'Graph: revoke sign-in sessions'],
    check: 'accountEnabled is false',
  },
  create_account: {
    action: 'create_account', surface: 'identity', risk: 'high', needsIdentity: true, target: byUpn,
    calls: ['Graph: create user (temporary password)', 'Graph: add template group memberships'],
    check: 'the account exists with the template groups and no privileged group',
  },
};

/** Which category a runbook header action may serve (a header never widens what a category allows). */
export const ACTIONS_BY_CATEGORY: Record<string, ActionName[]> = {
  password_reset: ['reset_password'],
  account_unlock: ['unlock_account'],
  mfa_reenroll: ['reenroll_mfa'],
  group_membership: ['add_to_group', 'remove_from_group'],
  distribution_list: ['add_to_distribution_list'],
  software_install: ['install_software'],
  software_reinstall: ['reinstall_software'],
  email_issue: ['reinstall_software'],
  vpn_connectivity: ['reinstall_software'],
  wifi_connectivity: ['restart_service'],
  service_restart: ['restart_service'],
  printer: ['clear_print_queue'],
  offboarding: ['disable_account'],
  onboarding: ['create_account'],
};

/** ticket + action + target: the same action on the same target in the same ticket runs once. */
export function idempotencyKey(ticketId: string, action: ActionName, params: Record<string, unknown>): string {
  return `${ticketId}:${action}:${CATALOG[action].target(params).toLowerCase()}`;
}

export function parseParams<A extends ActionName>(action: A, params: unknown): ActionParams<A> {
  return ActionParamSchemas[action].parse(params) as ActionParams<A>;
}
