import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { AT_PREFIX, AT_USERNAME, atAuth } from './common';
import { entityRoutes } from './entities';
import { ticketRoutes } from './tickets';
import { webhookRoutes } from './webhooks';

/**
 * Autotask REST at `/autotask/atservicesrest`: the zone lookup `/v1.0/ZoneInformation` (no credentials
 * needed beyond the user name) and the API under `/V1.0`. One mount, because express paths are
 * case-insensitive and `v1.0`/`V1.0` would otherwise overlap.
 */
export function mountAutotask(ctx: SandboxContext): Router {
  const r = express.Router();
  r.get('/v1.0/ZoneInformation', (req, res) => {
    const user = String((req.query as Record<string, unknown>).user ?? '');
    res.locals.principal = user || null;
    if (user && user.toLowerCase() !== AT_USERNAME) return void res.status(404).json({ errors: [`Zone information could not be determined for user ${user}.`] });
    res.json({ zoneName: 'Sandbox', url: `${ctx.baseUrl}${AT_PREFIX}/`, webUrl: `${ctx.baseUrl}/autotask/`, ci: 0 });
  });
  const api = express.Router();
  api.use(atAuth);
  api.use(ticketRoutes(ctx));
  api.use(entityRoutes(ctx));
  api.use(webhookRoutes(ctx));
  api.use((req, res) => void res.status(404).json({ errors: [`No resource for ${req.method} ${req.path}`] }));
  r.use('/V1.0', api);
  return r;
}
