import type { SandboxContext } from '../../core/context';
import { Kinds } from '../../core/seed';

export interface Pick { value: number; label: string; closed: boolean; isDefault: boolean }
interface StoredBoard { id: number; name: string; statuses: Array<{ name: string; closed: boolean }> }

/** Ticket statuses are one global picklist: every status name of any board (closed if a board closes with it). */
export async function statusPicklist(ctx: SandboxContext): Promise<Pick[]> {
  const out: Pick[] = [];
  for (const b of await ctx.store.list<StoredBoard>(Kinds.board)) {
    for (const s of b.statuses) {
      const have = out.find((x) => x.label.toLowerCase() === s.name.toLowerCase());
      if (have) have.closed ||= s.closed;
      else out.push({ value: out.length + 1, label: s.name, closed: s.closed, isDefault: out.length === 0 });
    }
  }
  return out;
}

/** Queues are the MSP's boards. */
export async function queuePicklist(ctx: SandboxContext): Promise<Pick[]> {
  return (await ctx.store.list<StoredBoard>(Kinds.board)).map((b, i) => ({ value: 29682800 + b.id, label: b.name, closed: false, isDefault: i === 0 }));
}

export async function priorityPicklist(ctx: SandboxContext): Promise<Pick[]> {
  return (await ctx.store.list<{ id: number; name: string; level: number }>(Kinds.priority)).map((p) => ({ value: p.level, label: p.name, closed: false, isDefault: p.level === 3 }));
}

export const picklistJson = (p: Pick[]) => p.map((x, i) => ({ value: String(x.value), label: x.label, isDefaultValue: x.isDefault, sortOrder: i + 1, parentValue: '', isActive: true, isSystem: false }));
