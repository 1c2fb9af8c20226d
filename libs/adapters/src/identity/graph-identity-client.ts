import { IdentityConnection } from '../config/connections';
import { VendorNotFoundError, VendorRequestError, VendorResponseError } from '../http/errors';
import { HttpClient, type RetryPolicy } from '../http/http-client';
import { VendorCallObserver } from '../observe';
import type { AuthMethod, IdentityClient, IdentityGroup, IdentityUser } from './identity-client';
import {
  DEFAULT_LOCKOUT_PROPERTY, GROUP_SELECT, type GraphObject, METHOD_COLLECTIONS, odataString, toAuthMethod, toIdentityGroup, toIdentityUser, USER_SELECT,
} from './graph-mapping';
import { GraphTokenProvider } from './graph-token';

export interface GraphIdentityOptions {
  observe?: VendorCallObserver;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /** Directory extension property holding sign-in lockout; null when the tenant has none. */
  lockoutProperty?: string | null;
  /** `$top` of collection reads (Graph's maximum, 999, unless a test wants several pages). */
  pageSize?: number;
}

/** What Graph wants in `$ref` bodies: the canonical directoryObjects URL, whatever host we talk to. */
const DIRECTORY_OBJECTS = 'https://graph.microsoft.com/v1.0/directoryObjects/';

/**
 * `IdentityClient` over Microsoft Graph v1.0 with an app-only (client-credentials) token: Entra ID in
 * production, the sandbox's Graph in development and tests. Every vendor error surfaces as the typed
 * errors of `http/errors.ts` (404 on a missing user is `null` from `getUser`, an error elsewhere).
 */
export class GraphIdentityClient implements IdentityClient {
  private readonly http: HttpClient;
  private readonly tokens: GraphTokenProvider;
  private lockoutProperty: string | null;
  /** UPN (lower case) → object id; ids never change, so the cache never goes stale. */
  private readonly ids = new Map<string, string>();
  private readonly pageSize: number;

  constructor(conn: IdentityConnection, opts: GraphIdentityOptions = {}) {
    this.tokens = new GraphTokenProvider(conn, opts);
    this.http = new HttpClient({
      vendor: 'graph', baseUrl: conn.graphBaseUrl, timeoutMs: opts.timeoutMs, retry: opts.retry, onCall: opts.observe,
      authorize: (force) => this.tokens.headers(force),
    });
    this.pageSize = opts.pageSize ?? 999;
    this.lockoutProperty = opts.lockoutProperty === undefined ? DEFAULT_LOCKOUT_PROPERTY : opts.lockoutProperty;
  }

  async getUser(upn: string): Promise<IdentityUser | null> {
    const o = await this.fetchUser(upn);
    return o ? toIdentityUser(o, this.lockoutProperty) : null;
  }

  async resetPassword(upn: string, temporaryPassword: string, forceChangeAtNextSignIn: boolean): Promise<void> {
    await this.http.request({ method: 'PATCH', path: userPath(upn), json: { passwordProfile: { password: temporaryPassword, forceChangePasswordNextSignIn: forceChangeAtNextSignIn } } });
  }

  async revokeSessions(upn: string): Promise<void> {
    const res = await this.http.request<{ value?: unknown }>({ method: 'POST', path: `${userPath(upn)}/revokeSignInSessions` });
    if (res.body?.value !== true) throw new VendorResponseError(`graph revokeSignInSessions for ${upn} did not return true`, 'graph', res.status, res.text);
  }

  async setAccountEnabled(upn: string, enabled: boolean): Promise<void> {
    await this.http.request({ method: 'PATCH', path: userPath(upn), json: { accountEnabled: enabled } });
  }

  /** Clears the lockout extension property; a tenant without one cannot be unlocked through Graph (use the RMM). */
  async unlock(upn: string): Promise<void> {
    if (!this.lockoutProperty) throw new VendorRequestError('this tenant exposes no sign-in lockout property: unlock through the RMM (AD) instead', 'graph', null);
    await this.http.request({ method: 'PATCH', path: userPath(upn), json: { [this.lockoutProperty]: false } });
  }

  async findGroup(displayName: string): Promise<IdentityGroup | null> {
    const res = await this.http.request<{ value?: GraphObject[] }>({
      method: 'GET', path: '/groups', query: { $filter: `displayName eq ${odataString(displayName)}`, $select: GROUP_SELECT.join(',') },
    });
    const hit = (res.body?.value ?? []).find((g) => String(g.displayName).toLowerCase() === displayName.toLowerCase());
    return hit ? toIdentityGroup(hit) : null;
  }

  async listGroupMembers(groupId: string): Promise<IdentityUser[]> {
    const items = await this.withoutUnknownLockout(() => this.all(`/groups/${encodeURIComponent(groupId)}/members`, { $select: this.userSelect(), $top: this.pageSize }));
    return items.filter(isUser).map((o) => toIdentityUser(o, this.lockoutProperty));
  }

  async listUserGroups(upn: string): Promise<IdentityGroup[]> {
    const items = await this.all(`${userPath(upn)}/memberOf`, { $top: this.pageSize });
    return items.filter((o) => o['@odata.type'] === '#microsoft.graph.group').map(toIdentityGroup);
  }

  /** Idempotent: a user who is already a member is success (a retried add after a lost response). */
  async addGroupMember(groupId: string, upn: string): Promise<void> {
    const id = await this.resolveId(upn);
    try {
      await this.http.request({ method: 'POST', path: `/groups/${encodeURIComponent(groupId)}/members/$ref`, json: { '@odata.id': DIRECTORY_OBJECTS + id } });
    } catch (e) {
      if (e instanceof VendorRequestError && /already exist/i.test(e.body ?? '')) return;
      throw e;
    }
  }

