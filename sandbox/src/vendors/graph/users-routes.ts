import type { Request, Response, Router } from 'express';
import type { Directory, UserDoc } from './directory';
import { badRequest, graphError, GraphQueryError, notFound } from './errors';
import { userIdFor } from './ids';
import { graphBase, matches, paginate, parseFilter, parseSelect, project } from './odata';
import { checkPasswordProfile } from './password';
import { groupJson, LOCKOUT_PROPERTY, USER_DEFAULT_PROPS, USER_FILTER_PROPS, USER_PROPS, userJson } from './shapes';
import { route } from './graph-auth';

type Q = Record<string, string | undefined>;

/** `$expand=manager` or `$expand=manager($select=a,b)`: the only expansion the sandbox serves. */
function managerExpand(raw: string | undefined): { select: string[] | null } | null {
  if (!raw) return null;
  const m = /^manager(?:\(\$select=([^)]*)\))?$/.exec(raw.trim());
  if (!m) throw new GraphQueryError(`Parsing OData Select and Expand failed: Could not find a property named '${raw.split('(')[0]}' on type 'microsoft.graph.user'.`, 'BadRequest');
  return { select: m[1] ? parseSelect(m[1], USER_PROPS, 'user') : null };
}

async function render(dir: Directory, u: UserDoc, q: Q): Promise<Record<string, unknown>> {
  const out = project(userJson(dir.tenant, u), parseSelect(q.$select, USER_PROPS, 'user'), USER_DEFAULT_PROPS);
  delete out['@odata.type'];
  const exp = managerExpand(q.$expand);
  if (exp) {
    const mgr = u.managerUpn ? await dir.user(u.managerUpn) : null;
    out.manager = mgr ? project(userJson(dir.tenant, mgr), exp.select, USER_DEFAULT_PROPS) : null;
  }
  return out;
}

export async function findUserOr404(dir: Directory, req: Request, res: Response): Promise<UserDoc | null> {
  const id = String(req.params.id);
  const u = await dir.user(id);
  if (!u) notFound(res, id);
  return u;
}

const WRITABLE = new Set(['accountEnabled', 'displayName', 'givenName', 'surname', 'jobTitle', 'department', 'mobilePhone', 'officeLocation', 'usageLocation', 'employeeType', 'passwordProfile', 'passwordPolicies', LOCKOUT_PROPERTY]);
const STRINGS = ['displayName', 'givenName', 'surname', 'jobTitle', 'department', 'mobilePhone', 'officeLocation', 'usageLocation'] as const;

