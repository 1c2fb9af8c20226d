import { z } from 'zod';

/** Runbook categories (what a runbook document can be about). */
export const RUNBOOK_CATEGORIES = [
  'password_reset', 'account_unlock', 'mfa_reenroll', 'group_membership', 'distribution_list',
  'software_install', 'software_reinstall', 'vpn_connectivity', 'wifi_connectivity', 'printer',
  'onboarding', 'offboarding', 'email_issue', 'service_restart', 'security_incident',
] as const;
export const RunbookCategory = z.enum(RUNBOOK_CATEGORIES);
export type RunbookCategory = z.infer<typeof RunbookCategory>;

/** Ticket categories: the runbook categories plus two that never have a runbook. */
export const TICKET_CATEGORIES = [...RUNBOOK_CATEGORIES, 'hardware', 'other'] as const;
export const TicketCategory = z.enum(TICKET_CATEGORIES);
export type TicketCategory = z.infer<typeof TicketCategory>;

/** The action catalog. Fixed in code: a model never adds to it. */
export const ACTIONS = [
  'reset_password', 'unlock_account', 'reenroll_mfa', 'add_to_group', 'remove_from_group',
  'add_to_distribution_list', 'install_software', 'reinstall_software', 'restart_service',
  'clear_print_queue', 'disable_account', 'create_account',
] as const;
export const ActionName = z.enum(ACTIONS);
export type ActionName = z.infer<typeof ActionName>;

/** Ordered weakest → strictest; "the stricter rule wins" compares indexes. */
export const IDENTITY_RULES = ['none', 'contact_on_file', 'manager_approval'] as const;
export const IdentityRule = z.enum(IDENTITY_RULES);
export type IdentityRule = z.infer<typeof IdentityRule>;

export const AUTOMATION_MODES = ['off', 'shadow', 'autonomous'] as const;
export const AutomationMode = z.enum(AUTOMATION_MODES);
export type AutomationMode = z.infer<typeof AutomationMode>;

export const PSA_SYSTEMS = ['connectwise', 'halopsa', 'autotask'] as const;
export const PsaSystem = z.enum(PSA_SYSTEMS);
export type PsaSystem = z.infer<typeof PsaSystem>;

export const DOCS_SYSTEMS = ['itglue', 'hudu', 'confluence', 'markdown'] as const;
export const DocsSystem = z.enum(DOCS_SYSTEMS);
export type DocsSystem = z.infer<typeof DocsSystem>;

export const RMM_SYSTEMS = ['ninjaone', 'datto'] as const;
export const RmmSystem = z.enum(RMM_SYSTEMS);
export type RmmSystem = z.infer<typeof RmmSystem>;

export const CHANNELS = ['psa_webhook', 'email', 'portal', 'chat', 'alert', 'sms', 'phone'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;
