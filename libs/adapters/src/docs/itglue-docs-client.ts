import { z } from 'zod';
import { DocsConnection } from '../config/connections';
import { HttpClient } from '../http/http-client';
import { assertScope, type DocsClientOptions, parseBody } from './docs-common';
import type { DocsClient, DocsDocument } from './docs-client';

type ItGlueConnection = Extract<DocsConnection, { system: 'itglue' }>;

const DocumentResource = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  attributes: z.object({
    name: z.string(),
    content: z.string().nullable().optional(),
    'updated-at': z.string(),
    'resource-url': z.string().nullable().optional(),
    archived: z.boolean().optional(),
  }),
});
const ListBody = z.object({ data: z.array(DocumentResource), links: z.object({ next: z.string().nullable().optional() }).optional() });
const ShowBody = z.object({ data: DocumentResource });

/**
 * IT Glue documents of one organization (the client's, or org 100 = the MSP's global runbooks), through
 * `GET /organizations/{id}/relationships/documents` with `page[size]`/`page[number]`, following
 * `links.next`; `filter[updated_at]=<since>,*` for incremental syncs. The body is the `content` attribute
 * (HTML). Archived documents are left out, as a technician would not follow them.
 */
export class ItGlueDocsClient implements DocsClient {
  readonly system = 'itglue' as const;
  private readonly http: HttpClient;
  private readonly pageSize: number;

  constructor(private readonly conn: ItGlueConnection, private readonly clientIdentifier: string | null, opts: DocsClientOptions = {}) {
    this.http = new HttpClient({
      vendor: 'itglue', baseUrl: conn.baseUrl, timeoutMs: opts.timeoutMs, retry: opts.retry, onCall: opts.observe,
      headers: { 'x-api-key': conn.apiKey, accept: 'application/vnd.api+json', 'content-type': 'application/vnd.api+json' },
    });
    this.pageSize = opts.pageSize ?? 200;
  }

  async *listDocuments(scope: { clientIdentifier: string | null; updatedSince?: string }): AsyncIterable<DocsDocument> {
    assertScope('itglue', this.clientIdentifier, scope.clientIdentifier);
    for await (const r of this.pages(scope.updatedSince)) if (!r.attributes.archived) yield this.toDocument(r);
  }

  async listDocumentIds(scope: { clientIdentifier: string | null }): Promise<string[]> {
    assertScope('itglue', this.clientIdentifier, scope.clientIdentifier);
    const ids: string[] = [];
    for await (const r of this.pages(undefined)) if (!r.attributes.archived) ids.push(r.id);
    return ids;
  }

  async getDocument(id: string): Promise<DocsDocument> {
    const res = await this.http.request({ method: 'GET', path: `${this.base()}/${encodeURIComponent(id)}` });
    return this.toDocument(parseBody('itglue', ShowBody, res.body, 'document').data);
  }

  private base(): string {
    return `/organizations/${encodeURIComponent(this.conn.organizationId)}/relationships/documents`;
  }

  private async *pages(updatedSince: string | undefined): AsyncIterable<z.infer<typeof DocumentResource>> {
    let path: string | null = this.base();
    let query: Record<string, string | number> | undefined = {
      'page[size]': this.pageSize, 'page[number]': 1, ...(updatedSince ? { 'filter[updated_at]': `${new Date(updatedSince).toISOString()},*` } : {}),
    };
    while (path) {
      const res: { body: unknown } = await this.http.request({ method: 'GET', path, query });
      const body: z.infer<typeof ListBody> = parseBody('itglue', ListBody, res.body, 'document list');
      yield* body.data;
      // links.next is absolute and carries every parameter of the next page.
      path = body.data.length ? body.links?.next ?? null : null;
      query = undefined;
    }
  }

  private toDocument(r: z.infer<typeof DocumentResource>): DocsDocument {
    return {
      id: r.id, title: r.attributes.name, body: r.attributes.content ?? '', bodyFormat: 'html', updatedAt: r.attributes['updated-at'],
      url: r.attributes['resource-url'] ?? null, clientIdentifier: this.clientIdentifier,
    };
  }
}