/** Applies a PATCH /users body; returns the store patch or a 400/403 message. */
function userPatch(u: UserDoc, body: Record<string, unknown>): { patch: Partial<UserDoc> } | { status: 400 | 403; code: string; message: string } {
  const patch: Partial<UserDoc> = {};
  for (const k of Object.keys(body)) {
    if (!WRITABLE.has(k)) return { status: 400, code: 'Request_BadRequest', message: `Invalid property '${k}'.` };
  }
  // The app holds User Administrator-level rights; Entra refuses it on admin-role accounts.
  if (u.accountType === 'admin' && (body.passwordProfile !== undefined || body.accountEnabled !== undefined)) {
    return { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' };
  }
  if (body.accountEnabled !== undefined) {
    if (typeof body.accountEnabled !== 'boolean') return { status: 400, code: 'Request_BadRequest', message: "Invalid value specified for property 'accountEnabled' of resource 'User'." };
    patch.accountEnabled = body.accountEnabled;
  }
  for (const k of STRINGS) {
    if (body[k] === undefined) continue;
    if (body[k] !== null && typeof body[k] !== 'string') return { status: 400, code: 'Request_BadRequest', message: `Invalid value specified for property '${k}' of resource 'User'.` };
    if (k === 'displayName' && !body[k]) return { status: 400, code: 'Request_BadRequest', message: "Invalid value specified for property 'displayName' of resource 'User'." };
    (patch as Record<string, unknown>)[k] = body[k];
  }
  if (body.employeeType !== undefined) patch.accountType = body.employeeType as UserDoc['accountType'];
  if (body[LOCKOUT_PROPERTY] !== undefined) {
    if (typeof body[LOCKOUT_PROPERTY] !== 'boolean') return { status: 400, code: 'Request_BadRequest', message: `Invalid value specified for property '${LOCKOUT_PROPERTY}' of resource 'User'.` };
    patch.lockedOut = body[LOCKOUT_PROPERTY];
  }
  if (body.passwordProfile !== undefined) {
    const check = checkPasswordProfile(body.passwordProfile);
    if (!check.ok) return { status: 400, code: 'Request_BadRequest', message: check.message };
    // A reset moves the password timestamp and clears smart lockout (what a verifier reads back).
    patch.passwordLastSet = new Date().toISOString().slice(0, 19) + 'Z';
    patch.lockedOut = false;
    patch.forceChangePasswordNextSignIn = check.force;
  }
  return { patch };
}

export function mountUserRoutes(r: Router): void {
  r.get('/me', (_req, res) => badRequest(res, '/me request is only valid with delegated authentication flow.', 'BadRequest'));

  r.get('/users', route(async (req, res, dir) => {
    const q = req.query as Q;
    const filter = parseFilter(q.$filter, USER_FILTER_PROPS, 'User');
    const select = parseSelect(q.$select, USER_PROPS, 'user');
    const all = (await dir.users()).map((u) => ({ u, json: userJson(dir.tenant, u) })).filter((x) => matches(x.json, filter));
    const page = paginate(req, all);
    const value = await Promise.all(page.items.map(({ u }) => render(dir, u, q)));
    res.json({ '@odata.context': `${graphBase(req)}/$metadata#users${select ? `(${select.join(',')})` : ''}`, ...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}), value });
  }));

  r.post('/users', route(async (req, res, dir) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    for (const k of ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile']) {
      if (b[k] === undefined || b[k] === null || b[k] === '') return badRequest(res, `Invalid value specified for property '${k}' of resource 'User'.`);
    }
    const upn = String(b.userPrincipalName);
    if (!upn.toLowerCase().endsWith('@' + dir.tenant.domain)) {
      return badRequest(res, 'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.');
    }
    if (await dir.upnTaken(upn)) return badRequest(res, 'Another object with the same value for property userPrincipalName already exists.');
    const check = checkPasswordProfile(b.passwordProfile);
    if (!check.ok) return badRequest(res, check.message);
    const now = new Date().toISOString().slice(0, 19) + 'Z';
    const str = (k: string): string | null => (typeof b[k] === 'string' ? (b[k] as string) : null);
    const doc: UserDoc = {
      upn, displayName: String(b.displayName), accountType: (str('employeeType') as UserDoc['accountType'] | null) ?? 'member',
      department: str('department') ?? '', jobTitle: str('jobTitle') ?? '', accountEnabled: b.accountEnabled === true, lockedOut: false,
      passwordLastSet: now, mfaMethods: [], groups: [], licenses: [], managerUpn: null,
      givenName: str('givenName'), surname: str('surname'), mobilePhone: str('mobilePhone'), mail: upn, mailNickname: String(b.mailNickname),
      createdDateTime: now, signInSessionsValidFromDateTime: now, forceChangePasswordNextSignIn: check.force, officeLocation: str('officeLocation'), usageLocation: str('usageLocation'),
    };
    await dir.createUser(doc);
    const json = project(userJson(dir.tenant, doc), null, USER_DEFAULT_PROPS);
    delete json['@odata.type'];
    res.status(201).json({ '@odata.context': `${graphBase(req)}/$metadata#users/$entity`, ...json });
  }));

  r.get('/users/:id', route(async (req, res, dir) => {
    const u = await findUserOr404(dir, req, res);
    if (!u) return;
    res.json({ '@odata.context': `${graphBase(req)}/$metadata#users/$entity`, ...(await render(dir, u, req.query as Q)) });
  }));

  r.patch('/users/:id', route(async (req, res, dir) => {
    const u = await findUserOr404(dir, req, res);
    if (!u) return;
    const result = userPatch(u, (req.body ?? {}) as Record<string, unknown>);
    if ('status' in result) return graphError(res, result.status, result.code, result.message);
    await dir.patchUser(u.upn, result.patch);
    res.status(204).end();
  }));

  r.post('/users/:id/revokeSignInSessions', route(async (req, res, dir) => {
    const u = await findUserOr404(dir, req, res);
    if (!u) return;
    await dir.patchUser(u.upn, { signInSessionsValidFromDateTime: new Date().toISOString().slice(0, 19) + 'Z' });
    res.json({ '@odata.context': `${graphBase(req)}/$metadata#Edm.Boolean`, value: true });
  }));

  r.get('/users/:id/memberOf', route(async (req, res, dir) => {
    const u = await findUserOr404(dir, req, res);
    if (!u) return;
    const names = new Set(u.groups.map((g) => g.toLowerCase()));
    const page = paginate(req, (await dir.groups()).filter((g) => names.has(g.name.toLowerCase())));
    res.json({ '@odata.context': `${graphBase(req)}/$metadata#directoryObjects`, ...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}), value: page.items.map((g) => groupJson(dir.tenant, g)) });
  }));

  r.get('/users/:id/manager', route(async (req, res, dir) => {
    const u = await findUserOr404(dir, req, res);
    if (!u) return;
    const mgr = u.managerUpn ? await dir.user(u.managerUpn) : null;
    if (!mgr) return notFound(res, 'manager');
    res.json({ '@odata.context': `${graphBase(req)}/$metadata#directoryObjects/$entity`, ...project(userJson(dir.tenant, mgr), parseSelect((req.query as Q).$select, USER_PROPS, 'user'), USER_DEFAULT_PROPS) });
  }));

  r.put('/users/:id/manager/$ref', route(async (req, res, dir) => {
    const u = await findUserOr404(dir, req, res);
    if (!u) return;
    const ref = String(((req.body ?? {}) as Record<string, unknown>)['@odata.id'] ?? '');
    const mgr = await dir.user(ref.split('/').pop() ?? '');
    if (!mgr) return notFound(res, ref.split('/').pop() ?? ref);
    if (userIdFor(mgr.upn) === userIdFor(u.upn)) return badRequest(res, 'A user cannot be their own manager.');
    await dir.patchUser(u.upn, { managerUpn: mgr.upn });
    res.status(204).end();
  }));
}
