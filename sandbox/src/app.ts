import express, { type Express, type Router } from 'express';
import type { SandboxContext } from './core/context';
import type { SandboxRuntime } from './core/runtime';
import { wrapVendor } from './core/mount';
import { adminRouter } from './admin/admin-routes';
import { psaAdminRoutes } from './admin/psa-routes';
import type { VendorEntry } from './vendors/index';

/** The sandbox's HTTP surface: each vendor under its prefix, plus /admin. */
export function createApp(ctx: SandboxContext, rt: SandboxRuntime, mounts: VendorEntry[], adminExtras: Array<(r: Router) => void> = []): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'extended');
  app.use('/admin', adminRouter(ctx, rt, [psaAdminRoutes(ctx), ...adminExtras]));
  for (const m of mounts) app.use(m.prefix, wrapVendor(ctx, m.vendor, m.mount(ctx)));
  app.use((req, res) => {
    res.status(404).json({ message: `no sandbox route for ${req.method} ${req.path}` });
  });
  return app;
}
