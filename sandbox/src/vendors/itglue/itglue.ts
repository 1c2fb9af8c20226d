import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { getLibraryDoc, type LibraryDoc, listLibrary, MSP_ORGANIZATION_ID, parseRange, renderDoc } from './docs-library';
import { bracketParam, intParam, selfUrl } from './query';

/**
 * IT Glue (JSON:API). Documents are read through the organization's relationship, as IT Glue documents
 * it: `GET /organizations/{id}/relationships/documents` (index, with `page[size]`/`page[number]`,
 * `filter[updated_at]=start,end` where `*` leaves a side open, `filter[name]`, `sort`) and
 * `GET /organizations/{id}/relationships/documents/{doc}` or `GET /documents/{doc}` (show). The body is the
 * document's `content` attribute (HTML). Org 100 is the MSP itself (global runbooks); a client's org id is
 * its client id.
 */
const API_KEY = process.env.SANDBOX_ITGLUE_API_KEY ?? 'ITG.sandbox-harborline';
const JSONAPI = 'application/vnd.api+json';
const MAX_PAGE = 1000;

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type(JSONAPI).send(JSON.stringify(body));
}

function errors(res: Response, status: number, title: string, detail: string): void {
  send(res, status, { errors: [{ status: String(status), title, detail }] });
}

function auth(req: Request, res: Response, next: NextFunction): void {
  if (req.get('x-api-key') !== API_KEY) return errors(res, 401, 'Unauthorized', 'Invalid API key');
  res.locals.principal = 'itglue-api-key';
  next();
}

interface Org {
  id: number;
  name: string;
  shortName: string;
  type: 'Owner' | 'Customer';
  clientIdentifier: string | null;
}

function organizations(ctx: SandboxContext): Org[] {
  const msp: Org = { id: MSP_ORGANIZATION_ID, name: ctx.world.msp.name, shortName: 'HTP', type: 'Owner', clientIdentifier: null };
  return [msp, ...ctx.world.clients.map((c): Org => ({ id: c.id, name: c.name, shortName: c.identifier, type: 'Customer', clientIdentifier: c.identifier }))];
}

function orgJson(o: Org) {
  return {
    id: String(o.id), type: 'organizations',
    attributes: {
      name: o.name, 'short-name': o.shortName, description: null, 'organization-type-name': o.type, 'organization-status-name': 'Active',
      primary: o.type === 'Owner', 'quick-notes': null, alert: null, 'psa-integration': o.clientIdentifier ? 'enabled' : null,
      'created-at': '2023-01-09T15:00:00.000Z', 'updated-at': '2026-01-05T15:00:00.000Z',
    },
  };
}

function orgOf(ctx: SandboxContext, doc: LibraryDoc): Org {
  const all = organizations(ctx);
  return all.find((o) => (o.clientIdentifier?.toLowerCase() ?? null) === (doc.clientIdentifier?.toLowerCase() ?? null)) ?? all[0];
}

function documentJson(ctx: SandboxContext, req: Request, doc: LibraryDoc) {
  const org = orgOf(ctx, doc);
  return {
    id: String(doc.id), type: 'documents',
    attributes: {
      'organization-id': org.id, 'organization-name': org.name, name: doc.title, content: renderDoc(doc, 'html'),
      restricted: false, 'my-glue': false, archived: false, 'is-uploaded': false, 'document-folder-id': null, public: false,
      'created-at': doc.createdAt, 'updated-at': doc.updatedAt, 'published-at': doc.updatedAt,
      'resource-url': `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}/${org.id}/docs/${doc.id}`,
    },
    relationships: {},
  };
}

/** One JSON:API page with IT Glue's links and meta. */
function page<T>(req: Request, items: T[]): { slice: T[]; links: Record<string, string>; meta: Record<string, unknown> } {
  const size = intParam(bracketParam(req, 'page', 'size'), 50, MAX_PAGE);
  const total = items.length;
  const pages = Math.max(1, Math.ceil(total / size));
  const number = intParam(bracketParam(req, 'page', 'number'), 1, Number.MAX_SAFE_INTEGER);
  const keep: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) {
    if (k === 'page') continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [kk, vv] of Object.entries(v)) keep[`${k}[${kk}]`] = String(vv);
    else if (!k.startsWith('page[')) keep[k] = String(v);
  }
  const link = (n: number) => selfUrl(req, { ...keep, 'page[number]': n, 'page[size]': size });
  const links: Record<string, string> = { self: link(number), first: link(1), last: link(pages) };
  if (number < pages) links.next = link(number + 1);
  if (number > 1) links.prev = link(number - 1);
  return {
    slice: items.slice((number - 1) * size, number * size), links,
    meta: { 'current-page': number, 'next-page': number < pages ? number + 1 : null, 'prev-page': number > 1 ? number - 1 : null, 'total-pages': pages, 'total-count': total, filters: {} },
  };
}

function sortDocs(docs: LibraryDoc[], sort: string | undefined): LibraryDoc[] | null {
  if (!sort) return docs;
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  const keyOf: Record<string, (d: LibraryDoc) => number | string> = {
    id: (d) => d.id, name: (d) => d.title.toLowerCase(), created_at: (d) => d.createdAt, updated_at: (d) => d.updatedAt,
  };
  const key = keyOf[field];
  if (!key) return null;
  return [...docs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (desc ? -1 : 1));
}

