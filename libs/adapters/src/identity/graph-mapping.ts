import type { AuthMethod, IdentityGroup, IdentityUser } from './identity-client';

/** The user properties the desk reads (Graph returns most of them only when `$select`ed). */
export const USER_SELECT = [
  'id', 'userPrincipalName', 'displayName', 'accountEnabled', 'lastPasswordChangeDateTime', 'jobTitle', 'department',
  'signInSessionsValidFromDateTime', 'mobilePhone', 'employeeType',
] as const;
export const GROUP_SELECT = ['id', 'displayName', 'mailEnabled', 'securityEnabled'] as const;

/**
 * Default directory extension property carrying sign-in lockout (the sandbox's; a tenant that syncs
 * lockout from AD registers its own `extension_<appId>_<name>`). Not a Graph v1.0 base property.
 */
export const DEFAULT_LOCKOUT_PROPERTY = 'extension_sandbox_signInLockedOut';

export type GraphObject = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function toIdentityUser(o: GraphObject, lockoutProperty: string | null): IdentityUser {
  const manager = o.manager && typeof o.manager === 'object' ? (o.manager as GraphObject) : null;
  const lock = lockoutProperty ? o[lockoutProperty] : undefined;
  return {
    id: String(o.id),
    upn: String(o.userPrincipalName),
    displayName: str(o.displayName) ?? '',
    accountEnabled: o.accountEnabled === true,
    lockedOut: typeof lock === 'boolean' ? lock : null,
    lastPasswordChangeDateTime: str(o.lastPasswordChangeDateTime),
    jobTitle: str(o.jobTitle),
    department: str(o.department),
    managerUpn: manager ? str(manager.userPrincipalName) : null,
    signInSessionsValidFromDateTime: str(o.signInSessionsValidFromDateTime),
    mobilePhone: str(o.mobilePhone),
    employeeType: str(o.employeeType),
  };
}

export function toIdentityGroup(o: GraphObject): IdentityGroup {
  return { id: String(o.id), displayName: str(o.displayName) ?? '', mailEnabled: o.mailEnabled === true, securityEnabled: o.securityEnabled === true };
}

/** `@odata.type` → the type-specific collection that deletes that kind of method. */
export const METHOD_COLLECTIONS: Record<string, string> = {
  '#microsoft.graph.phoneAuthenticationMethod': 'phoneMethods',
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': 'microsoftAuthenticatorMethods',
  '#microsoft.graph.fido2AuthenticationMethod': 'fido2Methods',
  '#microsoft.graph.emailAuthenticationMethod': 'emailMethods',
  '#microsoft.graph.softwareOathAuthenticationMethod': 'softwareOathMethods',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': 'windowsHelloForBusinessMethods',
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': 'temporaryAccessPassMethods',
};

export function toAuthMethod(o: GraphObject): AuthMethod {
  const detail = str(o.phoneNumber) ?? str(o.emailAddress) ?? str(o.displayName) ?? str(o.model) ?? null;
  return { id: String(o.id), odataType: String(o['@odata.type'] ?? ''), detail };
}

/** OData string literal: single quotes doubled. */
export const odataString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
