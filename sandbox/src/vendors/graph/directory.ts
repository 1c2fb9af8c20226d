import type { SandboxStore } from '../../core/context';
import { Kinds } from '../../core/seed';
import type { Group, User } from '../../core/world';
import { groupIdFor, userIdFor } from './ids';
import type { Tenant } from './tenants';

/** Store id of a user: the UPN in lower case (the core's seed key; the RMM's Unlock-ADAccount patches it too). */
export const userKey = (upn: string): string => upn.toLowerCase();

/**
 * A user as the store keeps it: the seed's fields (lockedOut, passwordLastSet, mfaMethods, groups...) plus
 * the Graph properties the sandbox adds when they change. Memberships live on the user (`groups` = group
 * display names), as in the seed, so every vendor reading the store sees the same memberships.
 */
export interface UserDoc extends User {
  clientIdentifier?: string;
  givenName?: string | null;
  surname?: string | null;
  mobilePhone?: string | null;
  mail?: string | null;
  mailNickname?: string | null;
  createdDateTime?: string | null;
  signInSessionsValidFromDateTime?: string | null;
  forceChangePasswordNextSignIn?: boolean;
  officeLocation?: string | null;
  usageLocation?: string | null;
}

export interface GroupRecord extends Group {
  id: string;
}

/** Users and groups of one tenant (= one client), on top of the shared store. */
export class Directory {
  constructor(
    private readonly store: SandboxStore,
    readonly tenant: Tenant,
  ) {}

  private get scope(): string {
    return this.tenant.client.identifier;
  }

  async users(): Promise<UserDoc[]> {
    return (await this.store.list<UserDoc>(Kinds.user, { client: this.scope })).map((u) => this.withDefaults(u));
  }

  /**
   * By object id or by UPN (Graph accepts both in `/users/{id | userPrincipalName}`). Searching the tenant's
   * own users (a few dozen) rather than a keyed get keeps other tenants' users invisible.
   */
  async user(idOrUpn: string): Promise<UserDoc | null> {
    const key = idOrUpn.toLowerCase();
    return (await this.users()).find((u) => (key.includes('@') ? u.upn.toLowerCase() === key : userIdFor(u.upn) === key)) ?? null;
  }

  async patchUser(upn: string, patch: Partial<UserDoc>): Promise<UserDoc | null> {
    return this.store.patch<UserDoc>(Kinds.user, userKey(upn), patch);
  }

  async createUser(doc: UserDoc): Promise<UserDoc> {
    return this.store.put(Kinds.user, userKey(doc.upn), { ...doc, clientIdentifier: this.scope }, this.scope);
  }

  /** A UPN already taken anywhere (UPNs are unique across Entra, not only per tenant). */
  async upnTaken(upn: string): Promise<boolean> {
    return (await this.store.get(Kinds.user, userKey(upn))) !== null;
  }

  async groups(): Promise<GroupRecord[]> {
    const docs = await this.store.list<Group>(Kinds.group, { client: this.scope });
    return docs.map((g) => ({ ...g, id: groupIdFor(this.tenant.domain, g.name) }));
  }

  async group(id: string): Promise<GroupRecord | null> {
    const key = id.toLowerCase();
    return (await this.groups()).find((g) => g.id === key) ?? null;
  }

  async members(group: GroupRecord): Promise<UserDoc[]> {
    return (await this.users()).filter((u) => u.groups.some((n) => n.toLowerCase() === group.name.toLowerCase()));
  }

  /** Graph properties the seed does not carry, derived from the contact on file (stable across resets). */
  private withDefaults(u: UserDoc): UserDoc {
    const contact = this.tenant.client.contacts.find((c) => c.upn?.toLowerCase() === u.upn.toLowerCase()) ?? null;
    const person = u.accountType === 'member';
    const [first, ...rest] = u.displayName.replace(/^Dr\.\s+/, '').split(' ');
    const derived: Partial<UserDoc> = {
      givenName: contact?.firstName ?? (person ? first : null),
      surname: contact?.lastName ?? (person ? rest.join(' ') || null : null),
      mobilePhone: contact?.mobile ?? null,
      mail: u.upn,
      mailNickname: u.upn.split('@')[0],
      // Not in the seed: a stable creation date well before the last password change.
      createdDateTime: new Date(Date.parse(u.passwordLastSet) - ((parseInt(userIdFor(u.upn).slice(0, 4), 16) % 900) + 120) * 86_400_000).toISOString().slice(0, 19) + 'Z',
      signInSessionsValidFromDateTime: u.passwordLastSet,
      forceChangePasswordNextSignIn: false,
      officeLocation: null,
      usageLocation: 'US',
    };
    const out: UserDoc = { ...u };
    for (const [k, v] of Object.entries(derived)) if ((out as unknown as Record<string, unknown>)[k] === undefined) (out as unknown as Record<string, unknown>)[k] = v;
    return out;
  }
}
