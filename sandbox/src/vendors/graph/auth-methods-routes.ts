import type { Router } from 'express';
import { badRequest, notFound } from './errors';
import { route } from './graph-auth';
import { graphBase } from './odata';
import { METHOD_SEGMENTS, methodId, methodJson, passwordMethodJson, type MethodSegment } from './shapes';
import { findUserOr404 } from './users-routes';

const isSegment = (s: string): s is MethodSegment => Object.prototype.hasOwnProperty.call(METHOD_SEGMENTS, s);

/** MFA re-registration: list a user's methods, delete strong methods by their type-specific collection. */
export function mountAuthMethodRoutes(r: Router): void {
  r.get('/users/:id/authentication/methods', route(async (req, res, dir) => {
    const u = await findUserOr404(dir, req, res);
    if (!u) return;
    res.json({
      '@odata.context': `${graphBase(req)}/$metadata#users('${u.upn}')/authentication/methods`,
      value: [passwordMethodJson(u), ...u.mfaMethods.map((m) => methodJson(u, m))],
    });
  }));

  r.get('/users/:id/authentication/:segment', route(async (req, res, dir) => {
    const segment = String(req.params.segment);
    if (!isSegment(segment)) return badRequest(res, `Resource not found for the segment '${segment}'.`, 'BadRequest');
    const u = await findUserOr404(dir, req, res);
    if (!u) return;
    const type = METHOD_SEGMENTS[segment];
    res.json({
      '@odata.context': `${graphBase(req)}/$metadata#users('${u.upn}')/authentication/${segment}`,
      value: u.mfaMethods.filter((m) => m.type === type).map((m) => methodJson(u, m)),
    });
  }));

  r.delete('/users/:id/authentication/:segment/:methodId', route(async (req, res, dir) => {
    const segment = String(req.params.segment);
    if (!isSegment(segment)) return badRequest(res, `Resource not found for the segment '${segment}'.`, 'BadRequest');
    const u = await findUserOr404(dir, req, res);
    if (!u) return;
    const type = METHOD_SEGMENTS[segment];
    const wanted = String(req.params.methodId).toLowerCase();
    const idx = u.mfaMethods.findIndex((m) => m.type === type && methodId(u.upn, m) === wanted);
    if (idx < 0) return notFound(res, String(req.params.methodId));
    await dir.patchUser(u.upn, { mfaMethods: u.mfaMethods.filter((_, i) => i !== idx) });
    res.status(204).end();
  }));
}
