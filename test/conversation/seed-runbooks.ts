import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunbookResolution, TicketCategory } from '@desk/contracts';
import { buildDocument, type KnowledgeDocument } from '../../services/knowledge/src/domain/document';
import { resolveRunbook } from '../../services/knowledge/src/domain/resolution';
import { DEFAULT_STALENESS } from '../../services/knowledge/src/domain/staleness';

const RUNBOOKS = join(__dirname, '..', '..', 'sandbox', 'seed', 'demo-msp', 'runbooks');
/** The demo world's reference date. */
export const DEMO_NOW = new Date('2026-11-30T15:00:00Z');

/** A seed runbook as knowledge indexes it (the same code path: front matter, sections). */
export function seedDoc(path: string, clientIdentifier: string | null, extraBody = ''): KnowledgeDocument {
  const body = `${readFileSync(join(RUNBOOKS, path), 'utf8')}${extraBody}`;
  return buildDocument({ id: path, title: path, body, bodyFormat: 'markdown', updatedAt: DEMO_NOW.toISOString(), url: null, clientIdentifier },
    clientIdentifier ? 'client' : 'global', clientIdentifier, 'markdown');
}

/** The resolution knowledge publishes for this one document: the prose the executor receives. */
export function resolutionOf(doc: KnowledgeDocument, category: TicketCategory): RunbookResolution {
  return resolveRunbook({
    category, clientIdentifier: doc.clientIdentifier ?? 'AnyClient', clientDocs: doc.scope === 'client' ? [doc] : [], globalDocs: doc.scope === 'global' ? [doc] : [],
    now: DEMO_NOW, policy: DEFAULT_STALENESS,
  });
}
