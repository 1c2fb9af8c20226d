import type { SandboxContext } from '../../core/context';
import type { Client, World } from '../../core/world';
import { runbookMeta, toHtml, toStorage } from './docs-render';

/**
 * The documents the three docs vendors serve (IT Glue, Hudu, Confluence), in one vendor-neutral model.
 * Kept here, in the IT Glue module (the MSP's own docs system), and shared by the Hudu and Confluence modules.
 *
 * Three sources, merged on read so that a store reset brings back the seed with no extra work:
 * - the seed: every runbook of the demo world, in its client's docs system (global runbooks: IT Glue org 100);
 * - generated documents (admin bulk generator, for the sync benchmark): one small spec row, expanded in memory;
 * - admin edits (`docs.doc` rows): added or updated documents, and tombstones for deleted ones.
 */
export type DocsVendor = 'itglue' | 'hudu' | 'confluence';
export const DOCS_VENDORS: DocsVendor[] = ['itglue', 'hudu', 'confluence'];

export interface LibraryDoc {
  system: DocsVendor;
  id: number;
  /** PSA company identifier of the client; null = the MSP's own (global) documents. */
  clientIdentifier: string | null;
  title: string;
  /** Markdown with its front matter, as written. */
  text: string;
  createdAt: string;
  updatedAt: string;
  /** Bumped on every edit (Confluence version number). */
  version: number;
  origin: 'seed' | 'generated' | 'admin';
}

interface Tombstone {
  system: DocsVendor;
  id: number;
  deleted: true;
  deletedAt: string;
}

interface GeneratedSpec {
  system: DocsVendor;
  count: number;
  clients: Array<string | null>;
  at: string;
}

export const DOC_KIND = 'docs.doc';
export const GENERATED_KIND = 'docs.generated';

/** Id ranges per origin, so seed, generated and admin documents never collide (vendor-looking numbers). */
const ID_BASE: Record<DocsVendor, { seed: number; generated: number; admin: number }> = {
  itglue: { seed: 3_100_000, generated: 5_000_000, admin: 9_000_000 },
  hudu: { seed: 100, generated: 10_000, admin: 50_000 },
  confluence: { seed: 2_457_600, generated: 5_000_000, admin: 9_000_000 },
};

/** The MSP itself in IT Glue: the organization that holds the global runbooks (config: msp.docs.organizationId). */
export const MSP_ORGANIZATION_ID = 100;

const seedCache = new WeakMap<World, LibraryDoc[]>();

