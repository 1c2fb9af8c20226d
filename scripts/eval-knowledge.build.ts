/**
 * Builds data/knowledge/queries.jsonl: each query is ticket text + client, labelled with the documents the
 * resolution rule picks for the ticket's category at that client (the training tickets of the demo world,
 * plus hand-written paraphrases in data/knowledge/paraphrases.jsonl). Tickets whose category has no
 * document at that client (no runbook, hardware, other) are left out: there is nothing to retrieve.
 *   node -r ./services/knowledge/tools/ts-register.cjs scripts/eval-knowledge.build.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TicketCategory } from '@desk/contracts';
import { buildDocument, IncomingDocument, KnowledgeDocument } from '../services/knowledge/src/domain/document';
import { resolveRunbook } from '../services/knowledge/src/domain/resolution';
import { DEFAULT_STALENESS } from '../services/knowledge/src/domain/staleness';
import { demoClientSlugs, DEFAULT_DEMO_WORLD, markdownTreeSources } from '../services/knowledge/src/adapters/demo-world';

const root = resolve(__dirname, '..');

async function main(): Promise<void> {
  const docs: KnowledgeDocument[] = [];
  for (const s of markdownTreeSources(join(DEFAULT_DEMO_WORLD, 'runbooks'), demoClientSlugs())) {
    for await (const d of s.client.listDocuments({ clientIdentifier: s.clientIdentifier })) {
      docs.push(buildDocument(IncomingDocument.parse(d), s.clientIdentifier ? 'client' : 'global', s.clientIdentifier, 'markdown'));
    }
  }
  const expected = (client: string, category: TicketCategory) => resolveRunbook({
    category, clientIdentifier: client, now: new Date('2026-11-30T15:00:00Z'), policy: DEFAULT_STALENESS,
    clientDocs: docs.filter((d) => d.scope === 'client'), globalDocs: docs.filter((d) => d.scope === 'global'),
  }).documents.filter((d) => !d.why.startsWith('replaced')).map((d) => d.docId);

  const lines: string[] = [];
  const push = (id: string, client: string, category: TicketCategory, text: string, origin: string) => {
    const exp = expected(client, category);
    if (exp.length) lines.push(JSON.stringify({ id, client, category, text, expected: exp, origin }));
  };
  for (const l of readFileSync(join(DEFAULT_DEMO_WORLD, 'training-tickets.jsonl'), 'utf8').split('\n').filter(Boolean)) {
    const t = JSON.parse(l) as { id: string; clientIdentifier: string; category: TicketCategory; summary: string; description: string };
    push(t.id, t.clientIdentifier, t.category, `${t.summary}\n${t.description}`, 'training');
  }
  readFileSync(join(root, 'data/knowledge/paraphrases.jsonl'), 'utf8').split('\n').filter(Boolean).forEach((l, i) => {
    const p = JSON.parse(l) as { client: string; category: TicketCategory; text: string };
    push(`PARA-${String(i + 1).padStart(3, '0')}`, p.client, p.category, p.text, 'paraphrase');
  });
  writeFileSync(join(root, 'data/knowledge/queries.jsonl'), `${lines.join('\n')}\n`);
  console.log(`wrote ${lines.length} labelled queries`);
}

void main();
