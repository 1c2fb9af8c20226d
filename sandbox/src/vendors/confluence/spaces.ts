import type { SandboxContext } from '../../core/context';
import type { World } from '../../core/world';
import type { LibraryDoc } from '../itglue/docs-library';

/**
 * Confluence spaces: one per client, keyed by the client's hostname prefix (Tailspin: TSP, the key the
 * desk configuration uses), and `MSP` for Harborline's own pages. Only clients whose docs system is
 * Confluence have pages in the seed; the others' spaces exist but are empty (admin may add pages).
 */
export interface Space {
  id: number;
  key: string;
  name: string;
  clientIdentifier: string | null;
}

const cache = new WeakMap<World, Space[]>();

export function spaces(ctx: SandboxContext): Space[] {
  const hit = cache.get(ctx.world);
  if (hit) return hit;
  const list: Space[] = [{ id: 98_305, key: 'MSP', name: ctx.world.msp.name, clientIdentifier: null }];
  ctx.world.clients.forEach((c, i) => {
    const prefix = /^([A-Z]+)-/.exec(c.devices[0]?.hostname ?? '')?.[1] ?? c.identifier.toUpperCase().slice(0, 6);
    list.push({ id: 98_306 + i, key: prefix, name: c.name, clientIdentifier: c.identifier });
  });
  cache.set(ctx.world, list);
  return list;
}

export function spaceOfDoc(ctx: SandboxContext, doc: LibraryDoc): Space {
  const all = spaces(ctx);
  return all.find((s) => (s.clientIdentifier?.toLowerCase() ?? null) === (doc.clientIdentifier?.toLowerCase() ?? null)) ?? all[0];
}
