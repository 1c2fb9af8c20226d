import express, { type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../../core/context';
import { clientByIdentifier, deleteLibraryDoc, DOCS_VENDORS, type DocsVendor, generateLibraryDocs, listLibrary, saveLibraryDoc } from './docs-library';

/**
 * Test controls for the docs vendors, mounted at `/admin/docs` (not part of any vendor API):
 *   POST /admin/docs/:system/documents  {action: "upsert"|"delete", id?, clientIdentifier, title?, markdown, updatedAt?}
 *   GET  /admin/docs/:system/documents?clientIdentifier=   (vendor-neutral listing, for assertions)
 *   POST /admin/docs/generate           {count, clients?: [identifier|null], system?}  (benchmark corpus)
 * `clientIdentifier: null` is the MSP's global scope.
 */
function systemOf(req: Request, res: Response): DocsVendor | null {
  const s = String(req.params.system) as DocsVendor;
  if (!DOCS_VENDORS.includes(s)) {
    res.status(404).json({ message: `unknown docs system ${s}; one of ${DOCS_VENDORS.join(', ')}` });
    return null;
  }
  return s;
}

function clientOf(ctx: SandboxContext, v: unknown): string | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') return undefined;
  return clientByIdentifier(ctx.world, v)?.identifier;
}

export function mountDocsAdmin(ctx: SandboxContext): Router {
  const r = express.Router();

  r.get('/:system/documents', async (req, res, next) => {
    try {
      const system = systemOf(req, res);
      if (!system) return;
      const q = req.query as Record<string, unknown>;
      const scope = q.clientIdentifier === undefined ? undefined : q.clientIdentifier === 'null' || q.clientIdentifier === '' ? null : String(q.clientIdentifier);
      const docs = await listLibrary(ctx, system, { clientIdentifier: scope });
      res.json(docs.map(({ text: _text, ...meta }) => meta));
    } catch (e) {
      next(e);
    }
  });

  r.post('/:system/documents', async (req, res, next) => {
    try {
      const system = systemOf(req, res);
      if (!system) return;
      const b = (req.body ?? {}) as Record<string, unknown>;
      const id = b.id === undefined || b.id === null ? undefined : Number(b.id);
      if (id !== undefined && !Number.isInteger(id)) return void res.status(400).json({ message: 'id must be an integer' });
      if (b.action === 'delete') {
        if (id === undefined) return void res.status(400).json({ message: 'delete needs an id' });
        const ok = await deleteLibraryDoc(ctx, system, id);
        return void res.status(ok ? 200 : 404).json({ deleted: ok, id });
      }
      if (b.action !== undefined && b.action !== 'upsert') return void res.status(400).json({ message: 'action must be upsert or delete' });
      const client = clientOf(ctx, b.clientIdentifier);
      if (client === undefined) return void res.status(400).json({ message: `unknown clientIdentifier ${String(b.clientIdentifier)}` });
      if (typeof b.markdown !== 'string' || !b.markdown.trim()) return void res.status(400).json({ message: 'markdown (the document text, front matter included) is required' });
      if (b.updatedAt !== undefined && (typeof b.updatedAt !== 'string' || Number.isNaN(Date.parse(b.updatedAt)))) {
        return void res.status(400).json({ message: 'updatedAt must be an ISO date-time' });
      }
      const doc = await saveLibraryDoc(ctx, system, {
        id, clientIdentifier: client, title: typeof b.title === 'string' ? b.title : undefined, text: b.markdown,
        updatedAt: typeof b.updatedAt === 'string' ? new Date(b.updatedAt).toISOString() : undefined,
      });
      if (!doc) return void res.status(404).json({ message: `no ${system} document ${id}` });
      const { text: _text, ...meta } = doc;
      res.status(id === undefined ? 201 : 200).json(meta);
    } catch (e) {
      next(e);
    }
  });

  r.post('/generate', async (req, res, next) => {
    try {
      const b = (req.body ?? {}) as Record<string, unknown>;
      const count = Number(b.count);
      if (!Number.isInteger(count) || count < 0 || count > 100_000) return void res.status(400).json({ message: 'count must be an integer in [0, 100000]' });
      const system = (b.system ?? 'itglue') as DocsVendor;
      if (!DOCS_VENDORS.includes(system)) return void res.status(400).json({ message: `system must be one of ${DOCS_VENDORS.join(', ')}` });
      let clients: Array<string | null>;
      if (b.clients === undefined) {
        clients = [null, ...ctx.world.clients.filter((c) => c.systems.docs === system).map((c) => c.identifier)];
      } else if (Array.isArray(b.clients)) {
        const mapped = b.clients.map((c) => clientOf(ctx, c));
        if (mapped.some((c) => c === undefined)) return void res.status(400).json({ message: 'clients must be client identifiers or null' });
        clients = mapped as Array<string | null>;
      } else if (typeof b.clients === 'number') {
        clients = ctx.world.clients.filter((c) => c.systems.docs === system).slice(0, b.clients).map((c) => c.identifier);
      } else return void res.status(400).json({ message: 'clients must be an array of identifiers (null = global) or a number' });
      const spec = await generateLibraryDocs(ctx, system, count, clients);
      res.status(201).json(spec ?? { system, count: 0 });
    } catch (e) {
      next(e);
    }
  });

  return r;
}
