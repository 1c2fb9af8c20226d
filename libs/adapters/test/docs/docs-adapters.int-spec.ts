import { mkdtemp, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSandbox } from '../../../../sandbox/test/sandbox-harness';
import {
  ConfluenceDocsClient, DocsClient, DocsConnection, DocsDocument, frontMatterOf, HuduDocsClient, ItGlueDocsClient, MarkdownFolderDocsClient,
  VendorAuthError, VendorNotFoundError, VendorUnavailableError, createDocsClient,
} from '@desk/adapters';

type Sb = Awaited<ReturnType<typeof startTestSandbox>>;
const settle = () => new Promise((r) => setTimeout(r, 50));
const fast = { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } };

async function all(it: AsyncIterable<DocsDocument>): Promise<DocsDocument[]> {
  const out: DocsDocument[] = [];
  for await (const d of it) out.push(d);
  return out;
}

const conns = (sb: Sb) => ({
  itglueGlobal: { system: 'itglue', baseUrl: `${sb.url}/itglue`, apiKey: 'ITG.sandbox-harborline', organizationId: '100' } as const,
  itglueContoso: { system: 'itglue', baseUrl: `${sb.url}/itglue`, apiKey: 'ITG.sandbox-harborline', organizationId: '101' } as const,
  huduWhitfield: { system: 'hudu', baseUrl: `${sb.url}/hudu`, apiKey: 'sandbox-hudu-key', companyId: '102' } as const,
  confluenceTailspin: { system: 'confluence', baseUrl: `${sb.url}/confluence`, email: 'docs@harborline-it.example', apiToken: 'sandbox-confluence-token', spaceKey: 'TSP' } as const,
});

async function adminDoc(sb: Sb, system: string, body: unknown): Promise<{ id: number; updatedAt: string }> {
  const res = await fetch(`${sb.url}/admin/docs/${system}/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`admin ${system}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: number; updatedAt: string };
}

const RUNBOOK = (title: string) => `---\ntitle: "${title}"\ncategory: printer\nautomation:\n  action: clear_print_queue\n  identityVerification: none\nupdated: "2026-11-29"\nowner: "Test"\n---\n\n# ${title}\n\n## Steps\n1. Do it.\n`;

