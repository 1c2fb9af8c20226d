/**
 * npm run bench:knowledge
 *  1. Sandbox docs vendors (started here on a free port, own schema): the demo world synced through the real
 *     IT Glue / Hudu / Confluence adapters; then POST /admin/docs/generate puts 10,000 runbooks in the sandbox
 *     IT Glue (the generator spreads them over the IT Glue organisations it knows: the MSP and its IT Glue
 *     clients), timed as a full sync through the IT Glue adapter, then an incremental sync after editing a
 *     few documents (only those are written). The same for Hudu and Confluence with a smaller generated corpus
 *     (KNOWLEDGE_BENCH_OTHER_DOCS, default 2,000) over their clients, through their own adapters.
 *  2. 10,000 documents across 200 clients (the sandbox knows 5 clients, so these are generated into a
 *     Markdown folder and synced through the Markdown-folder source): lookup latency on the event path
 *     (resolution from the index) and text search latency, p50/p95/p99, one at a time and with
 *     KNOWLEDGE_BENCH_CONCURRENCY (default 16) callers at once (the request/reply path's load).
 * Last line: RESULT {json}.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { AdapterRegistry, loadDeskConfig } from '@desk/adapters';
import { RUNBOOK_CATEGORIES, TicketCategory } from '@desk/contracts';
import { PgDb } from '../services/knowledge/src/persistence/db';
import { applyKnowledgeSchema } from '../services/knowledge/src/persistence/schema-sql';
import { createKnowledgeApp, KnowledgeApp } from '../services/knowledge/src/app/knowledge-app';
import { registrySources } from '../services/knowledge/src/adapters/registry-sources';
import { MarkdownFolderDocsClient } from '../services/knowledge/src/adapters/markdown-folder';
import { DocsSource } from '../services/knowledge/src/adapters/docs-source';
import { fixedClock } from '../services/knowledge/src/domain/clock';
import { DEFAULT_STALENESS } from '../services/knowledge/src/domain/staleness';
import { SyncReport } from '../services/knowledge/src/app/ports';
import { readExamplesFile } from '../services/knowledge/src/adapters/examples-file';
import { synthetic, WORDS } from './knowledge-bench-synthetic';

const root = resolve(__dirname, '..');
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `${process.pid}_${Date.now().toString(36)}`;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0).toFixed(2));
}

async function startSandbox(): Promise<{ url: string; proc: ChildProcess; schema: string }> {
  const port = 4300 + Math.floor(Math.random() * 500);
  const schema = `sandbox_kbench_${run}`;
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, ['-r', join(root, 'services/knowledge/tools/ts-register.cjs'), join(root, 'sandbox/src/main.ts')], {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_URL: url, SANDBOX_DB_SCHEMA: schema, SANDBOX_SMTP_PORT: 'off', DATABASE_URL },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/itglue/organizations`, { headers: { 'x-api-key': 'ITG.sandbox-harborline' } });
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('sandbox did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, proc, schema };
}

async function freshApp(pool: Pool, schema: string, sources: () => DocsSource[]): Promise<KnowledgeApp> {
  const db = new PgDb(pool);
  await applyKnowledgeSchema(db, schema);
  return createKnowledgeApp({ db, schema, sources, clock: fixedClock('2026-11-30T15:00:00Z'), policy: DEFAULT_STALENESS, sync: { concurrency: 4 } });
}

/** Edits `count` documents of one client in the sandbox docs system, then times an incremental sync (only those should be written). */
async function editThenSync(url: string, app: KnowledgeApp, system: 'itglue' | 'hudu' | 'confluence', client: string, count: number) {
  const listed = await (await fetch(`${url}/admin/docs/${system}/documents?clientIdentifier=${client}`)).json() as Array<{ id: number | string }>;
  const edit = listed.slice(0, count);
  for (const d of edit) {
    const r = await fetch(`${url}/admin/docs/${system}/documents`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'upsert', id: Number(d.id), clientIdentifier: client, markdown: `---\ntitle: "Edited ${d.id}"\ncategory: printer\nupdated: "2026-11-29"\n---\n\n# Edited ${d.id}\n\n## Steps\nNew text.\n` }),
    });
    if (!r.ok) throw new Error(`edit failed: ${r.status} ${await r.text()}`);
  }
  const t0 = performance.now();
  const inc = await app.sync.syncAll('incremental');
  return { edited: edit.length, fetched: total(inc, 'fetched'), upserted: total(inc, 'upserted'), deleted: total(inc, 'deleted'), ms: Math.round(performance.now() - t0) };
}

