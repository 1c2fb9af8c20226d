import { TicketCategory } from '@desk/contracts';

/** An open desk ticket that later tickets can attach to. */
export interface OpenTicket {
  key: string;
  ticketId: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

/** Where open tickets live (PostgreSQL in the service, a Map in tests). */
export interface OpenTicketStore {
  /** The open ticket for `key` seen at or after `since`, if any. */
  find(key: string, since: string): Promise<OpenTicket | null>;
  /** Records a new open ticket, or bumps the count / lastSeen of the existing one. */
  upsert(entry: { key: string; ticketId: string; kind: 'duplicate' | 'storm'; client: string | null; category: TicketCategory; at: string }): Promise<OpenTicket>;
}

export interface DuplicateWindows {
  /** Same person + same category within this many minutes attaches to the open ticket. */
  duplicateMinutes: number;
  /** Same device + alert condition within this many minutes is one storm. */
  stormMinutes: number;
}

export const DEFAULT_WINDOWS: DuplicateWindows = { duplicateMinutes: 240, stormMinutes: 60 };

/** "Windows Service - Spooler (Print Spooler) state is Stopped for more than 5 minutes" → "windows service spooler print spooler state is stopped for more than minutes". */
export function normaliseCondition(condition: string): string {
  return condition.toLowerCase().replace(/\d+/g, '').replace(/[^a-z]+/g, ' ').trim().slice(0, 200);
}

export function duplicateKey(client: string | null, person: string | null, category: TicketCategory): string | null {
  if (!client || !person) return null;
  return `dup|${client.toLowerCase()}|${person.toLowerCase()}|${category}`;
}

export function stormKey(client: string | null, device: string | null, condition: string): string | null {
  if (!device) return null;
  return `storm|${(client ?? '?').toLowerCase()}|${device.toLowerCase()}|${normaliseCondition(condition)}`;
}

export interface AttachDecision {
  duplicateOf: string | null;
  kind: 'duplicate' | 'storm' | null;
  count: number;
}

/**
 * Looks up the open ticket for this key inside its window; records this ticket when there is none (so the
 * next one attaches to it). A ticket never attaches to itself (redelivery of the same event).
 */
export async function attachOrOpen(
  store: OpenTicketStore,
  args: { key: string | null; kind: 'duplicate' | 'storm'; ticketId: string; client: string | null; category: TicketCategory; at: string; windowMinutes: number; alertCount: number },
): Promise<AttachDecision> {
  if (!args.key) return { duplicateOf: null, kind: null, count: 1 };
  const since = new Date(new Date(args.at).getTime() - args.windowMinutes * 60_000).toISOString();
  const open = await store.find(args.key, since);
  if (open && open.ticketId !== args.ticketId) {
    const updated = await store.upsert({ key: args.key, ticketId: open.ticketId, kind: args.kind, client: args.client, category: args.category, at: args.at });
    return { duplicateOf: open.ticketId, kind: args.kind, count: updated.count };
  }
  if (!open) await store.upsert({ key: args.key, ticketId: args.ticketId, kind: args.kind, client: args.client, category: args.category, at: args.at });
  return { duplicateOf: null, kind: null, count: Math.max(1, args.alertCount) };
}

/** In-memory store for tests and the benchmark. */
export class MemoryOpenTicketStore implements OpenTicketStore {
  readonly rows = new Map<string, OpenTicket>();

  async find(key: string, since: string): Promise<OpenTicket | null> {
    const r = this.rows.get(key);
    return r && r.lastSeen >= since ? { ...r } : null;
  }

  async upsert(e: { key: string; ticketId: string; at: string }): Promise<OpenTicket> {
    const r = this.rows.get(e.key);
    const next = r && r.ticketId === e.ticketId
      ? { ...r, count: r.count + 1, lastSeen: e.at > r.lastSeen ? e.at : r.lastSeen }
      : { key: e.key, ticketId: e.ticketId, count: 1, firstSeen: e.at, lastSeen: e.at };
    this.rows.set(e.key, next);
    return { ...next };
  }
}