describe('docs adapters against the sandbox', () => {
  let sb: Sb;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => {
    await sb?.stop();
  });
  beforeEach(async () => {
    await sb.reset();
  });

  describe.each([
    ['itglue', (s: Sb) => new ItGlueDocsClient(conns(s).itglueContoso, 'ContosoDental', { ...fast, pageSize: 2 }), 'ContosoDental', 4, 'html'],
    ['hudu', (s: Sb) => new HuduDocsClient(conns(s).huduWhitfield, 'WhitfieldCrane', { ...fast, pageSize: 2 }), 'WhitfieldCrane', 6, 'html'],
    ['confluence', (s: Sb) => new ConfluenceDocsClient(conns(s).confluenceTailspin, 'TailspinMfg', { ...fast, pageSize: 2 }), 'TailspinMfg', 5, 'storage'],
  ] as const)('%s', (system, make, client, count, format) => {
    let docs: DocsClient;
    beforeEach(() => {
      docs = make(sb);
    });

    it('pages through every document of the client, with the automation header readable', async () => {
      const list = await all(docs.listDocuments({ clientIdentifier: client }));
      expect(list).toHaveLength(count);
      expect(new Set(list.map((d) => d.id)).size).toBe(count);
      for (const d of list) {
        expect(d).toMatchObject({ bodyFormat: format, clientIdentifier: client });
        expect(d.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
        expect(frontMatterOf(d)).toMatch(/^title: /);
      }
      // More than one page was read (page size 2); the call log is written as responses close.
      await settle();
      expect((await sb.calls.list({ vendor: system })).length).toBeGreaterThanOrEqual(2);
      const one = await docs.getDocument(list[0].id);
      expect(one.title).toBe(list[0].title);
      expect(one.body).toBe(list[0].body);
    });

    it('returns only what changed since a time, and sees deletions through the id listing', async () => {
      const before = await docs.listDocumentIds({ clientIdentifier: client });
      const since = new Date(Date.now() - 1000).toISOString();
      expect(await all(docs.listDocuments({ clientIdentifier: client, updatedSince: since }))).toHaveLength(0);
      const added = await adminDoc(sb, system, { clientIdentifier: client, markdown: RUNBOOK('Fresh page') });
      await adminDoc(sb, system, { action: 'delete', id: Number(before[0]) });
      const changed = await all(docs.listDocuments({ clientIdentifier: client, updatedSince: since }));
      expect(changed.map((d) => d.title)).toEqual(['Fresh page']);
      expect(frontMatterOf(changed[0])).toContain('action: clear_print_queue');
      const after = await docs.listDocumentIds({ clientIdentifier: client });
      expect(after).toContain(String(added.id));
      expect(after).not.toContain(before[0]);
      await expect(docs.getDocument(before[0])).rejects.toBeInstanceOf(VendorNotFoundError);
    });

    it('retries a 429 and then succeeds', async () => {
      sb.ctx.faults.add({ vendor: system, kind: 'rate_limit', value: 1, count: 1 });
      const started = Date.now();
      expect(await docs.listDocumentIds({ clientIdentifier: client })).toHaveLength(count);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });

    it('gives up on a lasting 5xx with a typed error', async () => {
      sb.ctx.faults.add({ vendor: system, kind: 'server_error', value: 503, count: 10 });
      await expect(docs.listDocumentIds({ clientIdentifier: client })).rejects.toBeInstanceOf(VendorUnavailableError);
      await settle();
      expect((await sb.calls.list({ vendor: system })).length).toBe(3);
    });

    it('refuses another scope than its own', async () => {
      await expect(all(docs.listDocuments({ clientIdentifier: 'SomeoneElse' }))).rejects.toThrow(/serves/);
    });
  });

  it('rejects wrong credentials with a typed auth error, for each vendor', async () => {
    const c = conns(sb);
    await expect(new ItGlueDocsClient({ ...c.itglueContoso, apiKey: 'ITG.nope' }, 'ContosoDental', fast).listDocumentIds({ clientIdentifier: 'ContosoDental' })).rejects.toBeInstanceOf(VendorAuthError);
    await expect(new HuduDocsClient({ ...c.huduWhitfield, apiKey: 'nope' }, 'WhitfieldCrane', fast).listDocumentIds({ clientIdentifier: 'WhitfieldCrane' })).rejects.toBeInstanceOf(VendorAuthError);
    await expect(new ConfluenceDocsClient({ ...c.confluenceTailspin, apiToken: 'nope' }, 'TailspinMfg', fast).listDocumentIds({ clientIdentifier: 'TailspinMfg' })).rejects.toBeInstanceOf(VendorAuthError);
  });

  it('reads the MSP\'s global runbooks from IT Glue org 100 through createDocsClient', async () => {
    const docs = createDocsClient(conns(sb).itglueGlobal as DocsConnection, null);
    const list = await all(docs.listDocuments({ clientIdentifier: null }));
    expect(list).toHaveLength(13);
    expect(list.every((d) => d.clientIdentifier === null)).toBe(true);
    expect(list.map((d) => d.title)).toContain('Account unlock - MSP standard procedure');
  });

  it('lists a Hudu global scope (company_id null) separately from a company', async () => {
    const hudu = conns(sb).huduWhitfield;
    await adminDoc(sb, 'hudu', { clientIdentifier: null, markdown: RUNBOOK('Global Hudu page') });
    const global = await all(new HuduDocsClient(hudu, null, fast).listDocuments({ clientIdentifier: null }));
    expect(global.map((d) => d.title)).toEqual(['Global Hudu page']);
    const whitfield = await new HuduDocsClient(hudu, 'WhitfieldCrane', fast).listDocumentIds({ clientIdentifier: 'WhitfieldCrane' });
    expect(whitfield).toHaveLength(6);
  });
});

describe('MarkdownFolderDocsClient', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'desk-md-'));
    await mkdir(join(dir, 'printers'));
    await writeFile(join(dir, 'a.md'), RUNBOOK('Page A'));
    await writeFile(join(dir, 'printers', 'b.md'), '# Page B\n\nNo header.\n');
    await writeFile(join(dir, 'notes.txt'), 'not a runbook');
    const old = new Date('2025-01-01T00:00:00Z');
    await utimes(join(dir, 'printers', 'b.md'), old, old);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists Markdown files with titles, filters by modification time, and stays inside its folder', async () => {
    const docs = new MarkdownFolderDocsClient(dir, 'RiverbendFdn');
    expect(await docs.listDocumentIds({ clientIdentifier: 'RiverbendFdn' })).toEqual(['a.md', 'printers/b.md']);
    const list = await all(docs.listDocuments({ clientIdentifier: 'RiverbendFdn' }));
    expect(list.map((d) => d.title)).toEqual(['Page A', 'Page B']);
    expect(frontMatterOf(list[0])).toContain('category: printer');
    expect(frontMatterOf(list[1])).toBeNull();
    const recent = await all(docs.listDocuments({ clientIdentifier: 'RiverbendFdn', updatedSince: '2026-01-01T00:00:00Z' }));
    expect(recent.map((d) => d.id)).toEqual(['a.md']);
    await expect(docs.getDocument('../etc/passwd.md')).rejects.toBeInstanceOf(VendorNotFoundError);
  });
});
