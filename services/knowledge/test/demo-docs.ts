import { buildDocument, IncomingDocument, KnowledgeDocument } from '../src/domain/document';
import { demoClientSlugs, DEFAULT_DEMO_WORLD, markdownTreeSources } from '../src/adapters/demo-world';
import { join } from 'node:path';

/** The demo world's runbooks, parsed as the index would keep them (test helper). */
export async function loadDemoDocs(): Promise<KnowledgeDocument[]> {
  const sources = markdownTreeSources(join(DEFAULT_DEMO_WORLD, 'runbooks'), demoClientSlugs());
  const out: KnowledgeDocument[] = [];
  for (const s of sources) {
    for await (const d of s.client.listDocuments({ clientIdentifier: s.clientIdentifier })) {
      out.push(buildDocument(IncomingDocument.parse(d), s.clientIdentifier === null ? 'global' : 'client', s.clientIdentifier, s.system));
    }
  }
  return out;
}

export function md(front: string, body: string): IncomingDocument {
  return { id: 'x.md', title: 'x', body: `---\n${front}\n---\n\n${body}`, bodyFormat: 'markdown', updatedAt: '2026-10-01T00:00:00Z', url: null, clientIdentifier: 'C' };
}
