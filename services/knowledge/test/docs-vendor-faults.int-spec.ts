import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { ItGlueDocsClient, loadDeskConfig } from '@desk/adapters';
import { startSandbox, type RunningSandbox } from '../../../sandbox/src/core/sandbox';
import { createKnowledgeApp, KnowledgeApp } from '../src/app/knowledge-app';
import { DocsSource } from '../src/adapters/docs-source';
import { fixedClock } from '../src/domain/clock';
import { DEFAULT_STALENESS } from '../src/domain/staleness';
import { PgDb } from '../src/persistence/db';
import { applyKnowledgeSchema } from '../src/persistence/schema-sql';
import { DATABASE_URL } from './helpers';

/**
 * A docs system that is down, through the real IT Glue adapter over HTTP (the sandbox's IT Glue with injected
 * faults): 429s and 500s on every request, retries exhausted. The last good index keeps serving, the failure is
 * reported, nothing is half-written, and the next good sync brings what waited. (Garbage pages — malformed
 * HTML, a 5 MB page, non-documents — are in sync-retrieval.int-spec.ts: the sandbox renders Markdown with HTML
 * escaped and caps admin request bodies, so it cannot serve them.)
 */
let sb: RunningSandbox;
let pool: Pool;
let app: KnowledgeApp;
const schema = `knowledge_f${randomBytes(4).toString('hex')}`;
const CLIENT = 'ContosoDental';

type Row = { doc_id: string; content_hash: string; title: string };
const snapshot = async (): Promise<Row[]> =>
  (await pool.query<Row>(`SELECT doc_id, content_hash, title FROM "${schema}".document ORDER BY doc_id`)).rows;
const state = async () => (await app.syncStore.all(app.db)).find((s) => s.clientIdentifier === CLIENT)!;

async function admin(path: string, body: unknown, method = 'POST'): Promise<Record<string, unknown>> {
  const r = await fetch(`${sb.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as Record<string, unknown>;
}

const page = (title: string, body: string): string => `---\ntitle: "${title}"\ncategory: printer\nupdated: "2026-11-29"\n---\n\n# ${title}\n\n${body}\n`;

beforeAll(async () => {
  sb = await startSandbox({ schema: `${schema}_sb`, port: 0 });
  const previous = process.env.SANDBOX_URL;
  process.env.SANDBOX_URL = sb.url;
  const config = loadDeskConfig(resolve(__dirname, '../../../config/desk.sandbox.yaml'));
  if (previous === undefined) delete process.env.SANDBOX_URL;
  else process.env.SANDBOX_URL = previous;
  const conn = config.clients.find((c) => c.identifier === CLIENT)!.docs;
  if (conn.system !== 'itglue') throw new Error(`desk.sandbox.yaml no longer puts ${CLIENT} on IT Glue`);
  // Fast retries: the adapter still retries (429 with Retry-After, 5xx), just without waiting seconds.
  const client = new ItGlueDocsClient(conn, CLIENT, { retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 50 }, timeoutMs: 5000 });
  const source: DocsSource = { scopeKey: `client:${CLIENT}`, clientIdentifier: CLIENT, system: 'itglue', client };
  pool = new Pool({ connectionString: DATABASE_URL, max: 4 });
  const db = new PgDb(pool);
  await applyKnowledgeSchema(db, schema);
  app = createKnowledgeApp({ db, schema, clock: fixedClock('2026-11-30T15:00:00Z'), policy: DEFAULT_STALENESS, sources: () => [source], sync: { maxDocumentBytes: 2 * 1024 * 1024 } });
  const [r] = await app.sync.syncAll('full');
  expect(r).toMatchObject({ ok: true });
  expect(r!.documentCount).toBeGreaterThan(0);
}, 120_000);

afterAll(async () => {
  await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool?.end();
  await sb?.close({ dropSchema: true });
});

afterEach(() => sb.ctx.faults.clear());

describe.each([
  ['429 Too Many Requests', { kind: 'rate_limit', value: 0 }, /429|rate/i],
  ['500 Internal Server Error', { kind: 'server_error', value: 500 }, /500/],
])('IT Glue answering %s', (_name, fault, expected) => {
  it('fails the scope, reports it, and the last good index keeps serving unchanged', async () => {
    const before = await snapshot();
    const hitsBefore = await app.search.search({ clientIdentifier: CLIENT, query: 'FortiClient VPN will not connect from home' });
    const failuresBefore = (await state()).consecutiveFailures;
    // A change waits in the docs system, so a sync that half-wrote would show.
    const changed = await admin('/admin/docs/itglue/documents', { clientIdentifier: CLIENT, markdown: page(`Fault probe ${fault.kind}`, 'Probe page.') });
    await admin('/admin/faults', { vendor: 'itglue', count: 1000, ...fault });
    const [r] = await app.sync.syncAll('full');
    expect(r).toMatchObject({ ok: false, upserted: 0, deleted: 0 });
    expect(r!.error).toMatch(expected);
    expect(await snapshot()).toEqual(before);
    const s = await state();
    expect(s.consecutiveFailures).toBe(failuresBefore + 1);
    expect(s.lastError).toMatch(expected);
    expect(await app.search.search({ clientIdentifier: CLIENT, query: 'FortiClient VPN will not connect from home' })).toEqual(hitsBefore);
    // Once the docs system answers again, the waiting change comes in and the failure clears.
    sb.ctx.faults.clear();
    const [ok] = await app.sync.syncAll('full');
    expect(ok).toMatchObject({ ok: true });
    expect((await snapshot()).map((x) => x.doc_id)).toContain(String(changed.id));
    expect((await state()).consecutiveFailures).toBe(0);
  }, 60_000);
});
