import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { DocsClient, DocsDocument } from '@desk/adapters';
import { PgDb } from '../src/persistence/db';
import { applyKnowledgeSchema } from '../src/persistence/schema-sql';
import { createKnowledgeApp, KnowledgeApp } from '../src/app/knowledge-app';
import { demoClientSlugs, DEFAULT_DEMO_WORLD, markdownTreeSources } from '../src/adapters/demo-world';
import { DocsSource } from '../src/adapters/docs-source';
import { fixedClock } from '../src/domain/clock';
import { DEFAULT_STALENESS } from '../src/domain/staleness';
import { Embedder } from '../src/adapters/embedder';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestIndex {
  app: KnowledgeApp;
  pool: Pool;
  schema: string;
  /** A private copy of the demo runbook tree (tests edit it). */
  dir: string;
  sources: DocsSource[];
  close(): Promise<void>;
}

/** A fresh knowledge schema on the real PostgreSQL, fed from a copy of the demo runbooks. */
export async function testIndex(extraSources: DocsSource[] = [], embedder: Embedder | null = null): Promise<TestIndex> {
  const schema = `knowledge_t${randomBytes(4).toString('hex')}`;
  const pool = new Pool({ connectionString: DATABASE_URL, max: 4 });
  const db = new PgDb(pool);
  await applyKnowledgeSchema(db, schema);
  const dir = mkdtempSync(join(tmpdir(), 'knowledge-'));
  cpSync(join(DEFAULT_DEMO_WORLD, 'runbooks'), dir, { recursive: true });
  const sources = [...markdownTreeSources(dir, demoClientSlugs()), ...extraSources];
  const app = createKnowledgeApp({
    db, schema, clock: fixedClock('2026-11-30T15:00:00Z'), policy: DEFAULT_STALENESS, embedder,
    sources: () => sources,
  });
  return {
    app, pool, schema, dir, sources,
    close: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A scriptable docs system: serves `docs`, or fails the way real ones do. */
export class FakeDocs implements DocsClient {
  readonly system = 'itglue' as const;
  docs: DocsDocument[] = [];
  /** Throw after yielding this many documents (a 500 / 429 mid-pagination). */
  failAfter: number | null = null;
  failure: Error = new Error('HTTP 500 from docs system');
  idsFailure: Error | null = null;
  /** Extra raw items served as they are (garbage). */
  garbage: unknown[] = [];
  listCalls: Array<string | undefined> = [];

  constructor(readonly clientIdentifier: string | null) {}

  async *listDocuments(scope: { clientIdentifier: string | null; updatedSince?: string }): AsyncIterable<DocsDocument> {
    this.listCalls.push(scope.updatedSince);
    let n = 0;
    const since = scope.updatedSince ? Date.parse(scope.updatedSince) : null;
    for (const d of this.docs) {
      if (since !== null && Date.parse(d.updatedAt) <= since) continue;
      if (this.failAfter !== null && n >= this.failAfter) throw this.failure;
      n++;
      yield d;
    }
    for (const g of this.garbage) yield g as DocsDocument;
  }

  async listDocumentIds(): Promise<string[]> {
    if (this.idsFailure) throw this.idsFailure;
    return this.docs.map((d) => d.id);
  }

  async getDocument(id: string): Promise<DocsDocument> {
    const d = this.docs.find((x) => x.id === id);
    if (!d) throw new Error('not found');
    return d;
  }
}

export function htmlDoc(id: string, client: string | null, title: string, category: string, body: string, updatedAt = '2026-10-01T12:00:00Z'): DocsDocument {
  const header = `---\ntitle: "${title}"\ncategory: ${category}\nupdated: "${updatedAt.slice(0, 10)}"\n---`;
  return { id, title, body: `<pre>${header}</pre><h1>${title}</h1>${body}`, bodyFormat: 'html', updatedAt, url: `https://docs.example/${id}`, clientIdentifier: client };
}

/** A deterministic stand-in for an embeddings endpoint: hashed bag of words (same words → close vectors). */
export class HashEmbedder implements Embedder {
  readonly model = 'hash-64';
  calls = 0;
  down = false;

  async embed(texts: string[]): Promise<number[][]> {
    this.calls++;
    if (this.down) throw new Error('embeddings endpoint unavailable');
    return texts.map((t) => {
      const v = new Array<number>(64).fill(0);
      for (const w of t.toLowerCase().match(/[a-z]{3,}/g) ?? []) {
        let h = 0;
        for (const ch of w) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
        v[h % 64]! += 1;
      }
      return v;
    });
  }
}
