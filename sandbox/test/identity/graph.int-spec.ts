import { startTestSandbox } from '../sandbox-harness';

type Sb = Awaited<ReturnType<typeof startTestSandbox>>;
type Json = Record<string, unknown>;

async function token(sb: Sb, tenant: string, secret = 'sandbox-graph-secret'): Promise<Response> {
  return fetch(`${sb.url}/login/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-graph-client', client_secret: secret, scope: 'https://graph.microsoft.com/.default' }),
  });
}

describe('Graph sandbox (raw HTTP)', () => {
  let sb: Sb;
  let contoso: string;
  let whitfield: string;
  const g = async (tok: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${sb.url}/graph/v1.0${path}`, {
      ...init,
      headers: { authorization: `Bearer ${tok}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string>) },
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  };

  beforeAll(async () => {
    sb = await startTestSandbox();
    contoso = ((await (await token(sb, 'contoso-dental.example')).json()) as Json).access_token as string;
    whitfield = ((await (await token(sb, 'whitfieldcrane-law.example')).json()) as Json).access_token as string;
  });
  afterAll(async () => {
    await sb?.stop();
  });
  beforeEach(async () => {
    await sb.reset();
  });

  it('issues tokens only for the right secret and a known tenant, with Entra error bodies', async () => {
    const bad = await token(sb, 'contoso-dental.example', 'wrong');
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as Json).error).toBe('invalid_client');
    const unknown = await token(sb, 'nobody.example');
    expect(unknown.status).toBe(400);
    expect(String(((await unknown.json()) as Json).error_description)).toContain('AADSTS90002');
    const calls = await sb.calls.list({ vendor: 'graph', pathContains: '/oauth2/v2.0/token' });
    expect(JSON.stringify(calls)).not.toContain('sandbox-graph-secret');
  });

  it('answers 401 InvalidAuthenticationToken without or with a forged token', async () => {
    const none = await fetch(`${sb.url}/graph/v1.0/users`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: Json }).error.code).toBe('InvalidAuthenticationToken');
    const forged = await g(contoso.slice(0, -4) + 'AAAA', '/users');
    expect(forged.status).toBe(401);
  });

  it('isolates tenants: a Contoso token never sees a Whitfield user', async () => {
    const mine = await g(contoso, '/users/elena.vasquez@contoso-dental.example');
    expect(mine.status).toBe(200);
    const theirs = await g(contoso, '/users/margaret.whitfield@whitfieldcrane-law.example');
    expect(theirs.status).toBe(404);
    expect((theirs.body.error as Json).code).toBe('Request_ResourceNotFound');
    const byId = await g(whitfield, `/users/${String(mine.body.id)}`);
    expect(byId.status).toBe(404);
    const list = await g(whitfield, '/users?$select=userPrincipalName&$top=999');
    expect((list.body.value as Json[]).every((u) => String(u.userPrincipalName).endsWith('@whitfieldcrane-law.example'))).toBe(true);
  });

  it('filters, selects and pages users with @odata.nextLink', async () => {
    const total = sb.ctx.world.clients.find((c) => c.identifier === 'ContosoDental')!.users.length;
    const seen: string[] = [];
    let next: string | null = `${sb.url}/graph/v1.0/users?$top=4&$select=id,userPrincipalName`;
    let pages = 0;
    while (next) {
      const res = await fetch(next, { headers: { authorization: `Bearer ${contoso}` } });
      const body = (await res.json()) as Json;
      pages++;
      for (const u of body.value as Json[]) {
        expect(Object.keys(u).sort()).toEqual(['id', 'userPrincipalName']);
        seen.push(String(u.userPrincipalName));
      }
      next = (body['@odata.nextLink'] as string | undefined) ?? null;
    }
    expect(pages).toBe(Math.ceil(total / 4));
    expect(new Set(seen).size).toBe(total);
    const one = await g(contoso, `/users?$filter=${encodeURIComponent("userPrincipalName eq 'Nora.Feldman@contoso-dental.example'")}`);
    expect((one.body.value as Json[]).map((u) => u.userPrincipalName)).toEqual(['nora.feldman@contoso-dental.example']);
    const bad = await g(contoso, '/users?$select=nonsense');
    expect(bad.status).toBe(400);
  });

  it('resets a password: lastPasswordChangeDateTime moves and the lockout clears', async () => {
    const upn = 'brittany.lowe@contoso-dental.example';
    const sel = `/users/${upn}?$select=id,lastPasswordChangeDateTime,extension_sandbox_signInLockedOut`;
    const before = await g(contoso, sel);
    expect(before.body.extension_sandbox_signInLockedOut).toBe(true);
    const weak = await g(contoso, `/users/${String(before.body.id)}`, { method: 'PATCH', body: JSON.stringify({ passwordProfile: { password: 'short' } }) });
    expect(weak.status).toBe(400);
    const ok = await g(contoso, `/users/${String(before.body.id)}`, { method: 'PATCH', body: JSON.stringify({ passwordProfile: { password: 'Harbor-Temp-4821!', forceChangePasswordNextSignIn: true } }) });
    expect(ok.status).toBe(204);
    const after = await g(contoso, sel);
    expect(after.body.extension_sandbox_signInLockedOut).toBe(false);
    expect(Date.parse(String(after.body.lastPasswordChangeDateTime))).toBeGreaterThan(Date.parse(String(before.body.lastPasswordChangeDateTime)));
    const calls = await sb.calls.list({ vendor: 'graph', method: 'PATCH' });
    expect(calls).toHaveLength(2);
    expect(JSON.stringify(calls)).not.toContain('Harbor-Temp-4821!');
  });

  it('sees an unlock written to the store user document (RMM Unlock-ADAccount path)', async () => {
    await sb.ctx.store.patch('user', 'brittany.lowe@contoso-dental.example', { lockedOut: false });
    const u = await g(contoso, '/users/brittany.lowe@contoso-dental.example?$select=extension_sandbox_signInLockedOut');
    expect(u.body.extension_sandbox_signInLockedOut).toBe(false);
  });

  it('refuses to reset an admin account (403 Authorization_RequestDenied)', async () => {
    const admin = sb.ctx.world.clients[0].users.find((u) => u.accountType === 'admin')!;
    const res = await g(contoso, `/users/${admin.upn}`, { method: 'PATCH', body: JSON.stringify({ passwordProfile: { password: 'Harbor-Temp-4821!' } }) });
    expect(res.status).toBe(403);
    expect((res.body.error as Json).code).toBe('Authorization_RequestDenied');
  });

  it('adds and removes a group member with $ref', async () => {
    const grp = await g(contoso, `/groups?$filter=${encodeURIComponent("displayName eq 'CDG-Lakeview-Staff'")}`);
    const gid = String((grp.body.value as Json[])[0].id);
    const user = await g(contoso, '/users/raj.patel@contoso-dental.example');
    const uid = String(user.body.id);
    const isMember = async () => ((await g(contoso, `/groups/${gid}/members?$top=999`)).body.value as Json[]).some((m) => m.id === uid);
    expect(await isMember()).toBe(false);
    const add = await g(contoso, `/groups/${gid}/members/$ref`, { method: 'POST', body: JSON.stringify({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${uid}` }) });
    expect(add.status).toBe(204);
    expect(await isMember()).toBe(true);
    const again = await g(contoso, `/groups/${gid}/members/$ref`, { method: 'POST', body: JSON.stringify({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${uid}` }) });
    expect(again.status).toBe(400);
    const memberOf = await g(contoso, `/users/${uid}/memberOf`);
    expect((memberOf.body.value as Json[]).map((x) => x.displayName)).toContain('CDG-Lakeview-Staff');
    expect((await g(contoso, `/groups/${gid}/members/${uid}/$ref`, { method: 'DELETE' })).status).toBe(204);
    expect(await isMember()).toBe(false);
    expect((await g(contoso, `/groups/${gid}/members/${uid}/$ref`, { method: 'DELETE' })).status).toBe(404);
  });

  it('lists and deletes authentication methods', async () => {
    const upn = 'elena.vasquez@contoso-dental.example';
    const list = await g(contoso, `/users/${upn}/authentication/methods`);
    const types = (list.body.value as Json[]).map((m) => m['@odata.type']);
    expect(types).toEqual(['#microsoft.graph.passwordAuthenticationMethod', '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', '#microsoft.graph.phoneAuthenticationMethod']);
    const phone = (list.body.value as Json[])[2];
    expect(phone.phoneNumber).toBe('+1 5550110');
    expect((await g(contoso, `/users/${upn}/authentication/phoneMethods/${String(phone.id)}`, { method: 'DELETE' })).status).toBe(204);
    const authn = (list.body.value as Json[])[1];
    expect((await g(contoso, `/users/${upn}/authentication/microsoftAuthenticatorMethods/${String(authn.id)}`, { method: 'DELETE' })).status).toBe(204);
    const after = await g(contoso, `/users/${upn}/authentication/methods`);
    expect((after.body.value as Json[]).map((m) => m['@odata.type'])).toEqual(['#microsoft.graph.passwordAuthenticationMethod']);
  });

  it('revokes sessions, reads the manager, creates a user', async () => {
    const rev = await g(contoso, '/users/raj.patel@contoso-dental.example/revokeSignInSessions', { method: 'POST' });
    expect(rev.body.value).toBe(true);
    const mgr = await g(contoso, '/users/raj.patel@contoso-dental.example/manager');
    expect(mgr.body.userPrincipalName).toBe('elena.vasquez@contoso-dental.example');
    expect((await g(contoso, '/users/elena.vasquez@contoso-dental.example/manager')).status).toBe(404);
    const created = await g(contoso, '/users', {
      method: 'POST',
      body: JSON.stringify({ accountEnabled: true, displayName: 'New Hire', mailNickname: 'new.hire', userPrincipalName: 'new.hire@contoso-dental.example', passwordProfile: { password: 'Welcome-2026-Abc!', forceChangePasswordNextSignIn: true } }),
    });
    expect(created.status).toBe(201);
    expect((await g(contoso, '/users/new.hire@contoso-dental.example')).status).toBe(200);
    const other = await g(contoso, '/users', {
      method: 'POST',
      body: JSON.stringify({ accountEnabled: true, displayName: 'X', mailNickname: 'x', userPrincipalName: 'x@tailspin-mfg.example', passwordProfile: { password: 'Welcome-2026-Abc!' } }),
    });
    expect(other.status).toBe(400);
  });

  it('sendMail lands in the outbox', async () => {
    const res = await g(contoso, '/users/maria.gonzalez@contoso-dental.example/sendMail', {
      method: 'POST',
      body: JSON.stringify({ message: { subject: 'Hello', body: { contentType: 'HTML', content: '<p>Your code is <b>123456</b></p>' }, toRecipients: [{ emailAddress: { address: 'nora.feldman@contoso-dental.example' } }] } }),
    });
    expect(res.status).toBe(202);
    const out = await sb.ctx.outbox.list({ channel: 'email', to: 'nora.feldman@contoso-dental.example' });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ provider: 'graph', from: 'maria.gonzalez@contoso-dental.example', subject: 'Hello' });
    expect(out[0].body).toContain('Your code is 123456');
    await sb.ctx.store.put('notify.rules', 'rules', { emailBounce: ['gone@contoso-dental.example'] });
    const bounced = await g(contoso, '/users/maria.gonzalez@contoso-dental.example/sendMail', {
      method: 'POST', body: JSON.stringify({ message: { subject: 'Hi', body: { contentType: 'Text', content: 'x' }, toRecipients: [{ emailAddress: { address: 'gone@contoso-dental.example' } }] } }),
    });
    expect(bounced.status).toBe(202);
    expect((await sb.ctx.outbox.list({ to: 'gone@contoso-dental.example' }))[0].status).toBe('bounced');
    const ndr = await sb.ctx.outbox.list({ to: 'maria.gonzalez@contoso-dental.example' });
    expect(ndr.map((m) => m.subject)).toEqual(['Undeliverable: Hi']);
  });
});