interface Section {
  type: 'Document::Heading' | 'Document::Text';
  content: string;
  level?: number;
}

/** Splits a rendered document at its headings: heading sections and the text between them. */
export function sectionsOf(html: string): Section[] {
  const out: Section[] = [];
  const re = /<h([1-6])>([\s\S]*?)<\/h\1>\n?/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) {
    const before = html.slice(last, m.index).trim();
    if (before) out.push({ type: 'Document::Text', content: before });
    out.push({ type: 'Document::Heading', content: m[2], level: Number(m[1]) });
    last = re.lastIndex;
  }
  const rest = html.slice(last).trim();
  if (rest) out.push({ type: 'Document::Text', content: rest });
  return out;
}

export function mountItGlue(ctx: SandboxContext): Router {
  const r = express.Router();
  r.use(auth);

  r.get('/organizations', (req, res) => {
    const name = bracketParam(req, 'filter', 'name')?.toLowerCase();
    const id = bracketParam(req, 'filter', 'id');
    const orgs = organizations(ctx).filter((o) => (!name || o.name.toLowerCase() === name) && (!id || String(o.id) === id));
    const p = page(req, orgs);
    send(res, 200, { data: p.slice.map(orgJson), links: p.links, meta: p.meta });
  });

  r.get('/organizations/:id', (req, res) => {
    const org = organizations(ctx).find((o) => String(o.id) === req.params.id);
    if (!org) return errors(res, 404, 'Record not found', `organization ${req.params.id} not found`);
    send(res, 200, { data: orgJson(org) });
  });

  const listFor = async (req: Request, res: Response, orgId: string | undefined) => {
    const org = orgId === undefined ? undefined : organizations(ctx).find((o) => String(o.id) === orgId);
    if (orgId !== undefined && !org) return errors(res, 404, 'Record not found', `organization ${orgId} not found`);
    const updated = bracketParam(req, 'filter', 'updated_at');
    const range = updated === undefined ? { from: null, to: null } : parseRange(updated);
    if (!range) return errors(res, 422, 'Unprocessable Entity', 'filter[updated_at] must be "start,end" (use * for an open end)');
    const docs = await listLibrary(ctx, 'itglue', {
      clientIdentifier: org === undefined ? undefined : org.clientIdentifier, updatedFrom: range.from, updatedTo: range.to,
      title: bracketParam(req, 'filter', 'name') ?? null,
    });
    const sorted = sortDocs(docs, typeof req.query.sort === 'string' ? req.query.sort : undefined);
    if (!sorted) return errors(res, 400, 'Bad Request', `unsupported sort ${String(req.query.sort)}`);
    const p = page(req, sorted);
    send(res, 200, { data: p.slice.map((d) => documentJson(ctx, req, d)), links: p.links, meta: p.meta });
  };

  r.get('/organizations/:id/relationships/documents', (req, res, next) => {
    listFor(req, res, String(req.params.id)).catch(next);
  });
  // Also accepted: the flat index with filter[organization_id] (older API clients use it).
  r.get('/documents', (req, res, next) => {
    listFor(req, res, bracketParam(req, 'filter', 'organization_id')).catch(next);
  });

  const show = async (req: Request, res: Response, orgId: string | undefined) => {
    const id = Number(req.params.docId);
    const doc = Number.isInteger(id) ? await getLibraryDoc(ctx, 'itglue', id) : null;
    const org = doc ? orgOf(ctx, doc) : undefined;
    if (!doc || !org || (orgId !== undefined && String(org.id) !== orgId)) return errors(res, 404, 'Record not found', `document ${req.params.docId} not found`);
    send(res, 200, { data: documentJson(ctx, req, doc) });
  };
  r.get('/organizations/:id/relationships/documents/:docId', (req, res, next) => {
    show(req, res, String(req.params.id)).catch(next);
  });
  r.get('/documents/:docId', (req, res, next) => {
    show(req, res, undefined).catch(next);
  });

  // Newer IT Glue documents are made of sections (headings and text blocks); the same content, split.
  r.get('/documents/:docId/relationships/document_sections', async (req, res, next) => {
    try {
      const id = Number(req.params.docId);
      const doc = Number.isInteger(id) ? await getLibraryDoc(ctx, 'itglue', id) : null;
      if (!doc) return errors(res, 404, 'Record not found', `document ${req.params.docId} not found`);
      const data = sectionsOf(renderDoc(doc, 'html')).map((sec, i) => ({
        id: String(doc.id * 100 + i + 1), type: 'document-sections',
        attributes: {
          'document-id': doc.id, 'resource-type': sec.type, sort: i + 1, content: sec.content, 'rendered-content': sec.content,
          ...(sec.level ? { level: sec.level } : {}), 'created-at': doc.createdAt, 'updated-at': doc.updatedAt,
        },
      }));
      const p = page(req, data);
      send(res, 200, { data: p.slice, links: p.links, meta: p.meta });
    } catch (e) {
      next(e);
    }
  });

  r.use((req, res) => errors(res, 404, 'Not Found', `no route ${req.method} ${req.path}`));
  return r;
}

