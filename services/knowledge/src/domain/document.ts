import { createHash } from 'node:crypto';
import { z } from 'zod';
import { RunbookCategory } from '@desk/contracts';
import { BodyFormat, toCleanText } from './clean-text';
import { AutomationBlock, ChildTicketBlock, parseHeader, splitFrontMatter } from './front-matter';
import { extractSections, Sections } from './sections';

export type Scope = 'client' | 'global';
export type HeaderStatus = 'absent' | 'valid' | 'malformed';

/** A document as the index keeps it: cleaned, with its header parsed and its sections split. */
export interface KnowledgeDocument {
  docId: string;
  scope: Scope;
  clientIdentifier: string | null;
  /** Where it came from: docs system name (itglue, hudu, confluence, markdown). */
  source: string;
  title: string;
  url: string | null;
  /** The runbook's own `updated` date from its header (falls back to the docs system's timestamp). */
  updated: string | null;
  /** The docs system's last-modified timestamp (drives the incremental cursor). */
  sourceUpdatedAt: string;
  category: RunbookCategory | null;
  headerStatus: HeaderStatus;
  headerErrors: string[];
  automation: AutomationBlock | null;
  /** Child tickets the header asks for (valid headers only). */
  childTickets?: ChildTicketBlock[];
  owner: string | null;
  sections: Sections;
  body: string;
  contentHash: string;
}

/** What the docs systems hand over; validated because a vendor may return garbage. */
export const IncomingDocument = z.object({
  id: z.string().min(1).max(512),
  title: z.string().max(1000),
  body: z.string(),
  bodyFormat: z.enum(['html', 'storage', 'markdown']),
  updatedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'updatedAt is not a date'),
  url: z.string().nullable(),
  clientIdentifier: z.string().nullable(),
});
export type IncomingDocument = z.infer<typeof IncomingDocument>;

export function contentHash(d: Pick<IncomingDocument, 'title' | 'body' | 'bodyFormat' | 'url'>): string {
  return createHash('sha256').update(`${d.title}\u0000${d.bodyFormat}\u0000${d.url ?? ''}\u0000${d.body}`).digest('hex');
}

/** Turns a vendor document into the indexed shape. Pure; never throws on bad markup or a bad header. */
export function buildDocument(doc: IncomingDocument, scope: Scope, clientIdentifier: string | null, source: string): KnowledgeDocument {
  const text = toCleanText(doc.body, doc.bodyFormat as BodyFormat);
  const { yaml, body } = splitFrontMatter(text);
  const header = parseHeader(yaml);
  const sections = extractSections(body);
  const base = {
    docId: doc.id, scope, clientIdentifier: scope === 'global' ? null : clientIdentifier, source,
    url: doc.url, sourceUpdatedAt: new Date(doc.updatedAt).toISOString(), sections, body,
    contentHash: contentHash(doc),
  };
  const vendorTitle = doc.title.trim();
  if (header.status === 'valid') {
    const h = header.header;
    return {
      ...base, title: h.title ?? (vendorTitle || doc.id), updated: h.updated ?? base.sourceUpdatedAt, category: h.category,
      headerStatus: 'valid', headerErrors: [], automation: h.automation ?? null, childTickets: h.childTickets ?? [], owner: h.owner ?? null,
    };
  }
  if (header.status === 'malformed') {
    return {
      ...base, title: header.title ?? (vendorTitle || doc.id), updated: header.updated ?? base.sourceUpdatedAt,
      category: header.category, headerStatus: 'malformed', headerErrors: header.errors, automation: null, owner: header.owner,
    };
  }
  return {
    ...base, title: vendorTitle || doc.id, updated: base.sourceUpdatedAt, category: null,
    headerStatus: 'absent', headerErrors: [], automation: null, owner: null,
  };
}