function dateTime(day: string | null, fallback: string): string {
  return day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T12:00:00.000Z` : fallback;
}

export function clientBySlug(world: World, slug: string): Client | undefined {
  return world.clients.find((c) => c.slug === slug);
}

export function clientByIdentifier(world: World, identifier: string): Client | undefined {
  return world.clients.find((c) => c.identifier.toLowerCase() === identifier.toLowerCase());
}

export function clientById(world: World, id: number): Client | undefined {
  return world.clients.find((c) => c.id === id);
}

function seedDocs(world: World): LibraryDoc[] {
  const cached = seedCache.get(world);
  if (cached) return cached;
  const counters: Record<DocsVendor, number> = { itglue: 0, hudu: 0, confluence: 0 };
  const docs: LibraryDoc[] = [];
  for (const rb of world.runbooks) {
    const client = rb.folder === '_global' ? null : clientBySlug(world, rb.folder);
    if (rb.folder !== '_global' && !client) continue;
    const system: DocsVendor = client ? client.systems.docs : 'itglue';
    const meta = runbookMeta(rb.text);
    const at = dateTime(meta.updated, `${world.msp.referenceDate.slice(0, 10)}T12:00:00.000Z`);
    counters[system] += 1;
    docs.push({
      system, id: ID_BASE[system].seed + counters[system], clientIdentifier: client?.identifier ?? null,
      title: meta.title ?? rb.fileName.replace(/\.md$/, ''), text: rb.text, createdAt: at, updatedAt: at, version: 1, origin: 'seed',
    });
  }
  seedCache.set(world, docs);
  return docs;
}

const CATEGORIES = ['password_reset', 'account_unlock', 'mfa_reenroll', 'group_membership', 'distribution_list', 'software_install',
  'software_reinstall', 'vpn_connectivity', 'wifi_connectivity', 'printer', 'onboarding', 'offboarding', 'email_issue', 'service_restart',
  'security_incident'];

let generatedCache: { key: string; docs: LibraryDoc[] } | null = null;

/**
 * One template for every generated runbook, with `@@NAME@@` slots (plain text that Markdown, HTML and
 * XHTML all keep verbatim): rendered once per format, then filled per document, so a 10,000-document
 * corpus costs string replacement rather than 10,000 Markdown renders.
 */
const GENERATED_TEMPLATE = [
  '---', 'title: "@@TITLE@@"', 'category: @@CATEGORY@@', 'updated: "@@UPDATED@@"', 'owner: "Benchmark generator"', '---', '',
  '# @@TITLE@@', '', '## Applies to', 'Synthetic document @@N@@ of @@COUNT@@, for the knowledge sync benchmark.', '',
  '## Steps', '1. Confirm the request and the requester.', '2. Check the device or account in the RMM and the identity system.',
  '3. Apply the fix described by the client runbook.', '4. Record a note and a time entry.', '',
  '## Verification', 'The user confirms the issue is gone.', '', '## Escalate if', '- Anything in this document does not match what you see.', '',
].join('\n');

const fill = (template: string, vars: Record<string, string>) => template.replace(/@@([A-Z]+)@@/g, (m, k: string) => vars[k] ?? m);
const renderedTemplate: Partial<Record<'html' | 'storage', string>> = {};
const generatedVars = new WeakMap<LibraryDoc, Record<string, string>>();

/** Deterministic synthetic runbooks: realistic size and structure, dates spread over two years. */
function generatedDocs(spec: GeneratedSpec): LibraryDoc[] {
  const key = JSON.stringify(spec);
  if (generatedCache?.key === key) return generatedCache.docs;
  const base = Date.parse(spec.at);
  const docs: LibraryDoc[] = [];
  for (let i = 0; i < spec.count; i++) {
    const category = CATEGORIES[i % CATEGORIES.length];
    const updated = new Date(base - ((i * 7919) % 730) * 86_400_000).toISOString();
    const title = `Generated procedure ${i + 1} - ${category.replace(/_/g, ' ')}`;
    const vars = { TITLE: title, CATEGORY: category, UPDATED: updated.slice(0, 10), N: String(i + 1), COUNT: String(spec.count) };
    const doc: LibraryDoc = {
      system: spec.system, id: ID_BASE[spec.system].generated + i + 1, clientIdentifier: spec.clients[i % spec.clients.length] ?? null,
      title, text: fill(GENERATED_TEMPLATE, vars), createdAt: updated, updatedAt: updated, version: 1, origin: 'generated',
    };
    generatedVars.set(doc, vars);
    docs.push(doc);
  }
  generatedCache = { key, docs };
  return docs;
}

export interface LibraryFilter {
  /** undefined = every scope; null = global documents only. */
  clientIdentifier?: string | null;
  updatedFrom?: number | null;
  updatedTo?: number | null;
  title?: string | null;
}

/** Every live document of one vendor, ordered by id. */
export async function listLibrary(ctx: SandboxContext, system: DocsVendor, filter: LibraryFilter = {}): Promise<LibraryDoc[]> {
  const byId = new Map<number, LibraryDoc>();
  for (const d of seedDocs(ctx.world)) if (d.system === system) byId.set(d.id, d);
  const spec = await ctx.store.get<GeneratedSpec>(GENERATED_KIND, system);
  if (spec) for (const d of generatedDocs(spec)) byId.set(d.id, d);
  const edits = await ctx.store.list<LibraryDoc | Tombstone>(DOC_KIND, { where: { system } });
  for (const e of edits) {
    if ('deleted' in e) byId.delete(e.id);
    else byId.set(e.id, e);
  }
  const want = filter.clientIdentifier === undefined ? undefined : filter.clientIdentifier?.toLowerCase() ?? null;
  return [...byId.values()]
    .filter((d) => want === undefined || (d.clientIdentifier?.toLowerCase() ?? null) === want)
    .filter((d) => filter.updatedFrom == null || Date.parse(d.updatedAt) >= filter.updatedFrom)
    .filter((d) => filter.updatedTo == null || Date.parse(d.updatedAt) <= filter.updatedTo)
    .filter((d) => !filter.title || d.title.toLowerCase().includes(filter.title.toLowerCase()))
    .sort((a, b) => a.id - b.id);
}

export async function getLibraryDoc(ctx: SandboxContext, system: DocsVendor, id: number): Promise<LibraryDoc | null> {
  const edit = await ctx.store.get<LibraryDoc | Tombstone>(DOC_KIND, `${system}:${id}`);
  if (edit) return 'deleted' in edit ? null : edit;
  const seeded = seedDocs(ctx.world).find((d) => d.system === system && d.id === id);
  if (seeded) return seeded;
  const spec = await ctx.store.get<GeneratedSpec>(GENERATED_KIND, system);
  return spec ? generatedDocs(spec).find((d) => d.id === id) ?? null : null;
}

export interface DocInput {
  id?: number;
  clientIdentifier: string | null;
  title?: string;
  text: string;
  updatedAt?: string;
}

/** Adds a document (no id) or replaces one (id of a live document): what an editor saving a page does. */
export async function saveLibraryDoc(ctx: SandboxContext, system: DocsVendor, input: DocInput): Promise<LibraryDoc | null> {
  const now = input.updatedAt ?? new Date().toISOString();
  const existing = input.id !== undefined ? await getLibraryDoc(ctx, system, input.id) : null;
  if (input.id !== undefined && !existing) return null;
  const id = existing?.id ?? ID_BASE[system].admin + (await ctx.store.nextId(`${DOC_KIND}.${system}`));
  const meta = runbookMeta(input.text);
  const doc: LibraryDoc = {
    system, id, clientIdentifier: input.clientIdentifier, title: input.title ?? meta.title ?? `Document ${id}`, text: input.text,
    createdAt: existing?.createdAt ?? now, updatedAt: now, version: (existing?.version ?? 0) + 1, origin: 'admin',
  };
  await ctx.store.put(DOC_KIND, `${system}:${id}`, doc, input.clientIdentifier);
  return doc;
}

export async function deleteLibraryDoc(ctx: SandboxContext, system: DocsVendor, id: number): Promise<boolean> {
  const existing = await getLibraryDoc(ctx, system, id);
  if (!existing) return false;
  const tomb: Tombstone = { system, id, deleted: true, deletedAt: new Date().toISOString() };
  await ctx.store.put(DOC_KIND, `${system}:${id}`, tomb, existing.clientIdentifier);
  return true;
}

/** Replaces the generated set of one vendor (count 0 removes it). */
export async function generateLibraryDocs(ctx: SandboxContext, system: DocsVendor, count: number, clients: Array<string | null>): Promise<GeneratedSpec | null> {
  if (count <= 0) {
    await ctx.store.delete(GENERATED_KIND, system);
    return null;
  }
  const spec: GeneratedSpec = { system, count, clients: clients.length ? clients : [null], at: new Date().toISOString() };
  await ctx.store.put(GENERATED_KIND, system, spec);
  return spec;
}

const renderCache = new Map<string, string>();

/** The body as the vendor stores it, memoised (a 10,000-document listing renders each page once). */
export function renderDoc(doc: LibraryDoc, format: 'html' | 'storage'): string {
  const vars = generatedVars.get(doc);
  if (vars) {
    renderedTemplate[format] ??= format === 'html' ? toHtml(GENERATED_TEMPLATE) : toStorage(GENERATED_TEMPLATE);
    return fill(renderedTemplate[format], vars);
  }
  const key = `${doc.system}:${doc.id}:${doc.version}:${doc.updatedAt}:${format}`;
  let out = renderCache.get(key);
  if (out === undefined) {
    out = format === 'html' ? toHtml(doc.text) : toStorage(doc.text);
    if (renderCache.size > 25_000) renderCache.clear();
    renderCache.set(key, out);
  }
  return out;
}

/** `start,end` ranges as IT Glue (`*` = open) and Hudu (empty = open) take them; null when malformed. */
export function parseRange(value: unknown): { from: number | null; to: number | null } | null {
  if (typeof value !== 'string' || !value.includes(',')) return null;
  const [a, b] = value.split(',', 2).map((s) => s.trim());
  const at = (s: string) => (s === '' || s === '*' ? null : Date.parse(s));
  const from = at(a);
  const to = at(b);
  if ((from !== null && Number.isNaN(from)) || (to !== null && Number.isNaN(to))) return null;
  return { from, to };
}
