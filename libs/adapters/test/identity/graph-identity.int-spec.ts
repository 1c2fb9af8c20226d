import { Client, HTTPMessageHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { startTestSandbox } from '../../../../sandbox/test/sandbox-harness';
import { GraphIdentityClient, GraphTokenProvider, IdentityConnection, VendorAuthError, VendorNotFoundError, VendorRequestError, VendorUnavailableError } from '@desk/adapters';

type Sb = Awaited<ReturnType<typeof startTestSandbox>>;

const conn = (sb: Sb, tenantId: string, clientSecret = 'sandbox-graph-secret'): IdentityConnection => ({
  system: 'entra', graphBaseUrl: `${sb.url}/graph/v1.0`, loginBaseUrl: `${sb.url}/login`, tenantId, clientId: 'sandbox-graph-client', clientSecret,
});

describe('GraphIdentityClient against the sandbox', () => {
  let sb: Sb;
  let contoso: GraphIdentityClient;
  const fast = { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } };

  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => {
    delete process.env.SANDBOX_GRAPH_TOKEN_TTL;
    delete process.env.SANDBOX_GRAPH_SIGNING_KEY;
    await sb?.stop();
  });
  beforeEach(async () => {
    await sb.reset();
    contoso = new GraphIdentityClient(conn(sb, 'contoso-dental.example'), fast);
  });

  it('reads a user with manager, lockout and password timestamp; missing user is null', async () => {
    const u = await contoso.getUser('Brittany.Lowe@contoso-dental.example');
    expect(u).toMatchObject({ upn: 'brittany.lowe@contoso-dental.example', accountEnabled: true, lockedOut: true, employeeType: 'member' });
    expect(u?.managerUpn).toBeTruthy();
    expect(u?.lastPasswordChangeDateTime).toMatch(/^\d{4}-/);
    expect(await contoso.getUser('nobody@contoso-dental.example')).toBeNull();
  });

  it('never sees another tenant', async () => {
    expect(await contoso.getUser('margaret.whitfield@whitfieldcrane-law.example')).toBeNull();
    const g = await new GraphIdentityClient(conn(sb, 'whitfieldcrane-law.example'), fast).findGroup('CDG-Clinical');
    expect(g).toBeNull();
  });

  it('resets a password (timestamp moves, lockout clears) with exactly one PATCH, password not logged', async () => {
    const upn = 'brittany.lowe@contoso-dental.example';
    const before = (await contoso.getUser(upn))!;
    await contoso.resetPassword(upn, 'Tmp-Harbor-9931!', true);
    const after = (await contoso.getUser(upn))!;
    expect(after.lockedOut).toBe(false);
    expect(Date.parse(after.lastPasswordChangeDateTime!)).toBeGreaterThan(Date.parse(before.lastPasswordChangeDateTime!));
    const patches = await sb.calls.list({ vendor: 'graph', method: 'PATCH' });
    expect(patches).toHaveLength(1);
    expect(JSON.stringify(await sb.calls.list())).not.toContain('Tmp-Harbor-9931!');
  });

  it('rejects a weak password with a typed request error', async () => {
    await expect(contoso.resetPassword('raj.patel@contoso-dental.example', 'weak', true)).rejects.toBeInstanceOf(VendorRequestError);
  });

  it('unlocks, disables and re-enables, revokes sessions', async () => {
    const upn = 'brittany.lowe@contoso-dental.example';
    await contoso.unlock(upn);
    expect((await contoso.getUser(upn))!.lockedOut).toBe(false);
    await contoso.setAccountEnabled(upn, false);
    expect((await contoso.getUser(upn))!.accountEnabled).toBe(false);
    await contoso.setAccountEnabled(upn, true);
    const before = (await contoso.getUser(upn))!.signInSessionsValidFromDateTime!;
    await new Promise((r) => setTimeout(r, 1100));
    await contoso.revokeSessions(upn);
    expect(Date.parse((await contoso.getUser(upn))!.signInSessionsValidFromDateTime!)).toBeGreaterThan(Date.parse(before));
  });

  it('adds and removes group members idempotently; lists members across pages', async () => {
    const paged = new GraphIdentityClient(conn(sb, 'contoso-dental.example'), { ...fast, pageSize: 3 });
    const group = (await paged.findGroup('cdg-lakeview-staff'))!;
    expect(group.displayName).toBe('CDG-Lakeview-Staff');
    const members = await paged.listGroupMembers(group.id);
    const expected = sb.ctx.world.clients[0].users.filter((u) => u.groups.includes('CDG-Lakeview-Staff')).map((u) => u.upn).sort();
    expect(members.map((m) => m.upn).sort()).toEqual(expected);
    const pages = await sb.calls.list({ vendor: 'graph', pathContains: `/groups/${group.id}/members` });
    expect(pages).toHaveLength(Math.ceil(expected.length / 3));

    const upn = 'raj.patel@contoso-dental.example';
    await paged.addGroupMember(group.id, upn);
    await paged.addGroupMember(group.id, upn);
    expect((await paged.listUserGroups(upn)).map((g) => g.displayName)).toContain('CDG-Lakeview-Staff');
    await paged.removeGroupMember(group.id, upn);
    await paged.removeGroupMember(group.id, upn);
    expect((await paged.listUserGroups(upn)).map((g) => g.displayName)).not.toContain('CDG-Lakeview-Staff');
    await expect(paged.removeGroupMember('00000000-0000-4000-8000-000000000000', upn)).rejects.toBeInstanceOf(VendorNotFoundError);
  });

  it('lists and deletes authentication methods (MFA re-registration)', async () => {
    const upn = 'elena.vasquez@contoso-dental.example';
    const methods = await contoso.listAuthMethods(upn);
    expect(methods.map((m) => m.odataType)).toContain('#microsoft.graph.phoneAuthenticationMethod');
    for (const m of methods.filter((x) => !x.odataType.includes('password'))) await contoso.deleteAuthMethod(upn, m);
    expect((await contoso.listAuthMethods(upn)).map((m) => m.odataType)).toEqual(['#microsoft.graph.passwordAuthenticationMethod']);
    await expect(contoso.deleteAuthMethod(upn, methods[0])).rejects.toBeInstanceOf(VendorRequestError);
  });

  it('creates a user', async () => {
    const u = await contoso.createUser({ upn: 'casey.new@contoso-dental.example', displayName: 'Casey New', department: 'Front Office', temporaryPassword: 'Welcome-2026-Xyz!' });
    expect(u.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await contoso.getUser('casey.new@contoso-dental.example'))).toMatchObject({ displayName: 'Casey New', department: 'Front Office', accountEnabled: true });
  });

  it('a tenant without the lockout extension: lockedOut is null, unlock is refused (use the RMM)', async () => {
    const plain = new GraphIdentityClient(conn(sb, 'contoso-dental.example'), { ...fast, lockoutProperty: 'extension_0000_notRegistered' });
    const u = await plain.getUser('brittany.lowe@contoso-dental.example');
    expect(u).toMatchObject({ upn: 'brittany.lowe@contoso-dental.example', lockedOut: null });
    const group = (await plain.findGroup('CDG-Clinical'))!;
    expect((await plain.listGroupMembers(group.id)).length).toBeGreaterThan(0);
    await expect(plain.unlock('brittany.lowe@contoso-dental.example')).rejects.toBeInstanceOf(VendorRequestError);
    expect((await sb.calls.list({ vendor: 'graph', method: 'GET' })).filter((c) => c.status === 400)).toHaveLength(1);
  });

  it('wrong client secret → VendorAuthError', async () => {
    const bad = new GraphIdentityClient(conn(sb, 'contoso-dental.example', 'nope'), fast);
    await expect(bad.getUser('raj.patel@contoso-dental.example')).rejects.toBeInstanceOf(VendorAuthError);
  });

  it('429 then success: honours Retry-After and succeeds', async () => {
    await contoso.getUser('raj.patel@contoso-dental.example'); // token cached
    sb.ctx.faults.add({ vendor: 'graph', kind: 'rate_limit', value: 1, count: 1, pathContains: '/graph/v1.0/users' });
    const started = Date.now();
    expect(await contoso.getUser('raj.patel@contoso-dental.example')).not.toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const statuses = (await sb.calls.list({ vendor: 'graph', pathContains: '/graph/v1.0/users/raj' })).map((c) => c.status);
    expect(statuses).toEqual([200, 429, 200]);
  });

  it('5xx until the last attempt → VendorUnavailableError', async () => {
    sb.ctx.faults.add({ vendor: 'graph', kind: 'server_error', value: 503, count: 10, pathContains: '/graph/v1.0/users' });
    await expect(contoso.getUser('raj.patel@contoso-dental.example')).rejects.toBeInstanceOf(VendorUnavailableError);
    expect((await sb.calls.list({ vendor: 'graph', pathContains: '/graph/v1.0/users' })).filter((c) => c.status === 503)).toHaveLength(3);
  });

  it('refreshes the token before expiry and once more after a 401', async () => {
    process.env.SANDBOX_GRAPH_TOKEN_TTL = '2';
    try {
      const tokens = new GraphTokenProvider(conn(sb, 'contoso-dental.example'));
      const first = await tokens.token();
      expect(await tokens.token()).toBe(first);
      await new Promise((r) => setTimeout(r, 1100));
      expect(await tokens.token()).not.toBe(first);
    } finally {
      delete process.env.SANDBOX_GRAPH_TOKEN_TTL;
    }
    await contoso.getUser('raj.patel@contoso-dental.example');
    process.env.SANDBOX_GRAPH_SIGNING_KEY = 'rotated'; // every token issued so far is now invalid
    try {
      expect(await contoso.getUser('raj.patel@contoso-dental.example')).not.toBeNull();
    } finally {
      delete process.env.SANDBOX_GRAPH_SIGNING_KEY;
    }
    const statuses = (await sb.calls.list({ vendor: 'graph', pathContains: '/users/raj' })).map((c) => c.status);
    expect(statuses).toEqual([200, 401, 200]);
  });

  it('works with @microsoft/microsoft-graph-client configured only with base URL and token', async () => {
    const token = await new GraphTokenProvider(conn(sb, 'contoso-dental.example')).token();
    // The library's own auth handler sends tokens to https Graph hosts (or https custom hosts) only, and the
    // sandbox is plain http on localhost: a one-line bearer middleware in front of its HTTP handler stands in.
    const bearer: Middleware & { next?: Middleware } = {
      execute: async (c: Context) => {
        c.options = { ...c.options, headers: { ...(c.options?.headers as Record<string, string>), Authorization: `Bearer ${token}` } };
        await bearer.next!.execute(c);
      },
      setNext: (n: Middleware) => {
        bearer.next = n;
      },
    };
    bearer.setNext!(new HTTPMessageHandler());
    const client = Client.initWithMiddleware({ baseUrl: `${sb.url}/graph/`, defaultVersion: 'v1.0', middleware: bearer });
    const page = (await client.api('/users').select('id,userPrincipalName,accountEnabled').top(5).get()) as { value: Array<{ id: string; userPrincipalName: string }>; '@odata.nextLink'?: string };
    expect(page.value).toHaveLength(5);
    expect(page['@odata.nextLink']).toBeDefined();
    const user = (await client.api('/users/raj.patel@contoso-dental.example').select('id,lastPasswordChangeDateTime').get()) as { id: string; lastPasswordChangeDateTime: string };
    await client.api(`/users/${user.id}`).patch({ passwordProfile: { password: 'Lib-Client-7781!', forceChangePasswordNextSignIn: true } });
    const after = (await client.api(`/users/${user.id}`).select('lastPasswordChangeDateTime').get()) as { lastPasswordChangeDateTime: string };
    expect(Date.parse(after.lastPasswordChangeDateTime)).toBeGreaterThan(Date.parse(user.lastPasswordChangeDateTime));
    const groups = (await client.api('/groups').filter("displayName eq 'CDG-Clinical'").get()) as { value: Array<{ id: string }> };
    const maria = (await client.api('/users').filter("userPrincipalName eq 'maria.gonzalez@contoso-dental.example'").select('id').get()) as { value: Array<{ id: string }> };
    await client.api(`/groups/${groups.value[0].id}/members/$ref`).post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${maria.value[0].id}` });
    const members = (await client.api(`/groups/${groups.value[0].id}/members`).select('id').top(999).get()) as { value: Array<{ id: string }> };
    expect(members.value.map((m) => m.id)).toContain(maria.value[0].id);
    const revoked = (await client.api(`/users/${user.id}/revokeSignInSessions`).post({})) as { value: boolean };
    expect(revoked.value).toBe(true);
    await expect(client.api('/users/nobody@contoso-dental.example').get()).rejects.toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' });
  });
});
