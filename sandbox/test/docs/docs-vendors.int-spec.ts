/* eslint-disable @typescript-eslint/no-explicit-any -- assertions walk raw vendor JSON of many shapes */
import { startSandbox, type RunningSandbox } from '../../src/core/sandbox';

/** The docs vendors of the sandbox, spoken to as a client of each vendor would (raw HTTP). */
const schema = `sbx_docs_${process.pid}_${Date.now() % 100000}`;
let sbx: RunningSandbox;

const ITG = { 'x-api-key': 'ITG.sandbox-harborline' };
const HUDU = { 'x-api-key': 'sandbox-hudu-key' };
const CONF = { authorization: `Basic ${Buffer.from('docs@harborline-it.example:sandbox-confluence-token').toString('base64')}` };

async function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: any; type: string | null }> {
  const res = await fetch(sbx.url + path, { headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, type: res.headers.get('content-type') };
}

async function admin(path: string, body: unknown): Promise<any> {
  const res = await fetch(`${sbx.url}/admin${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  sbx = await startSandbox({ schema, port: 0 });
});
afterAll(async () => {
  await sbx?.close({ dropSchema: true });
});
beforeEach(async () => {
  await sbx.reset();
});

describe('IT Glue', () => {
  it('rejects a wrong API key with a JSON:API error', async () => {
    const r = await get('/itglue/organizations', { 'x-api-key': 'ITG.wrong' });
    expect(r.status).toBe(401);
    expect(r.body.errors[0].status).toBe('401');
  });

  it('serves the global runbooks in org 100 as HTML with the front matter in a <pre> block', async () => {
    const r = await get('/itglue/organizations/100/relationships/documents?page[size]=5', ITG);
    expect(r.status).toBe(200);
    expect(r.type).toContain('application/vnd.api+json');
    expect(r.body.meta['total-count']).toBe(13);
    expect(r.body.data).toHaveLength(5);
    expect(r.body.links.next).toContain('page[number]=2');
    const doc = r.body.data[0];
    expect(doc.type).toBe('documents');
    expect(doc.attributes['organization-id']).toBe(100);
    expect(doc.attributes.content).toMatch(/^<pre>---\ntitle: /);
    expect(doc.attributes.content).toContain('<h1>');
    expect(doc.attributes.content).toContain('<h2>Steps</h2>');
    expect(doc.attributes['updated-at']).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const all: string[] = [];
    let next: string | undefined = `/itglue/organizations/100/relationships/documents?page[size]=5`;
    while (next) {
      const p = await get(next.replace(sbx.url, ''), ITG);
      all.push(...p.body.data.map((d: { id: string }) => d.id));
      next = p.body.links.next;
    }
    expect(new Set(all).size).toBe(13);
  });

  it('filters by updated_at range and reflects deletions', async () => {
    const client = await get('/itglue/organizations/101/relationships/documents', ITG);
    expect(client.body.meta['total-count']).toBe(4);
    const recent = await get('/itglue/organizations/101/relationships/documents?filter[updated_at]=2026-01-01T00:00:00Z,*', ITG);
    expect(recent.body.data.every((d: any) => d.attributes['updated-at'] >= '2026-01-01')).toBe(true);
    expect(recent.body.meta['total-count']).toBeLessThan(4);

    const victim = client.body.data[0].id;
    expect((await admin('/docs/itglue/documents', { action: 'delete', id: Number(victim) })).status).toBe(200);
    expect((await get(`/itglue/documents/${victim}`, ITG)).status).toBe(404);
    expect((await get('/itglue/organizations/101/relationships/documents', ITG)).body.meta['total-count']).toBe(3);
  });

  it('admin upsert adds a document with a fresh updated-at', async () => {
    const added = await admin('/docs/itglue/documents', { clientIdentifier: 'ContosoDental', markdown: '---\ntitle: "New page"\ncategory: printer\nupdated: "2026-11-29"\n---\n\n# New page\n\nBody.\n' });
    expect(added.status).toBe(201);
    const since = new Date(Date.now() - 60_000).toISOString();
    const r = await get(`/itglue/organizations/101/relationships/documents?filter[updated_at]=${since},*`, ITG);
    expect(r.body.data.map((d: any) => d.attributes.name)).toEqual(['New page']);
  });
});

describe('Hudu', () => {
  it('lists a company\'s articles with page/page_size and rejects a wrong key', async () => {
    expect((await get('/hudu/api/v1/articles', { 'x-api-key': 'nope' })).status).toBe(401);
    const p1 = await get('/hudu/api/v1/articles?company_id=102&page=1&page_size=4', HUDU);
    expect(p1.body.articles).toHaveLength(4);
    const p2 = await get('/hudu/api/v1/articles?company_id=102&page=2&page_size=4', HUDU);
    expect(p2.body.articles.length).toBe(2);
    const a = p1.body.articles[0];
    expect(a.company_id).toBe(102);
    expect(a.content).toMatch(/^<pre>---\n/);
    const one = await get(`/hudu/api/v1/articles/${a.id}`, HUDU);
    expect(one.body.article.id).toBe(a.id);
  });

  it('filters by updated_at "start,end"', async () => {
    const r = await get('/hudu/api/v1/articles?company_id=105&updated_at=2026-06-01T00:00:00Z,', HUDU);
    expect(r.status).toBe(200);
    expect(r.body.articles.every((x: any) => x.updated_at >= '2026-06-01')).toBe(true);
  });
});

describe('Confluence', () => {
  it('lists TSP pages with storage bodies and _links.next, and answers 401 without credentials', async () => {
    expect((await get('/confluence/wiki/rest/api/content?spaceKey=TSP', {})).status).toBe(401);
    const r = await get('/confluence/wiki/rest/api/content?spaceKey=TSP&expand=body.storage,version&limit=2', CONF);
    expect(r.status).toBe(200);
    expect(r.body.size).toBe(2);
    expect(r.body._links.next).toMatch(/^\/rest\/api\/content\?/);
    const page = r.body.results[0];
    expect(page.body.storage.representation).toBe('storage');
    expect(page.body.storage.value).toContain('<ac:structured-macro ac:name="code"');
    expect(page.body.storage.value).toContain('<h1>');
    expect(page.version.number).toBe(1);
    const next = await get(`/confluence/wiki${r.body._links.next}`, CONF);
    expect(next.body.start).toBe(2);
  });

  it('answers CQL with lastModified, and 400 for CQL it cannot parse', async () => {
    const cql = encodeURIComponent('space = TSP and type = page and lastModified > "2026/01/01 00:00"');
    const r = await get(`/confluence/wiki/rest/api/content/search?cql=${cql}&expand=version`, CONF);
    expect(r.status).toBe(200);
    expect(r.body.results.length).toBeGreaterThan(0);
    expect(r.body.results.every((p: any) => p.version.when >= '2026-01-01')).toBe(true);
    const all = await get(`/confluence/wiki/rest/api/content/search?cql=${encodeURIComponent('space = "TSP" and type = page')}`, CONF);
    expect(all.body.results).toHaveLength(5);
    expect(r.body.results.length).toBeLessThan(5);
    expect((await get(`/confluence/wiki/rest/api/content/search?cql=${encodeURIComponent('label = foo')}`, CONF)).status).toBe(400);
  });

  it('serves v2 pages with a cursor', async () => {
    const spaces = await get('/confluence/wiki/api/v2/spaces?keys=TSP', CONF);
    const id = spaces.body.results[0].id;
    const p1 = await get(`/confluence/wiki/api/v2/pages?space-id=${id}&body-format=storage&limit=3`, CONF);
    expect(p1.body.results).toHaveLength(3);
    expect(p1.body.results[0].body.storage.value).toContain('yaml');
    const p2 = await get(`/confluence${p1.body._links.next}`, CONF);
    expect(p2.body.results).toHaveLength(2);
    expect(p2.body._links.next).toBeUndefined();
  });
});

describe('bulk generator', () => {
  it('generates 10,000 documents that page like the others', async () => {
    const g = await admin('/docs/generate', { system: 'itglue', count: 10000, clients: [null, 'ContosoDental'] });
    expect(g.status).toBe(201);
    const r = await get('/itglue/organizations/100/relationships/documents?page[size]=1000', ITG);
    expect(r.body.meta['total-count']).toBe(13 + 5000);
    expect(r.body.data).toHaveLength(1000);
  });
});
