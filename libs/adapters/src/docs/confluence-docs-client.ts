import { z } from 'zod';
import { DocsConnection } from '../config/connections';
import { VendorNotFoundError } from '../http/errors';
import { HttpClient } from '../http/http-client';
import { assertScope, type DocsClientOptions, parseBody } from './docs-common';
import type { DocsClient, DocsDocument } from './docs-client';

type ConfluenceConnection = Extract<DocsConnection, { system: 'confluence' }>;

const Content = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  space: z.object({ key: z.string() }).optional(),
  version: z.object({ when: z.string() }).optional(),
  body: z.object({ storage: z.object({ value: z.string() }).optional() }).optional(),
  _links: z.object({ webui: z.string().optional() }).optional(),
});
const Page = z.object({
  results: z.array(Content),
  _links: z.object({ base: z.string().optional(), next: z.string().optional() }).optional(),
});

const EXPAND = 'body.storage,version,space';

/** CQL dates have minute precision ("yyyy/MM/dd HH:mm", the API user's zone: UTC for an integration account). */
function cqlMinute(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/**
 * Confluence Cloud pages of one space (REST v1, Basic email:API token): `GET /wiki/rest/api/content?spaceKey=`
 * for full listings, CQL `space = KEY and type = page and lastModified >= "yyyy/MM/dd HH:mm"` for incremental
 * ones (minute precision, so the exact cut is applied here), both following `_links.next` from `_links.base`.
 * Bodies are storage format.
 */
export class ConfluenceDocsClient implements DocsClient {
  readonly system = 'confluence' as const;
  private readonly http: HttpClient;
  private readonly pageSize: number;

  constructor(private readonly conn: ConfluenceConnection, private readonly clientIdentifier: string | null, opts: DocsClientOptions = {}) {
    const basic = Buffer.from(`${conn.email}:${conn.apiToken}`).toString('base64');
    this.http = new HttpClient({ vendor: 'confluence', baseUrl: conn.baseUrl, timeoutMs: opts.timeoutMs, retry: opts.retry, onCall: opts.observe, headers: { authorization: `Basic ${basic}` } });
    this.pageSize = opts.pageSize ?? 50;
  }

  async *listDocuments(scope: { clientIdentifier: string | null; updatedSince?: string }): AsyncIterable<DocsDocument> {
    assertScope('confluence', this.clientIdentifier, scope.clientIdentifier);
    const since = scope.updatedSince ? Date.parse(scope.updatedSince) : null;
    for await (const c of this.pages(scope.updatedSince)) {
      const doc = this.toDocument(c, null);
      if (since === null || Date.parse(doc.updatedAt) >= since) yield doc;
    }
  }

  async listDocumentIds(scope: { clientIdentifier: string | null }): Promise<string[]> {
    assertScope('confluence', this.clientIdentifier, scope.clientIdentifier);
    const ids: string[] = [];
    for await (const c of this.pages(undefined, false)) ids.push(c.id);
    return ids;
  }

  async getDocument(id: string): Promise<DocsDocument> {
    const res = await this.http.request({ method: 'GET', path: `/wiki/rest/api/content/${encodeURIComponent(id)}`, query: { expand: EXPAND } });
    const c = parseBody('confluence', Content, res.body, 'content');
    if (c.space && c.space.key !== this.conn.spaceKey) throw new VendorNotFoundError(`confluence page ${id} is not in space ${this.conn.spaceKey}`, 'confluence', 404, null);
    return this.toDocument(c, this.conn.baseUrl.replace(/\/+$/, '') + '/wiki');
  }

  private async *pages(updatedSince: string | undefined, withBodies = true): AsyncIterable<z.infer<typeof Content>> {
    const expand = withBodies ? EXPAND : 'version';
    let path: string | null;
    let query: Record<string, string | number> | undefined;
    if (updatedSince) {
      path = '/wiki/rest/api/content/search';
      query = { cql: `space = "${this.conn.spaceKey}" and type = page and lastModified >= "${cqlMinute(updatedSince)}"`, expand, limit: this.pageSize, start: 0 };
    } else {
      path = '/wiki/rest/api/content';
      query = { spaceKey: this.conn.spaceKey, type: 'page', expand, limit: this.pageSize, start: 0 };
    }
    while (path) {
      const res: { body: unknown } = await this.http.request({ method: 'GET', path, query });
      const page: z.infer<typeof Page> = parseBody('confluence', Page, res.body, 'content list');
      this.base = page._links?.base ?? this.base;
      for (const c of page.results) if (c.type === 'page') yield c;
      // `next` is relative to `base` (the site's /wiki) and carries every parameter.
      const next: string | undefined = page.results.length ? page._links?.next : undefined;
      path = next ? `${(page._links?.base ?? this.conn.baseUrl.replace(/\/+$/, '') + '/wiki').replace(/\/+$/, '')}${next}` : null;
      query = undefined;
    }
  }

  private base: string | null = null;

  private toDocument(c: z.infer<typeof Content>, base: string | null): DocsDocument {
    const site = base ?? this.base;
    return {
      id: c.id, title: c.title, body: c.body?.storage?.value ?? '', bodyFormat: 'storage', updatedAt: c.version?.when ?? new Date(0).toISOString(),
      url: site && c._links?.webui ? site + c._links.webui : null, clientIdentifier: this.clientIdentifier,
    };
  }
}
