import { randomUUID } from 'node:crypto';
import { appendFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeDocs, HashEmbedder, htmlDoc, testIndex, TestIndex } from './helpers';
import { DEFAULT_SYNC_OPTIONS, SyncService } from '../src/app/sync.service';
import { DocumentStore } from '../src/persistence/document-store';

let t: TestIndex;
const fake = new FakeDocs('Fabrikam');
const fakeSource = { scopeKey: 'client:Fabrikam', clientIdentifier: 'Fabrikam', system: 'itglue', client: fake };

beforeAll(async () => {
  fake.docs = [
    htmlDoc('fab-1', 'Fabrikam', 'Fabrikam - Zebra label printer', 'printer', '<h2>Steps</h2><p>Clear the Zebra queue on FAB-PRN-07.</p>'),
    htmlDoc('fab-2', 'Fabrikam', 'Fabrikam - Quokka VPN', 'vpn_connectivity', '<h2>Steps</h2><p>Reinstall the Quokka tunnel client.</p>'),
    htmlDoc('fab-3', 'Fabrikam', 'Fabrikam - Kiosk notes', 'wifi_connectivity', '<h2>Notes</h2><p>Kiosk SSID is FAB-FLOOR.</p>'),
    htmlDoc('fab-4', 'Fabrikam', 'Fabrikam - Onboarding', 'onboarding', '<h2>Steps</h2><p>Create the account from the template user.</p>'),
  ];
  t = await testIndex([fakeSource]);
  const reports = await t.app.sync.syncAll('full');
  expect(reports.filter((r) => !r.ok)).toEqual([]);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('sync', () => {
  it('indexes every scope, HTML cleaned with headings kept', async () => {
    const states = await t.app.syncStore.all(t.app.db);
    expect(states.map((s) => s.scopeKey)).toEqual(expect.arrayContaining(['global', 'client:ContosoDental', 'client:Fabrikam']));
    const [row] = await t.pool.query(`SELECT body, headings, header_status FROM "${t.schema}".document WHERE doc_id = 'fab-1'`).then((r) => r.rows);
    expect(row.header_status).toBe('valid');
    expect(row.body).toContain('## Steps');
    expect(row.body).not.toMatch(/<h2>|<pre>/);
  });

  it('malformed HTML is cleaned to text (no markup, no script) and stays searchable', async () => {
    const broken = '<div><p>Wombat badge printer <b>jams on <i>every</i> third label<p>Reset the <span class="x">feeder<h2>Steps</h3>'
      + '<ul><li>Open the lid<li>Clear the path</ul></div></div></td><script>document.write("stolen")</script><style>p{color:red}</style>'
      + '<img src=x onerror=alert(1)> &amp; &bogus; <!-- unterminated comment';
    const keep = fake.docs;
    fake.docs = [...keep, htmlDoc('fab-5', 'Fabrikam', 'Fabrikam - Wombat badge printer', 'printer', broken, '2026-11-26T12:00:00Z')];
    const [r] = await t.app.sync.syncAll('full', { clientIdentifier: 'Fabrikam' });
    expect(r).toMatchObject({ ok: true, rejected: [] });
    const [row] = await t.pool.query(`SELECT body FROM "${t.schema}".document WHERE doc_id = 'fab-5'`).then((x) => x.rows);
    expect(row.body).not.toMatch(/<\/?(div|p|b|i|span|ul|li|td|script|style|img)\b/i);
    expect(row.body).not.toMatch(/stolen|color:red|onerror/);
    expect(row.body).toContain('Clear the path');
    expect((await t.app.search.search({ clientIdentifier: 'Fabrikam', query: 'wombat badge printer jams' }))[0]?.docId).toBe('fab-5');
    fake.docs = keep;
    expect((await t.app.sync.syncAll('full', { clientIdentifier: 'Fabrikam' }))[0]).toMatchObject({ ok: true, deleted: 1 });
  });

  it('an incremental sync touches only what changed, and reflects deletions', async () => {
    const before = await t.app.sync.syncAll('incremental', { clientIdentifier: 'ContosoDental' });
    expect(before[0]).toMatchObject({ ok: true, mode: 'incremental', upserted: 0, deleted: 0 });
    const file = join(t.dir, 'contoso-dental', 'vpn-forticlient.md');
    appendFileSync(file, '\nExtra note: the portal moved to port 10443.\n');
    const future = new Date(Date.now() + 60_000);
    utimesSync(file, future, future);
    rmSync(join(t.dir, 'contoso-dental', 'imaging-service-restart.md'));
    const [r] = await t.app.sync.syncAll('incremental', { clientIdentifier: 'ContosoDental' });
    expect(r).toMatchObject({ ok: true, mode: 'incremental', fetched: 1, upserted: 1, deleted: 1 });
    const hits = await t.app.search.search({ clientIdentifier: 'ContosoDental', query: 'port 10443' });
    expect(hits[0]?.docId).toBe('contoso-dental/vpn-forticlient.md');
    expect((await t.app.resolver.resolve('service_restart', 'ContosoDental')).documents.map((d) => d.docId)).toEqual(['_global/service-restart.md']);
  });

  it('a docs system failing mid-way (500, 429) leaves the last good index serving and reports it', async () => {
    const before = await t.app.search.search({ clientIdentifier: 'Fabrikam', query: 'Zebra label printer' });
    fake.docs = fake.docs.map((d) => ({ ...d, body: `${d.body}<p>changed</p>`, updatedAt: '2026-11-20T12:00:00Z' }));
    fake.failAfter = 2;
    fake.failure = Object.assign(new Error('HTTP 429 Too Many Requests'), { name: 'VendorRateLimitError' });
    const [r] = await t.app.sync.syncAll('full', { clientIdentifier: 'Fabrikam' });
    expect(r).toMatchObject({ ok: false, upserted: 0 });
    expect(r!.error).toMatch(/429/);
    const [row] = await t.pool.query(`SELECT count(*)::int AS n FROM "${t.schema}".document WHERE scope_key = 'client:Fabrikam' AND body LIKE '%changed%'`).then((x) => x.rows);
    expect(row.n).toBe(0);
    const state = (await t.app.syncStore.all(t.app.db)).find((s) => s.scopeKey === 'client:Fabrikam')!;
    expect(state).toMatchObject({ consecutiveFailures: 1, documentCount: 4 });
    expect(state.lastError).toMatch(/429/);
    expect(await t.app.search.search({ clientIdentifier: 'Fabrikam', query: 'Zebra label printer' })).toEqual(before);

    fake.failAfter = null;
    fake.idsFailure = new Error('HTTP 500 on the id listing');
    expect((await t.app.sync.syncAll('full', { clientIdentifier: 'Fabrikam' }))[0]).toMatchObject({ ok: false, upserted: 0 });
    const [after] = await t.pool.query(`SELECT count(*)::int AS n FROM "${t.schema}".document WHERE scope_key = 'client:Fabrikam' AND body LIKE '%changed%'`).then((x) => x.rows);
    expect(after.n).toBe(0);
    expect(await t.app.search.search({ clientIdentifier: 'Fabrikam', query: 'Zebra label printer' })).toEqual(before);
    fake.idsFailure = null;
  });

  it('garbage and a 5 MB page are rejected one by one; the rest syncs, the old version stays', async () => {
    const huge = htmlDoc('fab-2', 'Fabrikam', 'Fabrikam - Quokka VPN', 'vpn_connectivity', `<p>${'x'.repeat(5 * 1024 * 1024)}</p>`, '2026-11-25T12:00:00Z');
    fake.docs = [fake.docs[0]!, huge, fake.docs[2]!, fake.docs[3]!];
    fake.garbage = [{ id: 'fab-9', title: 7, body: null }, 'not even an object', { ...fake.docs[0], id: 'fab-x', clientIdentifier: 'ContosoDental' }];
    const [r] = await t.app.sync.syncAll('full', { clientIdentifier: 'Fabrikam' });
    expect(r!.ok).toBe(true);
    expect(r!.rejected.map((x) => x.docId).sort()).toEqual(['(no id)', 'fab-2', 'fab-9', 'fab-x']);
    expect(r!.rejected.find((x) => x.docId === 'fab-x')!.reason).toMatch(/belongs to ContosoDental/);
    const rows = await t.pool.query(`SELECT doc_id, length(body) AS len FROM "${t.schema}".document WHERE scope_key = 'client:Fabrikam' ORDER BY doc_id`).then((x) => x.rows);
    expect(rows.map((x: { doc_id: string }) => x.doc_id)).toEqual(['fab-1', 'fab-2', 'fab-3', 'fab-4']);
    expect(rows[1].len).toBeLessThan(10_000);
    fake.garbage = [];
    // The cursor does not move past the rejected page (after a full sync: none, so the next sync is full again).
    const state = (await t.app.syncStore.all(t.app.db)).find((s) => s.scopeKey === 'client:Fabrikam')!;
    expect(state.cursor === null || Date.parse(state.cursor) < Date.parse('2026-11-25T12:00:00Z')).toBe(true);
    const [again] = await t.app.sync.syncAll('incremental', { clientIdentifier: 'Fabrikam' });
    expect(again!.rejected.map((x) => x.docId)).toEqual(['fab-2']);
  });

  it('a docs system that stops answering fails the scope after the timeout, index untouched', async () => {
    const hung = {
      scopeKey: 'client:Hung', clientIdentifier: 'Hung', system: 'hudu',
      // eslint-disable-next-line require-yield -- a docs system that never answers yields nothing
      client: { ...fake, system: 'hudu' as const, listDocuments: async function* () { await new Promise(() => undefined); }, listDocumentIds: async () => [], getDocument: fake.getDocument },
    };
    const sync = new SyncService(t.app.db, new DocumentStore(t.schema), t.app.syncStore, () => [hung], { ...DEFAULT_SYNC_OPTIONS, timeoutMs: 300 });
    const [r] = await sync.syncAll('full');
    expect(r).toMatchObject({ ok: false, scopeKey: 'client:Hung' });
    expect(r!.error).toMatch(/did not finish within/);
  });

  it('refuses a listing that would wipe most of a scope, unless forced', async () => {
    const keep = fake.docs;
    fake.docs = [keep[0]!];
    const [r] = await t.app.sync.syncAll('full', { clientIdentifier: 'Fabrikam' });
    expect(r).toMatchObject({ ok: false });
    expect(r!.error).toMatch(/refusing to delete 3 of 4/);
    const [forced] = await t.app.sync.syncAll('full', { clientIdentifier: 'Fabrikam', force: true });
    expect(forced).toMatchObject({ ok: true, deleted: 3, documentCount: 1 });
    fake.docs = keep.map((d) => (d.id === 'fab-2' ? htmlDoc('fab-2', 'Fabrikam', 'Fabrikam - Quokka VPN', 'vpn_connectivity', '<p>Reinstall the Quokka tunnel client.</p>') : d));
    expect((await t.app.sync.syncAll('full', { clientIdentifier: 'Fabrikam' }))[0]).toMatchObject({ ok: true, upserted: 3, documentCount: 4 });
  });
});

describe('start-up', () => {
  it('a lookup right after start waits for the first sync instead of finding nothing', async () => {
    const fresh = await testIndex();
    try {
      const missing = await fresh.app.sync.ensureSynced('ContosoDental', 50);
      expect(missing).toEqual([expect.stringMatching(/MSP-wide documents has not synced/), expect.stringMatching(/ContosoDental has not synced/)]);
      const round = fresh.app.sync.syncAll('full');
      expect(await fresh.app.sync.ensureSynced('ContosoDental')).toEqual([]);
      expect((await fresh.app.resolver.resolve('password_reset', 'ContosoDental')).usable).toBe(true);
      await round;
    } finally {
      await fresh.close();
    }
  });
});

describe('retrieval', () => {
  it('finds the client runbook for ticket text, client page over the replaced global one', async () => {
    const hits = await t.app.search.search({ clientIdentifier: 'WhitfieldCrane', query: 'I forgot my password and cannot log in', limit: 5 });
    expect(hits[0]).toMatchObject({ docId: 'whitfield-crane/password-reset.md', scope: 'client', category: 'password_reset' });
    expect(hits.map((h) => h.docId)).not.toContain('_global/password-reset.md');
  });

  it('corrects misspelt words through the trigram lexicon', async () => {
    const hits = await t.app.search.search({ clientIdentifier: 'TailspinMfg', query: 'netextendr wont conect', limit: 3 });
    expect(hits[0]?.docId).toBe('tailspin-mfg/vpn-netextender.md');
  });

  it('steers by a category hint in proportion to its confidence, and never filters on it', async () => {
    const query = { clientIdentifier: 'WhitfieldCrane', query: 'LexFile add-in missing in Outlook since the update', limit: 5 };
    const textOnly = await t.app.search.search(query);
    expect(textOnly[0]?.category).not.toBe('email_issue');
    const sure = await t.app.search.search({ ...query, categoryHint: { category: 'email_issue', confidence: 0.99 } });
    expect(sure[0]).toMatchObject({ category: 'email_issue' });
    expect(sure[0]!.ranks.hint).toBe(1);
    expect(sure.map((h) => h.docId)).toContain(textOnly[0]!.docId);
    const unsure = await t.app.search.search({ ...query, categoryHint: { category: 'email_issue', confidence: 0.2 } });
    expect(unsure[0]!.docId).toBe(textOnly[0]!.docId);
    // A category with no document at the client (hardware never has a runbook) changes nothing.
    const none = await t.app.search.search({ ...query, categoryHint: { category: 'hardware', confidence: 0.99 } });
    expect(none.map((h) => h.docId)).toEqual(textOnly.map((h) => h.docId));
  });

  it('lets the client\'s runbooks vote on what a ticket is about before any example exists', async () => {
    const query = { clientIdentifier: 'WhitfieldCrane', query: 'I forgot my password and cannot log in', limit: 5 };
    expect(await t.app.examples.count(t.app.db)).toBe(0);
    const hits = await t.app.search.search(query);
    expect(hits[0]).toMatchObject({ docId: 'whitfield-crane/password-reset.md' });
    expect(hits[0]!.ranks.category).toBeDefined();
    t.app.search.documentsVote = false;
    try {
      expect((await t.app.search.search(query)).every((h) => h.ranks.category === undefined)).toBe(true);
    } finally {
      t.app.search.documentsVote = true;
    }
  });

  it('filters by category', async () => {
    const hits = await t.app.search.search({ clientIdentifier: 'ContosoDental', query: 'password', category: 'account_unlock', limit: 5 });
    expect(hits.map((h) => h.category)).toEqual(['account_unlock']);
  });
});

describe('embeddings (when configured)', () => {
  it('are stored at sync and fused as one more ranked list; an endpoint outage degrades, never fails', async () => {
    const embedder = new HashEmbedder();
    const e = await testIndex([], embedder);
    try {
      expect((await e.app.sync.syncAll('full')).every((r) => r.ok)).toBe(true);
      const [row] = await e.pool.query(`SELECT count(*)::int AS n FROM "${e.schema}".document WHERE embedding IS NOT NULL`).then((x) => x.rows);
      expect(row.n).toBe(38);
      const hits = await e.app.search.search({ clientIdentifier: 'TailspinMfg', query: 'NetExtender tunnel will not connect from home' });
      expect(hits[0]).toMatchObject({ docId: 'tailspin-mfg/vpn-netextender.md' });
      expect(hits[0]!.ranks.embedding).toBeDefined();
      expect(hits.every((h) => h.scope === 'global' || h.docId.startsWith('tailspin-mfg/'))).toBe(true);
      embedder.down = true;
      const degraded = await e.app.search.search({ clientIdentifier: 'TailspinMfg', query: 'NetExtender tunnel will not connect from home' });
      expect(degraded[0]!.docId).toBe('tailspin-mfg/vpn-netextender.md');
      expect(degraded[0]!.ranks.embedding).toBeUndefined();
    } finally {
      await e.close();
    }
  });
});

describe('tenant isolation', () => {
  const others = (hits: Array<{ docId: string; scope: string }>, own: string) => hits.filter((h) => h.scope === 'client' && !h.docId.startsWith(own));

  it('never returns another client\'s document, even for words only that client uses', async () => {
    const probes = ['LexFile DMS Client Outlook add-in WC-DC01', 'ClearView imaging bridge DentaChart', 'NetExtender SonicWall MES', 'Quokka Zebra FAB-PRN-07 Fabrikam', 'LedgerPoint Tax AuditTrail', 'DonorBase volunteers gala'];
    for (const q of probes) {
      for (const [client, prefix] of [['ContosoDental', 'contoso-dental/'], ['RiverbendFdn', 'riverbend-foundation/'], ['AlderBrooksCPA', 'alder-brooks/']] as const) {
        const hits = await t.app.search.search({ clientIdentifier: client, query: q, limit: 50 });
        expect(others(hits, prefix)).toEqual([]);
        const cat = await t.app.search.search({ clientIdentifier: client, query: q, category: 'software_reinstall', limit: 50 });
        expect(others(cat, prefix)).toEqual([]);
      }
    }
  });

  it('is not fooled by case, injection-looking input or an unknown client', async () => {
    const evil = [
      "' OR 1=1 --", "WhitfieldCrane' OR client_key IS NOT NULL --", 'lexfile | reinstall & !x :* <-> (', '%', '_', '\\', "'); DROP TABLE document; --",
    ];
    for (const q of evil) {
      const hits = await t.app.search.search({ clientIdentifier: 'contosodental', query: `${q} LexFile`, limit: 50 });
      expect(others(hits, 'contoso-dental/')).toEqual([]);
      const asClient = await t.app.search.search({ clientIdentifier: q, query: 'LexFile reinstall password', limit: 50 });
      expect(asClient.filter((h) => h.scope === 'client')).toEqual([]);
      expect(await t.app.search.baseline({ clientIdentifier: 'ContosoDental', query: `${q} LexFile`, limit: 50 }).then((ids) => ids.filter((i) => !i.startsWith('contoso-dental/') && !i.startsWith('_global/')))).toEqual([]);
    }
    const none = await t.app.search.search({ clientIdentifier: null, query: 'LexFile ClearView Quokka password', limit: 50 });
    expect(none.every((h) => h.scope === 'global')).toBe(true);
    const [n] = await t.pool.query(`SELECT count(*)::int AS n FROM "${t.schema}".document`).then((x) => x.rows);
    expect(n.n).toBeGreaterThan(30);
  });

  it('resolution never mixes clients either', async () => {
    const r = await t.app.resolver.resolve('printer', 'ContosoDental');
    expect(r.documents.map((d) => d.docId)).toEqual(['_global/print-queue-clear.md']);
    const f = await t.app.resolver.resolve('printer', 'Fabrikam');
    expect(f.documents.map((d) => d.docId)).toEqual(['fab-1']);
  });
});

describe('gap report', () => {
  it('reports stale and malformed runbooks, tickets without a usable runbook, and verification failures', async () => {
    writeFileSync(join(t.dir, 'alder-brooks', 'printer.md'), '---\ntitle: "AB printers"\ncategory: printer\nautomation:\n  action: clear_the_printer\n  identityVerification: none\n  verify: "x"\nupdated: "2026-10-01"\n---\n# AB printers\n## Steps\nx\n');
    expect((await t.app.sync.syncAll('full', { clientIdentifier: 'AlderBrooksCPA' }))[0]!.ok).toBe(true);
    const t1 = randomUUID();
    const t2 = randomUUID();
    const t3 = randomUUID();
    await t.app.resolver.resolveForTicket(t1, 'software_install', 'WhitfieldCrane');
    await t.app.resolver.resolveForTicket(t1, 'software_install', 'WhitfieldCrane');
    const printer = await t.app.resolver.resolveForTicket(t2, 'printer', 'AlderBrooksCPA');
    expect(printer).toMatchObject({ usable: false, gaps: ['malformed_header'] });
    await t.app.resolver.resolveForTicket(t3, 'password_reset', 'AlderBrooksCPA');
    await t.app.gapStore.recordVerificationFailure(t.app.db, { ticketId: t3, clientIdentifier: 'AlderBrooksCPA', category: null, documents: [], reasons: ['passwordLastSet did not move'] });

    const all = await t.app.gaps.report();
    const find = (client: string, category: string, kind: string) => all.find((g) => g.client === client && g.category === category && g.kind === kind);
    expect(find('WhitfieldCrane', 'software_install', 'no_runbook')).toMatchObject({ count: 1, items: [t1] });
    expect(find('WhitfieldCrane', 'vpn_connectivity', 'stale')).toMatchObject({ count: 1, items: ['whitfield-crane/vpn-globalprotect.md'] });
    expect(find('TailspinMfg', 'wifi_connectivity', 'stale')).toBeDefined();
    expect(find('AlderBrooksCPA', 'printer', 'malformed_header')).toMatchObject({ items: ['alder-brooks/printer.md'] });
    expect(find('AlderBrooksCPA', 'printer', 'unusable_runbook')).toMatchObject({ count: 1 });
    expect(find('AlderBrooksCPA', 'password_reset', 'verification_failed')).toMatchObject({ count: 1, items: [t3] });

    const alder = await t.app.gaps.report('AlderBrooksCPA');
    expect(alder.every((g) => g.client === 'AlderBrooksCPA' || g.client === '_global')).toBe(true);
  });
});
