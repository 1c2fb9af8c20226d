import express, { type Router } from 'express';
import { HALO_CLIENT_ID, HALO_CLIENT_SECRET, HALO_TENANT, type HaloTokens } from './common';

/** `POST /auth/token?tenant=` (client_credentials, form-encoded) → Bearer token for /api. */
export function authRoutes(tokens: HaloTokens): Router {
  const r = express.Router();
  r.post('/token', (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const tenant = (req.query as Record<string, unknown>).tenant;
    res.locals.callBody = { grant_type: b.grant_type, client_id: b.client_id, scope: b.scope }; // never log the secret
    res.locals.principal = typeof b.client_id === 'string' ? b.client_id : null;
    if (b.grant_type !== 'client_credentials') return void res.status(400).json({ error: 'unsupported_grant_type' });
    if (tenant !== undefined && tenant !== HALO_TENANT) return void res.status(400).json({ error: 'invalid_request', error_description: 'Unknown tenant' });
    if (b.client_id !== HALO_CLIENT_ID || b.client_secret !== HALO_CLIENT_SECRET) return void res.status(400).json({ error: 'invalid_client' });
    res.set('Cache-Control', 'no-store').json(tokens.issue());
  });
  return r;
}
