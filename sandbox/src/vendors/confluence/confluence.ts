import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { getLibraryDoc, type LibraryDoc, listLibrary, renderDoc } from '../itglue/docs-library';
import { intParam, stringParam } from '../itglue/query';
import { compare, CqlError, parseCql } from './cql';
import { type Space, spaceOfDoc, spaces } from './spaces';

/**
 * Confluence Cloud under `/wiki`: REST v1 (`/rest/api/content`, `/rest/api/content/search?cql=`,
 * `/rest/api/space`) with offset pagination (`start`, `limit`, `_links.next` relative to `_links.base`),
 * and v2 (`/api/v2/pages`, `/api/v2/spaces`) with cursor pagination. Bodies are storage format (XHTML).
 * Basic auth with the account's email and API token.
 */
const EMAIL = process.env.SANDBOX_CONFLUENCE_EMAIL ?? 'docs@harborline-it.example';
const TOKEN = process.env.SANDBOX_CONFLUENCE_TOKEN ?? 'sandbox-confluence-token';
const ACCOUNT_ID = '5b10ac8d82e05b22cc7d4ef5';

function auth(req: Request, res: Response, next: NextFunction): void {
  const h = req.get('authorization') ?? '';
  const m = /^Basic\s+(.+)$/i.exec(h);
  const [email, token] = m ? Buffer.from(m[1], 'base64').toString('utf8').split(/:(.*)/s) : [];
  if (email !== EMAIL || token !== TOKEN) {
    return void res.status(401).json({ statusCode: 401, message: 'Client must be authenticated to access this resource.' });
  }
  res.locals.principal = email;
  next();
}

