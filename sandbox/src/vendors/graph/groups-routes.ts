import type { Router } from 'express';
import { badRequest, notFound } from './errors';
import { route } from './graph-auth';
import { graphBase, matches, paginate, parseFilter, parseSelect, project } from './odata';
import { GROUP_DEFAULT_PROPS, GROUP_FILTER_PROPS, GROUP_PROPS, groupJson, USER_DEFAULT_PROPS, USER_PROPS, userJson } from './shapes';

type Q = Record<string, string | undefined>;

export function mountGroupRoutes(r: Router): void {
  r.get('/groups', route(async (req, res, dir) => {
    const q = req.query as Q;
    const filter = parseFilter(q.$filter, GROUP_FILTER_PROPS, 'Group');
    const select = parseSelect(q.$select, GROUP_PROPS, 'group');
    const page = paginate(req, (await dir.groups()).map((g) => groupJson(dir.tenant, g)).filter((g) => matches(g, filter)));
    const value = page.items.map((g) => {
      const out = project(g, select, GROUP_DEFAULT_PROPS);
      delete out['@odata.type'];
      return out;
    });
    res.json({ '@odata.context': `${graphBase(req)}/$metadata#groups`, ...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}), value });
  }));

  r.get('/groups/:id', route(async (req, res, dir) => {
    const g = await dir.group(String(req.params.id));
    if (!g) return notFound(res, String(req.params.id));
    const out = project(groupJson(dir.tenant, g), parseSelect((req.query as Q).$select, GROUP_PROPS, 'group'), GROUP_DEFAULT_PROPS);
    delete out['@odata.type'];
    res.json({ '@odata.context': `${graphBase(req)}/$metadata#groups/$entity`, ...out });
  }));

  r.get('/groups/:id/members', route(async (req, res, dir) => {
    const g = await dir.group(String(req.params.id));
    if (!g) return notFound(res, String(req.params.id));
    const select = parseSelect((req.query as Q).$select, USER_PROPS, 'user');
    const page = paginate(req, await dir.members(g));
    res.json({
      '@odata.context': `${graphBase(req)}/$metadata#directoryObjects`,
      ...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}),
      value: page.items.map((u) => project(userJson(dir.tenant, u), select, USER_DEFAULT_PROPS)),
    });
  }));

  // Body: {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"} (any Graph host; users/{id} too).
  r.post('/groups/:id/members/$ref', route(async (req, res, dir) => {
    const g = await dir.group(String(req.params.id));
    if (!g) return notFound(res, String(req.params.id));
    const ref = ((req.body ?? {}) as Record<string, unknown>)['@odata.id'];
    const m = typeof ref === 'string' ? /\/(?:directoryObjects|users)\/([^/?#]+)$/.exec(ref) : null;
    if (!m) return badRequest(res, "Invalid object identifier '" + String(ref ?? '') + "'.");
    const u = await dir.user(decodeURIComponent(m[1]));
    if (!u) return notFound(res, decodeURIComponent(m[1]));
    if (u.groups.some((n) => n.toLowerCase() === g.name.toLowerCase())) {
      return badRequest(res, "One or more added object references already exist for the following modified properties: 'members'.");
    }
    await dir.patchUser(u.upn, { groups: [...u.groups, g.name] });
    res.status(204).end();
  }));

  r.delete('/groups/:gid/members/:uid/$ref', route(async (req, res, dir) => {
    const g = await dir.group(String(req.params.gid));
    if (!g) return notFound(res, String(req.params.gid));
    const uid = String(req.params.uid);
    const u = await dir.user(uid);
    if (!u || !u.groups.some((n) => n.toLowerCase() === g.name.toLowerCase())) return notFound(res, uid);
    await dir.patchUser(u.upn, { groups: u.groups.filter((n) => n.toLowerCase() !== g.name.toLowerCase()) });
    res.status(204).end();
  }));
}