const total = (rs: SyncReport[], k: 'fetched' | 'upserted' | 'unchanged' | 'deleted') => rs.reduce((n, r) => n + r[k], 0);

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: DATABASE_URL, max: 8 });
  const schemas: string[] = [];
  const result: Record<string, unknown> = {};
  let sandbox: { url: string; proc: ChildProcess; schema: string } | null = null;
  const folder = mkdtempSync(join(tmpdir(), 'knowledge-bench-'));
  try {
    // ---- 1. the sandbox docs vendors through the real adapters
    sandbox = await startSandbox();
    process.env.SANDBOX_URL = sandbox.url;
    const registry = new AdapterRegistry(loadDeskConfig(join(root, 'config/desk.sandbox.yaml')));
    const demoSchema = `knowledge_bench_demo_${run}`;
    schemas.push(demoSchema);
    const demo = await freshApp(pool, demoSchema, () => registrySources(registry));
    const demoReports = await demo.sync.syncAll('full');
    const headers = await pool.query(`SELECT header_status, count(*)::int AS n FROM "${demoSchema}".document GROUP BY 1`);
    result.demo_world_sync_ok = demoReports.every((r) => r.ok);
    result.demo_world_documents = total(demoReports, 'upserted');
    result.demo_world_headers = Object.fromEntries(headers.rows.map((r: { header_status: string; n: number }) => [r.header_status, r.n]));
    console.log(`demo world via adapters: ${demoReports.map((r) => `${r.scopeKey}=${r.ok ? r.documentCount : `FAILED ${r.error}`}`).join(', ')}`);

    const gen = await fetch(`${sandbox.url}/admin/docs/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ system: 'itglue', count: 10_000 }) });
    if (!gen.ok) throw new Error(`generate failed: ${gen.status} ${await gen.text()}`);
    const itglueSchema = `knowledge_bench_itglue_${run}`;
    schemas.push(itglueSchema);
    const itglueSources = () => registrySources(registry).filter((s) => s.system === 'itglue');
    const itg = await freshApp(pool, itglueSchema, itglueSources);
    let t0 = performance.now();
    const full = await itg.sync.syncAll('full');
    const fullMs = performance.now() - t0;
    if (!full.every((r) => r.ok)) throw new Error(`IT Glue full sync failed: ${full.map((r) => r.error).join('; ')}`);
    const [{ n: indexed }] = (await pool.query(`SELECT count(*)::int AS n FROM "${itglueSchema}".document`)).rows;
    console.log(`IT Glue full sync: ${indexed} documents in ${(fullMs / 1000).toFixed(1)} s over ${full.length} scopes`);
    result.itglue_full_sync_documents = indexed;
    result.itglue_full_sync_seconds = Number((fullMs / 1000).toFixed(2));

    t0 = performance.now();
    const idle = await itg.sync.syncAll('incremental');
    result.itglue_incremental_nochange = { fetched: total(idle, 'fetched'), upserted: total(idle, 'upserted'), ms: Math.round(performance.now() - t0) };
    result.itglue_incremental_after_edits = await editThenSync(sandbox.url, itg, 'itglue', 'ContosoDental', 5);
    console.log(`incremental: nothing changed → ${JSON.stringify(result.itglue_incremental_nochange)}; 5 edits → ${JSON.stringify(result.itglue_incremental_after_edits)}`);

    // ---- 1b. the same through Hudu and Confluence: a generated corpus for their clients, full then incremental
    const otherCount = Number(process.env.KNOWLEDGE_BENCH_OTHER_DOCS ?? 2000);
    for (const system of ['hudu', 'confluence'] as const) {
      const clientsOf = registry.clients().filter((c) => c.docs.system === system).map((c) => c.identifier);
      if (!clientsOf.length) continue;
      const g = await fetch(`${sandbox.url}/admin/docs/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ system, count: otherCount, clients: clientsOf }) });
      if (!g.ok) throw new Error(`generate ${system} failed: ${g.status} ${await g.text()}`);
      const sysSchema = `knowledge_bench_${system}_${run}`;
      schemas.push(sysSchema);
      const app = await freshApp(pool, sysSchema, () => registrySources(registry).filter((s) => s.system === system));
      t0 = performance.now();
      const reports = await app.sync.syncAll('full');
      const seconds = Number(((performance.now() - t0) / 1000).toFixed(2));
      if (!reports.every((r) => r.ok)) throw new Error(`${system} full sync failed: ${reports.map((r) => r.error).join('; ')}`);
      const [{ n }] = (await pool.query(`SELECT count(*)::int AS n FROM "${sysSchema}".document`)).rows;
      const incremental = await editThenSync(sandbox.url, app, system, clientsOf[0]!, 3);
      result[`${system}_sync`] = { clients: clientsOf, documents: n, full_sync_seconds: seconds, incremental_after_edits: incremental };
      console.log(`${system} full sync: ${n} documents in ${seconds} s (${clientsOf.join(', ')}); 3 edits → ${JSON.stringify(incremental)}`);
    }

    // ---- 2. 10,000 documents across 200 clients: lookups and search
    const clients = Array.from({ length: 200 }, (_, c) => c + 1);
    for (const c of clients) mkdirSync(join(folder, `client-${c}`), { recursive: true });
    for (const c of clients) for (let i = 0; i < 50; i++) {
      const d = synthetic(c, i);
      writeFileSync(join(folder, d.path), d.text);
    }
    const manySources = (): DocsSource[] => clients.map((c) => ({
      scopeKey: `client:Client${c}`, clientIdentifier: `Client${c}`, system: 'markdown',
      client: new MarkdownFolderDocsClient(join(folder, `client-${c}`), `Client${c}`, `client-${c}/`),
    }));
    const manySchema = `knowledge_bench_many_${run}`;
    schemas.push(manySchema);
    const many = await freshApp(pool, manySchema, manySources);
    t0 = performance.now();
    const manyFull = await many.sync.syncAll('full');
    result.markdown_200_clients_full_sync_seconds = Number(((performance.now() - t0) / 1000).toFixed(2));
    result.markdown_200_clients_documents = total(manyFull, 'upserted');
    // Touch 10 documents of 3 clients: the incremental round writes those only.
    for (const [c, i] of [[1, 1], [1, 2], [2, 5], [2, 6], [2, 7], [3, 1], [3, 2], [3, 3], [3, 4], [3, 5]] as const) {
      const p = join(folder, `client-${c}/doc-${i}.md`);
      appendFileSync(p, `\nEdited for the benchmark.\n`);
      const later = new Date(Date.now() + 120_000);
      utimesSync(p, later, later);
    }
    const manyInc = await many.sync.syncAll('incremental');
    result.markdown_incremental_after_10_edits = { fetched: total(manyInc, 'fetched'), upserted: total(manyInc, 'upserted') };
    // The labelled tickets the service seeds at start (KNOWLEDGE_EXAMPLES_FILE's default), so search runs its
    // category vote and model as in production; statistics as autovacuum would have them after the bulk load.
    await many.examples.add(many.db, ['sandbox/seed/demo-msp/training-tickets.jsonl', 'data/triage/l1-examples.jsonl'].flatMap((f) => readExamplesFile(join(root, f))));
    await pool.query(`ANALYZE "${manySchema}".document; ANALYZE "${manySchema}".lexicon; ANALYZE "${manySchema}".example`);

    const categories = RUNBOOK_CATEGORIES as readonly TicketCategory[];
    const lookup: number[] = [];
    for (let k = 0; k < 3000; k++) {
      const client = `Client${1 + ((k * 37) % 200)}`;
      const s = performance.now();
      await many.resolver.resolve(categories[k % categories.length]!, client);
      lookup.push(performance.now() - s);
    }
    const search: number[] = [];
    for (let k = 0; k < 1000; k++) {
      const client = `Client${1 + ((k * 53) % 200)}`;
      const s = performance.now();
      await many.search.search({ clientIdentifier: client, query: `my ${WORDS[k % WORDS.length]} and ${WORDS[(k * 7) % WORDS.length]} stopped working after the update, please help`, limit: 5 });
      search.push(performance.now() - s);
    }
    // Request/reply as the executor and escalation summaries use it: many callers at once.
    const concurrency = Number(process.env.KNOWLEDGE_BENCH_CONCURRENCY ?? 16);
    const concurrent: number[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let k = next++; k < 800; k = next++) {
        const s = performance.now();
        await many.search.search({ clientIdentifier: `Client${1 + ((k * 29) % 200)}`, query: `${WORDS[(k * 3) % WORDS.length]} not working since this morning\nthe ${WORDS[(k * 11) % WORDS.length]} shows an error`, limit: 5 }, 'rpc');
        concurrent.push(performance.now() - s);
      }
    }));
    result.search_concurrent_ms = { concurrency, n: concurrent.length, p50: pct(concurrent, 50), p95: pct(concurrent, 95), p99: pct(concurrent, 99) };
    result.lookup_ms = { n: lookup.length, p50: pct(lookup, 50), p95: pct(lookup, 95), p99: pct(lookup, 99) };
    result.search_ms = { n: search.length, p50: pct(search, 50), p95: pct(search, 95), p99: pct(search, 99) };
    console.log(`200 clients / ${result.markdown_200_clients_documents} docs: lookup ${JSON.stringify(result.lookup_ms)}, search ${JSON.stringify(result.search_ms)}, search with ${JSON.stringify(result.search_concurrent_ms)}`);

    const fullOk = (result.itglue_full_sync_seconds as number) < 60 && indexed >= 10_000;
    const others = ['hudu_sync', 'confluence_sync'].map((k) => result[k] as { incremental_after_edits: { edited: number; upserted: number } } | undefined);
    const incOk = (result.itglue_incremental_after_edits as { upserted: number }).upserted === 5
      && others.every((o) => !o || o.incremental_after_edits.upserted === o.incremental_after_edits.edited)
      && (result.itglue_incremental_nochange as { upserted: number }).upserted === 0;
    console.log(`RESULT ${JSON.stringify({
      lookup_p99_ms: (result.lookup_ms as { p99: number }).p99, search_p99_ms: (result.search_ms as { p99: number }).p99,
      search_concurrent_p99_ms: (result.search_concurrent_ms as { p99: number }).p99,
      full_sync_10k_seconds: result.itglue_full_sync_seconds, full_sync_documents: indexed,
      incremental_upserted_after_edits: (result.itglue_incremental_after_edits as { upserted: number }).upserted, incremental_edits: 5,
      pass: (result.lookup_ms as { p99: number }).p99 < 20 && fullOk && incOk, ...result,
    })}`);
  } finally {
    sandbox?.proc.kill('SIGTERM');
    for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`).catch(() => undefined);
    if (sandbox) await pool.query(`DROP SCHEMA IF EXISTS "${sandbox.schema}" CASCADE`).catch(() => undefined);
    await pool.end();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
