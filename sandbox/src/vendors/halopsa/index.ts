import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { HaloTokens } from './common';
import { authRoutes } from './auth';
import { entityRoutes } from './entities';
import { ticketRoutes } from './tickets';
import { webhookRoutes } from './webhooks';

/** HaloPSA at `/halo`: `/auth/token` (client credentials) and the Bearer-protected `/api`. */
export function mountHaloPsa(ctx: SandboxContext): Router {
  const tokens = new HaloTokens();
  const r = express.Router();
  r.use('/auth', authRoutes(tokens));
  const api = express.Router();
  api.use(tokens.middleware());
  api.use(ticketRoutes(ctx));
  api.use(entityRoutes(ctx));
  api.use(webhookRoutes(ctx));
  api.use((req, res) => void res.status(404).json(`No API route for ${req.method} ${req.path}`));
  r.use('/api', api);
  return r;
}
