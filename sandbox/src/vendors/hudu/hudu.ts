import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import type { Client } from '../../core/world';
import { clientById, getLibraryDoc, type LibraryDoc, listLibrary, parseRange, renderDoc } from '../itglue/docs-library';
import { intParam, stringParam } from '../itglue/query';

/**
 * Hudu (`/api/v1`): companies and knowledge-base articles. Lists are wrapped (`{articles: [...]}`), single
 * records too (`{article: {...}}`); pagination is `page` (from 1) and `page_size` (default 25), with no
 * total: a short page is the last one. `updated_at=start,end` filters by modification time (either side may
 * be empty). Global articles (not tied to a company) have `company_id: null`. A company's id is its client id.
 */
const API_KEY = process.env.SANDBOX_HUDU_API_KEY ?? 'sandbox-hudu-key';
const MAX_PAGE = 1000;

function auth(req: Request, res: Response, next: NextFunction): void {
  if (req.get('x-api-key') !== API_KEY) return void res.status(401).json({ error: 'Unauthorized', message: 'Invalid or missing API key' });
  res.locals.principal = 'hudu-api-key';
  next();
}

function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
}

const slugify = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function companyJson(req: Request, c: Client) {
  return {
    id: c.id, name: c.name, nickname: c.identifier, company_type: 'Client', id_number: c.identifier, website: c.domain,
    phone_number: null, address_line_1: null, city: null, state: null, zip: null, country_name: null, notes: '', archived: false,
    slug: `${slugify(c.name)}-${c.id}`, object_type: 'Company', url: `${origin(req)}/c/${slugify(c.name)}-${c.id}`,
    full_url: `${origin(req)}/c/${slugify(c.name)}-${c.id}`, created_at: '2023-01-09T15:00:00.000Z', updated_at: '2026-01-05T15:00:00.000Z',
  };
}

function articleJson(ctx: SandboxContext, req: Request, doc: LibraryDoc) {
  const company = doc.clientIdentifier ? ctx.world.clients.find((c) => c.identifier === doc.clientIdentifier) : undefined;
  const slug = `${slugify(doc.title)}-${doc.id}`;
  return {
    id: doc.id, name: doc.title, content: renderDoc(doc, 'html'), company_id: company?.id ?? null, folder_id: null, draft: false,
    enable_sharing: false, share_url: null, slug, object_type: 'Article', url: `${origin(req)}/kba/${slug}`,
    created_at: doc.createdAt, updated_at: doc.updatedAt,
  };
}

function paginate<T>(req: Request, items: T[]): T[] {
  const size = intParam(stringParam(req, 'page_size'), 25, MAX_PAGE);
  const pageNo = intParam(stringParam(req, 'page'), 1, Number.MAX_SAFE_INTEGER);
  return items.slice((pageNo - 1) * size, pageNo * size);
}

export function mountHudu(ctx: SandboxContext): Router {
  const r = express.Router();
  r.use('/api/v1', auth);

  r.get('/api/v1/companies', (req, res) => {
    const name = stringParam(req, 'name')?.toLowerCase();
    const companies = ctx.world.clients.filter((c) => !name || c.name.toLowerCase() === name);
    res.json({ companies: paginate(req, companies).map((c) => companyJson(req, c)) });
  });

  r.get('/api/v1/companies/:id', (req, res) => {
    const c = clientById(ctx.world, Number(req.params.id));
    if (!c) return void res.status(404).json({ error: 'Record not found' });
    res.json({ company: companyJson(req, c) });
  });

  r.get('/api/v1/articles', async (req, res, next) => {
    try {
      const companyParam = stringParam(req, 'company_id');
      let clientIdentifier: string | undefined;
      if (companyParam !== undefined && companyParam !== '') {
        const c = clientById(ctx.world, Number(companyParam));
        if (!c) return void res.json({ articles: [] });
        clientIdentifier = c.identifier;
      }
      const updated = stringParam(req, 'updated_at');
      const range = updated === undefined ? { from: null, to: null } : parseRange(updated);
      if (!range) return void res.status(422).json({ error: 'updated_at must be "start,end"' });
      const docs = await listLibrary(ctx, 'hudu', { clientIdentifier, updatedFrom: range.from, updatedTo: range.to, title: stringParam(req, 'name') ?? null });
      res.json({ articles: paginate(req, docs).map((d) => articleJson(ctx, req, d)) });
    } catch (e) {
      next(e);
    }
  });

  r.get('/api/v1/articles/:id', async (req, res, next) => {
    try {
      const id = Number(req.params.id);
      const doc = Number.isInteger(id) ? await getLibraryDoc(ctx, 'hudu', id) : null;
      if (!doc) return void res.status(404).json({ error: 'Record not found' });
      res.json({ article: articleJson(ctx, req, doc) });
    } catch (e) {
      next(e);
    }
  });

  r.get('/api/v1/api_info', (_req, res) => {
    res.json({ version: '2.37.1', date: '2026-10-14' });
  });

  r.use((req, res) => void res.status(404).json({ error: `No route ${req.method} ${req.path}` }));
  return r;
}
