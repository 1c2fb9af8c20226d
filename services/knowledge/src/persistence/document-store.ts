import { RunbookCategory } from '@desk/contracts';
import { KnowledgeDocument } from '../domain/document';
import { ResolvableDoc } from '../domain/resolution';
import { Sections } from '../domain/sections';
import { categoryTerms } from '../domain/category-terms';
import { AutomationBlock, ChildTicketBlock } from '../domain/front-matter';
import { assertSchemaName, Sql } from './db';

interface DocRow {
  scope_key: string;
  doc_id: string;
  scope: 'client' | 'global';
  client_identifier: string | null;
  source: string;
  title: string;
  url: string | null;
  updated: string | null;
  category: RunbookCategory | null;
  header_status: KnowledgeDocument['headerStatus'];
  header_errors: string[];
  automation: AutomationBlock | null;
  /** Absent in the gap report's projection. */
  child_tickets?: ChildTicketBlock[] | null;
  sections: Sections;
}

const WORD = /[a-z][a-z0-9-]{3,30}/g;

/** Distinct words of a document, for typo correction of ticket words. */
export function lexiconWords(d: Pick<KnowledgeDocument, 'title' | 'body'>): string[] {
  return [...new Set(`${d.title}\n${d.body}`.toLowerCase().match(WORD) ?? [])];
}

/** Documents and their lexicon, per scope. Every read is filtered by client key: no cross-client query exists. */
export class DocumentStore {
  readonly s: string;

  constructor(schema: string) {
    this.s = `"${assertSchemaName(schema)}"`;
  }

  async hashes(sql: Sql, scopeKey: string): Promise<Map<string, string>> {
    const rows = await sql.query<{ doc_id: string; content_hash: string }>(
      `SELECT doc_id, content_hash FROM ${this.s}.document WHERE scope_key = $1`, [scopeKey]);
    return new Map(rows.map((r) => [r.doc_id, r.content_hash]));
  }

  async upsert(sql: Sql, scopeKey: string, docs: KnowledgeDocument[], embeddings?: Map<string, number[]>): Promise<void> {
    if (!docs.length) return;
    // One multi-row statement per batch: a 10,000-document sync is a few dozen round trips.
    for (let i = 0; i < docs.length; i += 200) {
      const batch = docs.slice(i, i + 200);
      const params: unknown[] = [];
      const values = batch.map((d) => {
        const row = [
          scopeKey, d.docId, d.scope, d.clientIdentifier, d.source, d.title, d.url, d.updated, d.sourceUpdatedAt, d.category,
          d.headerStatus, JSON.stringify(d.headerErrors), d.automation ? JSON.stringify(d.automation) : null, d.owner,
          JSON.stringify(d.sections), [...d.sections.headings, d.sections.appliesTo].join('\n'), categoryTerms(d.category), d.body, d.contentHash, embeddings?.get(d.docId) ?? null,
          JSON.stringify(d.childTickets ?? []),
        ];
        const start = params.length;
        params.push(...row);
        return `(${row.map((_, k) => `$${start + k + 1}`).join(', ')}, now())`;
      });
      await sql.query(
        `INSERT INTO ${this.s}.document (scope_key, doc_id, scope, client_identifier, source, title, url, updated, source_updated_at,
           category, header_status, header_errors, automation, owner, sections, headings, keywords, body, content_hash, embedding, child_tickets, synced_at)
         VALUES ${values.join(', ')}
         ON CONFLICT (scope_key, doc_id) DO UPDATE SET scope = EXCLUDED.scope, client_identifier = EXCLUDED.client_identifier,
           source = EXCLUDED.source, title = EXCLUDED.title, url = EXCLUDED.url, updated = EXCLUDED.updated,
           source_updated_at = EXCLUDED.source_updated_at, category = EXCLUDED.category, header_status = EXCLUDED.header_status,
           header_errors = EXCLUDED.header_errors, automation = EXCLUDED.automation, owner = EXCLUDED.owner,
           sections = EXCLUDED.sections, headings = EXCLUDED.headings, keywords = EXCLUDED.keywords, body = EXCLUDED.body,
           content_hash = EXCLUDED.content_hash, embedding = EXCLUDED.embedding, child_tickets = EXCLUDED.child_tickets, synced_at = now()`,
        params,
      );
    }
    const clientKey = (docs[0]!.clientIdentifier ?? '').toLowerCase();
    const words = [...new Set(docs.flatMap(lexiconWords))];
    for (let i = 0; i < words.length; i += 5000) {
      await sql.query(
        `INSERT INTO ${this.s}.lexicon (client_key, word) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
        [clientKey, words.slice(i, i + 5000)]);
    }
  }

  async delete(sql: Sql, scopeKey: string, docIds: string[]): Promise<void> {
    if (!docIds.length) return;
    await sql.query(`DELETE FROM ${this.s}.document WHERE scope_key = $1 AND doc_id = ANY($2::text[])`, [scopeKey, docIds]);
  }

  async count(sql: Sql, scopeKey: string): Promise<number> {
    const [r] = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.s}.document WHERE scope_key = $1`, [scopeKey]);
    return Number(r?.n ?? 0);
  }

  /** The client's documents and the global ones of a category: the input of the resolution rule. */
  async forResolution(sql: Sql, clientIdentifier: string | null, category: RunbookCategory): Promise<ResolvableDoc[]> {
    const rows = await sql.query<DocRow>(
      `SELECT scope_key, doc_id, scope, client_identifier, source, title, url, updated, category, header_status, header_errors,
              automation, child_tickets, sections
         FROM ${this.s}.document
        WHERE category = $2 AND scope = 'client' AND client_key = lower($1::text)
       UNION ALL
       SELECT scope_key, doc_id, scope, client_identifier, source, title, url, updated, category, header_status, header_errors,
              automation, child_tickets, sections
         FROM ${this.s}.document
        WHERE category = $2 AND scope = 'global'`,
      [clientIdentifier, category]);
    return rows.map(toResolvable);
  }

  /** Every document of the index (for the gap report: stale and malformed runbooks), without bodies. */
  async allHeaders(sql: Sql, clientIdentifier?: string | null): Promise<ResolvableDoc[]> {
    const filter = clientIdentifier === undefined ? '' : clientIdentifier === null ? `WHERE scope = 'global'` : `WHERE client_key = lower($1::text) OR scope = 'global'`;
    const rows = await sql.query<DocRow>(
      `SELECT scope_key, doc_id, scope, client_identifier, source, title, url, updated, category, header_status, header_errors,
              automation, '{"appliesTo":"","prerequisites":"","steps":"","verification":"","escalateIf":"","notes":"","other":[],"headings":[]}'::jsonb AS sections
         FROM ${this.s}.document ${filter}`,
      clientIdentifier === undefined || clientIdentifier === null ? [] : [clientIdentifier]);
    return rows.map(toResolvable);
  }
}

function toResolvable(r: DocRow): ResolvableDoc {
  return {
    docId: r.doc_id, scope: r.scope, clientIdentifier: r.client_identifier, source: r.source, title: r.title, url: r.url,
    updated: r.updated, category: r.category, headerStatus: r.header_status, headerErrors: r.header_errors,
    automation: r.automation, sections: r.sections,
    ...(r.child_tickets ? { childTickets: r.child_tickets } : {}),
  };
}
