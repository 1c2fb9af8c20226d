import type { SandboxContext } from '../../core/context';
import type { RmmVendor } from './rmm-state';

/**
 * Alert webhook registrations of the RMMs: NinjaOne's `PUT /v2/webhook` (one per API application), or the
 * admin API (Datto RMM configures webhooks in its UI, so the sandbox takes them from the admin API).
 * Registrations are vendor configuration: a store reset keeps them (see `keepOnReset`).
 */
export const WEBHOOK_KIND = 'rmm.webhook';

export interface WebhookRegistration {
  system: RmmVendor;
  url: string;
  headers: Record<string, string>;
}

export async function registerWebhook(ctx: SandboxContext, system: RmmVendor, url: string, headers: Record<string, string>, replaceAll: boolean): Promise<void> {
  if (replaceAll) await removeWebhooks(ctx, system);
  const reg: WebhookRegistration = { system, url, headers };
  await ctx.store.put(WEBHOOK_KIND, `${system}:${url}`, reg);
}

export async function removeWebhooks(ctx: SandboxContext, system: RmmVendor): Promise<number> {
  const regs = await webhooksOf(ctx, system);
  for (const r of regs) await ctx.store.delete(WEBHOOK_KIND, `${system}:${r.url}`);
  return regs.length;
}

export async function webhooksOf(ctx: SandboxContext, system: RmmVendor): Promise<WebhookRegistration[]> {
  return ctx.store.list<WebhookRegistration>(WEBHOOK_KIND, { where: { system } });
}

/** POSTs the payload to every registration of `system` (each delivery is recorded in the call log). */
export async function deliverAlert(ctx: SandboxContext, system: RmmVendor, payload: unknown): Promise<string[]> {
  const regs = await webhooksOf(ctx, system);
  const body = JSON.stringify(payload);
  await Promise.all(regs.map((r) => ctx.deliverWebhook({ vendor: system, url: r.url, headers: r.headers, body })));
  return regs.map((r) => r.url);
}
