import type { SandboxContext } from '../../core/context';
import type { Contact } from '../../core/world';
import { Kinds } from '../../core/seed';
import { type Doc, href } from './common';

export interface StoredStatus { id: number; name: string; closed: boolean; sortOrder: number; default: boolean }
export interface StoredBoard { id: number; name: string; statuses: StoredStatus[] }
export interface StoredCompany { id: number; identifier: string; name: string; domain: string }
export interface StoredPriority { id: number; name: string; level: number }
type Key = { id?: number; identifier?: string; name?: string } | null;

const eq = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

export async function findCompany(ctx: SandboxContext, k: Key): Promise<StoredCompany | null> {
  if (!k) return null;
  const all = await ctx.store.list<StoredCompany>(Kinds.client);
  return all.find((c) => (k.id !== undefined && c.id === k.id) || eq(k.identifier, c.identifier) || (k.id === undefined && !k.identifier && eq(k.name, c.name))) ?? null;
}

export async function findBoard(ctx: SandboxContext, k: Key): Promise<StoredBoard | null> {
  if (!k) return null;
  const all = await ctx.store.list<StoredBoard>(Kinds.board);
  return all.find((b) => (k.id !== undefined ? b.id === k.id : eq(k.name, b.name))) ?? null;
}

export function findStatus(board: StoredBoard, k: Key): StoredStatus | undefined {
  if (!k) return undefined;
  return board.statuses.find((s) => (k.id !== undefined ? s.id === k.id : eq(k.name, s.name)));
}

export async function findPriority(ctx: SandboxContext, k: Key): Promise<StoredPriority | null> {
  if (!k) return null;
  const all = await ctx.store.list<StoredPriority>(Kinds.priority);
  return all.find((p) => (k.id !== undefined ? p.id === k.id : eq(k.name, p.name))) ?? null;
}

export const companyRef = (ctx: SandboxContext, c: StoredCompany): Doc => ({
  id: c.id, identifier: c.identifier, name: c.name, _info: { company_href: href(ctx, `/company/companies/${c.id}`) },
});
export const boardRef = (ctx: SandboxContext, b: StoredBoard): Doc => ({ id: b.id, name: b.name, _info: { board_href: href(ctx, `/service/boards/${b.id}`) } });
export const statusRef = (ctx: SandboxContext, b: StoredBoard, s: StoredStatus): Doc => ({
  id: s.id, name: s.name, Sort: s.sortOrder, _info: { status_href: href(ctx, `/service/boards/${b.id}/statuses/${s.id}`) },
});
export const priorityRef = (ctx: SandboxContext, p: StoredPriority): Doc => ({
  id: p.id, name: p.name, sort: p.level, level: String(p.level), _info: { priority_href: href(ctx, `/service/priorities/${p.id}`) },
});
export const contactRef = (ctx: SandboxContext, c: Contact): Doc => ({
  id: c.id, name: `${c.firstName} ${c.lastName}`, _info: { contact_href: href(ctx, `/company/contacts/${c.id}`) },
});