const wikiBase = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}/wiki`;

function expands(req: Request): Set<string> {
  return new Set((stringParam(req, 'expand') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

function spaceJson(s: Space) {
  return { id: s.id, key: s.key, name: s.name, type: 'global', status: 'current', _links: { webui: `/spaces/${s.key}`, self: `/rest/api/space/${s.key}` } };
}

function version(doc: LibraryDoc) {
  return {
    by: { type: 'known', accountId: ACCOUNT_ID, accountType: 'atlassian', publicName: 'Harborline Docs', displayName: 'Harborline Docs' },
    when: doc.updatedAt, number: doc.version, message: '', minorEdit: false,
  };
}

function contentJson(ctx: SandboxContext, doc: LibraryDoc, exp: Set<string>) {
  const space = spaceOfDoc(ctx, doc);
  const out: Record<string, unknown> = {
    id: String(doc.id), type: 'page', status: 'current', title: doc.title,
    _links: { webui: `/spaces/${space.key}/pages/${doc.id}`, self: `/rest/api/content/${doc.id}`, tinyui: `/x/${doc.id.toString(36)}` },
  };
  const expandable: Record<string, string> = {};
  if (exp.has('space')) out.space = spaceJson(space);
  else expandable.space = `/rest/api/space/${space.key}`;
  if (exp.has('version')) out.version = version(doc);
  else expandable.version = '';
  if (exp.has('history')) out.history = { latest: true, createdDate: doc.createdAt, createdBy: version(doc).by };
  else expandable.history = `/rest/api/content/${doc.id}/history`;
  if (exp.has('body.storage') || exp.has('body')) out.body = { storage: { value: renderDoc(doc, 'storage'), representation: 'storage' } };
  else expandable.body = '';
  out._expandable = expandable;
  return out;
}

/** Offset page in v1 shape; `_links.next` is relative to `_links.base`, as Confluence returns it. */
function v1Page(ctx: SandboxContext, req: Request, docs: LibraryDoc[]) {
  const start = Math.max(0, Number(stringParam(req, 'start') ?? 0) || 0);
  const exp = expands(req);
  // Confluence caps pages that expand bodies lower than plain listings.
  const limit = intParam(stringParam(req, 'limit'), 25, exp.size ? 100 : 250);
  const slice = docs.slice(start, start + limit);
  const path = req.path.replace(/^\/wiki/, '');
  const rest: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) if (k !== 'start' && k !== 'limit' && typeof v === 'string') rest[k] = v;
  const link = (s: number) => `${path}?${new URLSearchParams({ ...rest, limit: String(limit), start: String(s) }).toString()}`;
  const links: Record<string, string> = { base: wikiBase(req), context: '/wiki', self: `${wikiBase(req)}${path}` };
  if (start + limit < docs.length) links.next = link(start + limit);
  if (start > 0) links.prev = link(Math.max(0, start - limit));
  return { results: slice.map((d) => contentJson(ctx, d, exp)), start, limit, size: slice.length, totalSize: docs.length, _links: links };
}

function v2Page(req: Request, docs: LibraryDoc[]) {
  const limit = intParam(stringParam(req, 'limit'), 25, 250);
  const cursor = stringParam(req, 'cursor');
  // Cursor = the last id served, opaque to clients (base64), as Confluence's cursors are.
  const after = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8')) || 0 : 0;
  const rest = docs.filter((d) => d.id > after);
  const slice = rest.slice(0, limit);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) if (k !== 'cursor' && typeof v === 'string') params.set(k, v);
  const links: Record<string, string> = { base: wikiBase(req) };
  if (rest.length > limit) {
    params.set('cursor', Buffer.from(String(slice[slice.length - 1].id)).toString('base64url'));
    links.next = `${req.path}?${params.toString()}`;
  }
  return { slice, links };
}

function pageV2Json(ctx: SandboxContext, doc: LibraryDoc, bodyFormat: string | undefined) {
  const space = spaceOfDoc(ctx, doc);
  const out: Record<string, unknown> = {
    id: String(doc.id), status: 'current', title: doc.title, spaceId: String(space.id), parentId: null, parentType: null, position: doc.id,
    authorId: ACCOUNT_ID, ownerId: ACCOUNT_ID, createdAt: doc.createdAt,
    version: { number: doc.version, message: '', minorEdit: false, authorId: ACCOUNT_ID, createdAt: doc.updatedAt },
    body: {}, _links: { webui: `/spaces/${space.key}/pages/${doc.id}`, editui: `/pages/resumedraft.action?draftId=${doc.id}`, tinyui: `/x/${doc.id.toString(36)}` },
  };
  if (bodyFormat === 'storage') out.body = { storage: { representation: 'storage', value: renderDoc(doc, 'storage') } };
  return out;
}

export function mountConfluence(ctx: SandboxContext): Router {
  const r = express.Router();
  r.use('/wiki', auth);
  const wrap = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };
  const notFound = (res: Response, what: string) => void res.status(404).json({ statusCode: 404, message: `No content found with id: ${what}` });
  const docsOfSpace = async (key: string | undefined) => {
    if (!key) return listLibrary(ctx, 'confluence');
    const space = spaces(ctx).find((s) => s.key === key);
    return space ? listLibrary(ctx, 'confluence', { clientIdentifier: space.clientIdentifier }) : [];
  };

  r.get('/wiki/rest/api/space', (req, res) => {
    const keys = (stringParam(req, 'spaceKey') ?? '').split(',').filter(Boolean);
    const list = spaces(ctx).filter((s) => !keys.length || keys.includes(s.key));
    res.json({ results: list.map(spaceJson), start: 0, limit: 25, size: list.length, _links: { base: wikiBase(req), context: '/wiki' } });
  });
  r.get('/wiki/rest/api/space/:key', (req, res) => {
    const s = spaces(ctx).find((x) => x.key === req.params.key);
    if (!s) return void res.status(404).json({ statusCode: 404, message: `No space with key : ${req.params.key}` });
    res.json(spaceJson(s));
  });

  r.get('/wiki/rest/api/content', wrap(async (req, res) => {
    const type = stringParam(req, 'type') ?? 'page';
    const status = stringParam(req, 'status') ?? 'current';
    let docs = type === 'page' && status === 'current' ? await docsOfSpace(stringParam(req, 'spaceKey')) : [];
    const title = stringParam(req, 'title');
    if (title) docs = docs.filter((d) => d.title === title);
    res.json(v1Page(ctx, req, docs));
  }));

  r.get('/wiki/rest/api/content/search', wrap(async (req, res) => {
    const cql = stringParam(req, 'cql');
    if (!cql) return void res.status(400).json({ statusCode: 400, message: 'CQL query parameter is required' });
    let q;
    try {
      q = parseCql(cql);
    } catch (e) {
      if (e instanceof CqlError) return void res.status(400).json({ statusCode: 400, message: e.message });
      throw e;
    }
    let docs = q.type && q.type !== 'page' ? [] : await listLibrary(ctx, 'confluence');
    if (q.spaces) {
      const wanted = q.spaces;
      docs = docs.filter((d) => wanted.includes(spaceOfDoc(ctx, d).key));
    }
    const title = q.title;
    if (title) docs = docs.filter((d) => (title.op === '=' ? d.title === title.value : d.title.toLowerCase().includes(title.value.toLowerCase())));
    for (const c of q.lastModified) docs = docs.filter((d) => compare(c.op, Date.parse(d.updatedAt), c.at));
    for (const c of q.created) docs = docs.filter((d) => compare(c.op, Date.parse(d.createdAt), c.at));
    const order = q.orderBy;
    if (order) {
      const key = (d: LibraryDoc): string | number => (order.field === 'lastModified' ? d.updatedAt : order.field === 'created' ? d.createdAt : order.field === 'title' ? d.title : d.id);
      docs = [...docs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (order.desc ? -1 : 1));
    }
    res.json({ ...v1Page(ctx, req, docs), cqlQuery: cql });
  }));

  r.get('/wiki/rest/api/content/:id', wrap(async (req, res) => {
    const id = Number(req.params.id);
    const doc = Number.isInteger(id) ? await getLibraryDoc(ctx, 'confluence', id) : null;
    if (!doc) return notFound(res, String(req.params.id));
    res.json(contentJson(ctx, doc, expands(req)));
  }));

  r.get('/wiki/api/v2/spaces', (req, res) => {
    const keys = (stringParam(req, 'keys') ?? '').split(',').filter(Boolean);
    const list = spaces(ctx).filter((s) => !keys.length || keys.includes(s.key));
    res.json({
      results: list.map((s) => ({ id: String(s.id), key: s.key, name: s.name, type: 'global', status: 'current', authorId: ACCOUNT_ID, createdAt: '2023-01-09T15:00:00.000Z', homepageId: null, _links: { webui: `/spaces/${s.key}` } })),
      _links: { base: wikiBase(req) },
    });
  });

  const listV2 = (spaceIds: string[] | null) => wrap(async (req, res) => {
    let docs = await listLibrary(ctx, 'confluence');
    if (spaceIds) docs = docs.filter((d) => spaceIds.includes(String(spaceOfDoc(ctx, d).id)));
    const title = stringParam(req, 'title');
    if (title) docs = docs.filter((d) => d.title === title);
    const { slice, links } = v2Page(req, docs);
    res.json({ results: slice.map((d) => pageV2Json(ctx, d, stringParam(req, 'body-format'))), _links: links });
  });
  r.get('/wiki/api/v2/pages', (req, res, next) => {
    const ids = stringParam(req, 'space-id');
    return listV2(ids ? ids.split(',') : null)(req, res, next);
  });
  r.get('/wiki/api/v2/spaces/:id/pages', (req, res, next) => listV2([String(req.params.id)])(req, res, next));
  r.get('/wiki/api/v2/pages/:id', wrap(async (req, res) => {
    const id = Number(req.params.id);
    const doc = Number.isInteger(id) ? await getLibraryDoc(ctx, 'confluence', id) : null;
    if (!doc) return void res.status(404).json({ errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] });
    res.json(pageV2Json(ctx, doc, stringParam(req, 'body-format')));
  }));

  r.use((req, res) => void res.status(404).json({ statusCode: 404, message: `null for uri: ${req.originalUrl}` }));
  return r;
}
