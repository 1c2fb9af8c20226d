import express, { type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { CW_PREFIX, cwAuth } from './common';
import { ticketRoutes } from './tickets';
import { companyRoutes } from './companies';
import { setupRoutes } from './service-setup';
import { timeRoutes } from './time';
import { callbackRoutes, keyRoutes } from './callbacks';

/** ConnectWise PSA REST API 3.0, mounted at `/cw/v4_6_release/apis/3.0`. */
export function mountConnectWise(ctx: SandboxContext): Router {
  const r = express.Router();
  r.use((_req, res, next) => {
    res.locals.cwBase = `${ctx.baseUrl}${CW_PREFIX}`;
    next();
  });
  r.use(cwAuth);
  r.use(ticketRoutes(ctx));
  r.use(companyRoutes(ctx));
  r.use(setupRoutes(ctx));
  r.use(timeRoutes(ctx));
  r.use(callbackRoutes(ctx));
  return r;
}

/** Callback signing keys (`Metadata.key_url`), at `/cw/v4_6_release/system/callbackkey/index.rails`. */
export function mountConnectWiseKeys(ctx: SandboxContext): Router {
  return keyRoutes(ctx);
}
