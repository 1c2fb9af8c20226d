import { DocsSystem } from '@desk/contracts';

/** A document as the docs system serves it (HTML / storage format), before knowledge cleans it. */
export interface DocsDocument {
  id: string;
  title: string;
  /** HTML (IT Glue, Hudu), Confluence storage format, or Markdown (local folder). */
  body: string;
  bodyFormat: 'html' | 'storage' | 'markdown';
  updatedAt: string;
  url: string | null;
  /** The MSP client (PSA company identifier) the document belongs to; null = MSP-wide (global). */
  clientIdentifier: string | null;
}

export interface DocsClient {
  readonly system: DocsSystem;
  /** Every document of a client (or the global scope when null), optionally only those updated since. Pages through the vendor's pagination. */
  listDocuments(scope: { clientIdentifier: string | null; updatedSince?: string }): AsyncIterable<DocsDocument>;
  /** Ids of every document that currently exists in the scope, for deletion detection. */
  listDocumentIds(scope: { clientIdentifier: string | null }): Promise<string[]>;
  getDocument(id: string): Promise<DocsDocument>;
}
