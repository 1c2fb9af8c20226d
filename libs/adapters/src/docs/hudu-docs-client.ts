import { z } from 'zod';
import { DocsConnection } from '../config/connections';
import { VendorNotFoundError } from '../http/errors';
import { HttpClient } from '../http/http-client';
import { assertScope, type DocsClientOptions, parseBody } from './docs-common';
import type { DocsClient, DocsDocument } from './docs-client';

type HuduConnection = Extract<DocsConnection, { system: 'hudu' }>;

const Article = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  content: z.string().nullable().optional(),
  company_id: z.number().nullable().optional(),
  draft: z.boolean().optional(),
  url: z.string().nullable().optional(),
  updated_at: z.string(),
});
const ListBody = z.object({ articles: z.array(Article) });
const ShowBody = z.object({ article: Article });

/**
 * Hudu knowledge-base articles of one company (`company_id`), or the global ones (`company_id` null) when
 * built for the MSP's scope. Pages with `page`/`page_size` until a short page (Hudu sends no totals);
 * `updated_at=<since>,` for incremental syncs. Drafts are left out.
 */
export class HuduDocsClient implements DocsClient {
  readonly system = 'hudu' as const;
  private readonly http: HttpClient;
  private readonly pageSize: number;

  constructor(private readonly conn: HuduConnection, private readonly clientIdentifier: string | null, opts: DocsClientOptions = {}) {
    this.http = new HttpClient({ vendor: 'hudu', baseUrl: conn.baseUrl, timeoutMs: opts.timeoutMs, retry: opts.retry, onCall: opts.observe, headers: { 'x-api-key': conn.apiKey } });
    this.pageSize = opts.pageSize ?? 100;
  }

  async *listDocuments(scope: { clientIdentifier: string | null; updatedSince?: string }): AsyncIterable<DocsDocument> {
    assertScope('hudu', this.clientIdentifier, scope.clientIdentifier);
    for await (const a of this.articles(scope.updatedSince)) yield this.toDocument(a);
  }

  async listDocumentIds(scope: { clientIdentifier: string | null }): Promise<string[]> {
    assertScope('hudu', this.clientIdentifier, scope.clientIdentifier);
    const ids: string[] = [];
    for await (const a of this.articles(undefined)) ids.push(a.id);
    return ids;
  }

  async getDocument(id: string): Promise<DocsDocument> {
    const res = await this.http.request({ method: 'GET', path: `/api/v1/articles/${encodeURIComponent(id)}` });
    const a = parseBody('hudu', ShowBody, res.body, 'article').article;
    const own = this.clientIdentifier === null ? a.company_id == null : String(a.company_id) === this.conn.companyId;
    if (!own) throw new VendorNotFoundError(`hudu article ${id} is not in this scope`, 'hudu', 404, null);
    return this.toDocument(a);
  }

  private async *articles(updatedSince: string | undefined): AsyncIterable<z.infer<typeof Article>> {
    const global = this.clientIdentifier === null;
    for (let page = 1; ; page++) {
      const res = await this.http.request({
        method: 'GET', path: '/api/v1/articles',
        query: {
          company_id: global ? undefined : this.conn.companyId, page, page_size: this.pageSize,
          updated_at: updatedSince ? `${new Date(updatedSince).toISOString()},` : undefined,
        },
      });
      const { articles } = parseBody('hudu', ListBody, res.body, 'article list');
      for (const a of articles) if (!a.draft && (!global || a.company_id == null)) yield a;
      if (articles.length < this.pageSize) return;
    }
  }

  private toDocument(a: z.infer<typeof Article>): DocsDocument {
    return { id: a.id, title: a.name, body: a.content ?? '', bodyFormat: 'html', updatedAt: a.updated_at, url: a.url ?? null, clientIdentifier: this.clientIdentifier };
  }
}
