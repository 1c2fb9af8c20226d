/**
 * Builds data/knowledge/queries.jsonl: each query is ticket text + client, labelled with the documents the
 * resolution rule picks for the ticket's category at that client (the training tickets of the demo world,
 * hand-written paraphrases in data/knowledge/paraphrases.jsonl and holdout.jsonl, and misspelt copies of the
 * held-out training tickets). Tickets whose category has no document at that client (no runbook, hardware,
 * other) are left out: there is nothing to retrieve.
 *
 * Every query carries a `split`: `tune` (what ranking changes may be judged on) or `holdout` (reported
 * separately, never used to choose weights or vocabulary): a fixed ~30% of the training tickets by a hash of
 * their id, their misspelt copies, and every line of holdout.jsonl.
 *   node -r ./services/knowledge/tools/ts-register.cjs scripts/eval-knowledge.build.ts
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TicketCategory } from '@desk/contracts';
import { buildDocument, IncomingDocument, KnowledgeDocument } from '../services/knowledge/src/domain/document';
import { resolveRunbook } from '../services/knowledge/src/domain/resolution';
import { DEFAULT_STALENESS } from '../services/knowledge/src/domain/staleness';
import { demoClientSlugs, DEFAULT_DEMO_WORLD, markdownTreeSources } from '../services/knowledge/src/adapters/demo-world';

const root = resolve(__dirname, '..');

/** A fixed ~30% of the training tickets, chosen by a hash of the id (stable across rebuilds and runbook edits). */
export function isHeldOutTicket(id: string): boolean {
  return createHash('sha256').update(id).digest()[0]! < 77;
}

/**
 * A misspelt copy of a ticket, as typed in a hurry: about one word in five of five letters or more loses,
 * doubles or swaps a letter (deterministic per ticket id, so the set does not change between builds).
 */
export function withTypos(id: string, text: string): string {
  let seed = createHash('sha256').update(id).digest().readUInt32LE(0);
  const next = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  return text.replace(/[A-Za-z]{5,}/g, (w) => {
    if (next() >= 0.2) return w;
    const i = 1 + Math.floor(next() * (w.length - 2));
    const edit = Math.floor(next() * 3);
    if (edit === 0) return w.slice(0, i) + w.slice(i + 1);
    if (edit === 1) return w.slice(0, i) + w[i] + w.slice(i);
    return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
  });
}

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
  const push = (id: string, client: string, category: TicketCategory, text: string, origin: string, split: 'tune' | 'holdout') => {
    const exp = expected(client, category);
    if (exp.length) lines.push(JSON.stringify({ id, client, category, text, expected: exp, origin, split }));
  };
  const tickets = readFileSync(join(DEFAULT_DEMO_WORLD, 'training-tickets.jsonl'), 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; clientIdentifier: string; category: TicketCategory; summary: string; description: string });
  for (const t of tickets) push(t.id, t.clientIdentifier, t.category, `${t.summary}\n${t.description}`, 'training', isHeldOutTicket(t.id) ? 'holdout' : 'tune');
  const handWritten = (file: string, prefix: string, split: 'tune' | 'holdout') =>
    readFileSync(join(root, 'data/knowledge', file), 'utf8').split('\n').filter(Boolean).forEach((l, i) => {
      const p = JSON.parse(l) as { client: string; category: TicketCategory; text: string };
      push(`${prefix}-${String(i + 1).padStart(3, '0')}`, p.client, p.category, p.text, 'paraphrase', split);
    });
  handWritten('paraphrases.jsonl', 'PARA', 'tune');
  handWritten('holdout.jsonl', 'HOLD', 'holdout');
  for (const t of tickets.filter((x) => isHeldOutTicket(x.id))) {
    push(`TYPO-${t.id}`, t.clientIdentifier, t.category, withTypos(t.id, `${t.summary}\n${t.description}`), 'typo', 'holdout');
  }
  writeFileSync(join(root, 'data/knowledge/queries.jsonl'), `${lines.join('\n')}\n`);
  console.log(`wrote ${lines.length} labelled queries`);
}

if (require.main === module) void main();