  /** Idempotent: removing a non-member of an existing group is success; a missing group is an error. */
  async removeGroupMember(groupId: string, upn: string): Promise<void> {
    const id = await this.resolveId(upn);
    try {
      await this.http.request({ method: 'DELETE', path: `/groups/${encodeURIComponent(groupId)}/members/${id}/$ref` });
    } catch (e) {
      if (!(e instanceof VendorNotFoundError)) throw e;
      await this.http.request({ method: 'GET', path: `/groups/${encodeURIComponent(groupId)}`, query: { $select: 'id' } });
    }
  }

  async listAuthMethods(upn: string): Promise<AuthMethod[]> {
    return (await this.all(`${userPath(upn)}/authentication/methods`, {})).map(toAuthMethod);
  }

  /** Idempotent on 404 (already gone). The password method cannot be deleted (Graph has no such call). */
  async deleteAuthMethod(upn: string, method: AuthMethod): Promise<void> {
    const collection = METHOD_COLLECTIONS[method.odataType];
    if (!collection) throw new VendorRequestError(`graph cannot delete an authentication method of type ${method.odataType || 'unknown'}`, 'graph', null);
    try {
      await this.http.request({ method: 'DELETE', path: `${userPath(upn)}/authentication/${collection}/${encodeURIComponent(method.id)}` });
    } catch (e) {
      if (!(e instanceof VendorNotFoundError)) throw e;
      await this.resolveId(upn); // a missing user stays an error
    }
  }

  async createUser(input: { upn: string; displayName: string; department?: string; jobTitle?: string; temporaryPassword: string }): Promise<IdentityUser> {
    const res = await this.http.request<GraphObject>({
      method: 'POST', path: '/users',
      json: {
        accountEnabled: true, displayName: input.displayName, mailNickname: input.upn.split('@')[0], userPrincipalName: input.upn,
        ...(input.department ? { department: input.department } : {}), ...(input.jobTitle ? { jobTitle: input.jobTitle } : {}),
        passwordProfile: { password: input.temporaryPassword, forceChangePasswordNextSignIn: true },
      },
    });
    const o = res.body;
    if (!o || typeof o.id !== 'string') throw new VendorResponseError('graph POST /users returned no id', 'graph', res.status, null);
    this.ids.set(input.upn.toLowerCase(), o.id);
    // Read-back could hit replication lag in Entra; the created object is known from the request.
    return {
      id: o.id, upn: String(o.userPrincipalName ?? input.upn), displayName: input.displayName, accountEnabled: true,
      lockedOut: this.lockoutProperty ? false : null, lastPasswordChangeDateTime: null, jobTitle: input.jobTitle ?? null,
      department: input.department ?? null, managerUpn: null, signInSessionsValidFromDateTime: null, mobilePhone: null, employeeType: null,
    };
  }

  /** Object id of a user (cached); VendorNotFoundError when the tenant has no such user. */
  async resolveId(upn: string): Promise<string> {
    const known = this.ids.get(upn.toLowerCase());
    if (known) return known;
    const res = await this.http.request<GraphObject>({ method: 'GET', path: userPath(upn), query: { $select: 'id' } });
    const id = res.body?.id;
    if (typeof id !== 'string') throw new VendorResponseError(`graph user ${upn} without id`, 'graph', res.status, null);
    this.ids.set(upn.toLowerCase(), id);
    return id;
  }

  private userSelect(): string {
    return [...USER_SELECT, ...(this.lockoutProperty ? [this.lockoutProperty] : [])].join(',');
  }

  private async fetchUser(upn: string): Promise<GraphObject | null> {
    try {
      const res = await this.withoutUnknownLockout(() =>
        this.http.request<GraphObject>({ method: 'GET', path: userPath(upn), query: { $select: this.userSelect(), $expand: 'manager($select=id,userPrincipalName)' } }),
      );
      if (res.body && typeof res.body.id === 'string') this.ids.set(upn.toLowerCase(), res.body.id);
      return res.body;
    } catch (e) {
      if (e instanceof VendorNotFoundError) return null;
      throw e;
    }
  }

  /** A tenant without the lockout extension rejects a `$select` naming it: drop it for good and read again. */
  private async withoutUnknownLockout<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (e) {
      if (e instanceof VendorRequestError && this.lockoutProperty && (e.body ?? '').includes(this.lockoutProperty)) {
        this.lockoutProperty = null;
        return read();
      }
      throw e;
    }
  }

  /** Every item of a collection, following `@odata.nextLink`. */
  private async all(path: string, query: Record<string, string | number>): Promise<GraphObject[]> {
    const out: GraphObject[] = [];
    let next: string | null = path;
    let first = true;
    while (next) {
      const res: { body: { value?: GraphObject[]; '@odata.nextLink'?: string } } = await this.http.request({ method: 'GET', path: next, query: first ? query : undefined });
      out.push(...(res.body?.value ?? []));
      next = res.body?.['@odata.nextLink'] ?? null;
      first = false;
    }
    return out;
  }
}

const userPath = (upn: string): string => `/users/${encodeURIComponent(upn)}`;
const isUser = (o: GraphObject): boolean => o['@odata.type'] === undefined || o['@odata.type'] === '#microsoft.graph.user';
