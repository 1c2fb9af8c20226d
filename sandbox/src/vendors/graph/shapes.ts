import type { MfaMethod } from '../../core/world';
import type { GroupRecord, UserDoc } from './directory';
import { guidFor, userIdFor, WELL_KNOWN_METHOD_IDS } from './ids';
import type { Tenant } from './tenants';

/**
 * Sign-in lockout is not a Graph property (Entra smart lockout is invisible to Graph). The sandbox exposes
 * it as a directory extension property, readable with `$select` and writable with PATCH, the way a tenant
 * that syncs lockout from on-premises AD would register one. A password reset also clears it.
 */
export const LOCKOUT_PROPERTY = 'extension_sandbox_signInLockedOut';

/** What `GET /users` returns without `$select` (Graph v1.0's default property set). */
export const USER_DEFAULT_PROPS = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'] as const;

export const USER_PROPS: ReadonlySet<string> = new Set([
  ...USER_DEFAULT_PROPS, 'accountEnabled', 'department', 'companyName', 'createdDateTime', 'lastPasswordChangeDateTime',
  'signInSessionsValidFromDateTime', 'userType', 'usageLocation', 'mailNickname', 'passwordPolicies', 'onPremisesSyncEnabled',
  'employeeType', 'assignedLicenses', LOCKOUT_PROPERTY,
]);
export const USER_FILTER_PROPS: ReadonlySet<string> = new Set(['userPrincipalName', 'mail', 'displayName', 'givenName', 'surname', 'id', 'accountEnabled', 'department', 'jobTitle', 'mailNickname', 'userType', 'employeeType']);

const skuId = (name: string): string => guidFor('graph-sku', name);

export function userJson(t: Tenant, u: UserDoc): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.user',
    id: userIdFor(u.upn),
    businessPhones: [],
    displayName: u.displayName,
    givenName: u.givenName ?? null,
    jobTitle: u.jobTitle || null,
    mail: u.mail ?? null,
    mobilePhone: u.mobilePhone ?? null,
    officeLocation: u.officeLocation ?? null,
    preferredLanguage: 'en-US',
    surname: u.surname ?? null,
    userPrincipalName: u.upn,
    accountEnabled: u.accountEnabled,
    department: u.department || null,
    companyName: t.client.name,
    createdDateTime: u.createdDateTime ?? null,
    lastPasswordChangeDateTime: u.passwordLastSet,
    signInSessionsValidFromDateTime: u.signInSessionsValidFromDateTime ?? null,
    userType: 'Member',
    usageLocation: u.usageLocation ?? null,
    mailNickname: u.mailNickname ?? u.upn.split('@')[0],
    passwordPolicies: null,
    // Whitfield & Crane runs hybrid AD (its DC syncs users), the other clients are cloud-only.
    onPremisesSyncEnabled: t.client.devices.some((d) => d.type === 'server' && /-DC\d/i.test(d.hostname)) ? true : null,
    // The seed's account kinds, in the Graph property that carries such labels.
    employeeType: u.accountType,
    assignedLicenses: u.licenses.map((l) => ({ disabledPlans: [], skuId: skuId(l) })),
    [LOCKOUT_PROPERTY]: u.lockedOut,
  };
}

export const GROUP_DEFAULT_PROPS = ['id', 'displayName', 'description', 'mail', 'mailEnabled', 'mailNickname', 'securityEnabled', 'groupTypes', 'createdDateTime', 'visibility'] as const;
export const GROUP_PROPS: ReadonlySet<string> = new Set([...GROUP_DEFAULT_PROPS, 'isAssignableToRole']);
export const GROUP_FILTER_PROPS: ReadonlySet<string> = new Set(['displayName', 'mail', 'mailNickname', 'id', 'securityEnabled', 'mailEnabled']);

export function groupJson(t: Tenant, g: GroupRecord): Record<string, unknown> {
  const nick = g.name.replace(/[^A-Za-z0-9-]/g, '');
  const mailEnabled = g.type !== 'security';
  return {
    '@odata.type': '#microsoft.graph.group',
    id: g.id,
    displayName: g.name,
    description: g.description,
    mail: mailEnabled ? `${nick.toLowerCase()}@${t.domain}` : null,
    mailEnabled,
    mailNickname: nick,
    securityEnabled: g.type === 'security',
    groupTypes: g.type === 'm365' ? ['Unified'] : [],
    createdDateTime: null,
    visibility: g.type === 'm365' ? 'Private' : null,
    // Role-assignable groups are the closest Graph notion of the seed's privileged groups; Graph itself
    // still lets an app change their members, so refusing them is the desk's job.
    isAssignableToRole: g.privileged,
  };
}

/** The path segment of each type-specific method collection. */
export const METHOD_SEGMENTS = {
  phoneMethods: 'phone',
  microsoftAuthenticatorMethods: 'microsoftAuthenticator',
  fido2Methods: 'fido2',
  emailMethods: 'email',
} as const satisfies Record<string, MfaMethod['type']>;
export type MethodSegment = keyof typeof METHOD_SEGMENTS;

const METHOD_TYPES: Record<MfaMethod['type'], string> = {
  phone: '#microsoft.graph.phoneAuthenticationMethod',
  microsoftAuthenticator: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  fido2: '#microsoft.graph.fido2AuthenticationMethod',
  email: '#microsoft.graph.emailAuthenticationMethod',
};

export function methodId(upn: string, m: MfaMethod): string {
  if (m.type === 'phone') return WELL_KNOWN_METHOD_IDS.mobilePhone;
  if (m.type === 'email') return WELL_KNOWN_METHOD_IDS.email;
  return guidFor('graph-method', upn.toLowerCase(), m.type, m.detail);
}

export function methodJson(u: UserDoc, m: MfaMethod): Record<string, unknown> {
  const base = { '@odata.type': METHOD_TYPES[m.type], id: methodId(u.upn, m) };
  switch (m.type) {
    case 'phone':
      return { ...base, phoneNumber: graphPhone(m.detail), phoneType: 'mobile', smsSignInState: 'notAllowedByPolicy' };
    case 'email':
      return { ...base, emailAddress: m.detail };
    case 'microsoftAuthenticator':
      return { ...base, displayName: m.detail, deviceTag: 'SoftwareTokenActivated', phoneAppVersion: '6.2401.0119', createdDateTime: u.createdDateTime ?? null };
    case 'fido2':
      return { ...base, displayName: m.detail, model: m.detail, aaGuid: guidFor('graph-aaguid', m.detail), attestationLevel: 'attested', createdDateTime: u.createdDateTime ?? null };
  }
}

/** Every user has a password method (fixed id) besides the strong methods from the seed. */
export function passwordMethodJson(u: UserDoc): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: WELL_KNOWN_METHOD_IDS.password, password: null, createdDateTime: u.passwordLastSet };
}

/** Graph writes phone methods as `+{country code} {subscriber number}`, e.g. `+1 5550110`. */
function graphPhone(detail: string): string {
  const digits = detail.replace(/[^\d+]/g, '');
  return digits.startsWith('+1') ? `+1 ${digits.slice(2)}` : digits;
}
