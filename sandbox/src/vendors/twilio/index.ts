import { Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { mountMessageRoutes } from './messages-routes';

export { twilioSignature } from './signature';
export { accounts as twilioAccounts, accountSidFor } from './accounts';

/** Twilio-compatible Messages API, mounted at `/twilio` (Twilio's own host serves `/2010-04-01/...`). */
export function mountTwilio(ctx: SandboxContext): Router {
  const r = Router();
  mountMessageRoutes(ctx, r);
  return r;
}
