import type { Client, World } from '../../core/world';
import { tenantIdFor } from './ids';

/** An Entra tenant of the sandbox = one MSP client, addressed by its domain or its tenant GUID. */
export interface Tenant {
  id: string;
  domain: string;
  client: Client;
}

export function tenantOf(client: Client): Tenant {
  return { id: tenantIdFor(client.domain), domain: client.domain.toLowerCase(), client };
}

export function findTenant(world: World, idOrDomain: string): Tenant | null {
  const key = idOrDomain.toLowerCase();
  for (const c of world.clients) {
    const t = tenantOf(c);
    if (t.domain === key || t.id === key) return t;
  }
  return null;
}
