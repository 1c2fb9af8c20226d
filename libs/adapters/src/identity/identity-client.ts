/** An Entra ID user as Microsoft Graph v1.0 returns it (the subset the desk needs). */
export interface IdentityUser {
  id: string;
  upn: string;
  displayName: string;
  accountEnabled: boolean;
  /** Sign-in lockout state; null where the directory does not expose it. */
  lockedOut: boolean | null;
  lastPasswordChangeDateTime: string | null;
  jobTitle: string | null;
  department: string | null;
  managerUpn: string | null;
  /** Sessions issued before this instant are revoked (moves on revokeSignInSessions). */
  signInSessionsValidFromDateTime?: string | null;
  mobilePhone?: string | null;
  /** Graph `employeeType`; the sandbox carries the account kind here (member, shared_account, service...). */
  employeeType?: string | null;
}

export interface IdentityGroup {
  id: string;
  displayName: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
}

export interface AuthMethod {
  id: string;
  /** Graph `@odata.type`, e.g. `#microsoft.graph.phoneAuthenticationMethod`. */
  odataType: string;
  detail: string | null;
}

/** Microsoft Graph (Entra ID) for one client tenant. */
export interface IdentityClient {
  getUser(upn: string): Promise<IdentityUser | null>;
  resetPassword(upn: string, temporaryPassword: string, forceChangeAtNextSignIn: boolean): Promise<void>;
  revokeSessions(upn: string): Promise<void>;
  setAccountEnabled(upn: string, enabled: boolean): Promise<void>;
  /** Clears a sign-in lockout where the tenant allows it (sandbox/extension); hybrid AD unlocks go through the RMM. */
  unlock(upn: string): Promise<void>;
  findGroup(displayName: string): Promise<IdentityGroup | null>;
  listGroupMembers(groupId: string): Promise<IdentityUser[]>;
  listUserGroups(upn: string): Promise<IdentityGroup[]>;
  addGroupMember(groupId: string, upn: string): Promise<void>;
  removeGroupMember(groupId: string, upn: string): Promise<void>;
  listAuthMethods(upn: string): Promise<AuthMethod[]>;
  deleteAuthMethod(upn: string, method: AuthMethod): Promise<void>;
  createUser(input: { upn: string; displayName: string; department?: string; jobTitle?: string; temporaryPassword: string }): Promise<IdentityUser>;
}
