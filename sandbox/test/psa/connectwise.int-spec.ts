import { createHash, createHmac } from 'node:crypto';
import { startTestSandbox } from '../sandbox-harness';
import { startReceiver } from './webhook-receiver';

const AUTH = { Authorization: `Basic ${Buffer.from('harborline+sandboxpub:sandboxpriv').toString('base64')}`, clientId: '00000000-0000-4000-8000-00000000c0de', 'content-type': 'application/json' };

describe('sandbox ConnectWise PSA', () => {
  let sb: Awaited<ReturnType<typeof startTestSandbox>>;
  let base: string;
  const cw = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { ...AUTH, ...(init.headers as Record<string, string> | undefined) } });
  beforeAll(async () => {
    sb = await startTestSandbox();
    base = `${sb.url}/cw/v4_6_release/apis/3.0`;
  });
  afterAll(async () => sb?.stop());
  beforeEach(async () => sb.reset());

  it('rejects wrong keys with 401 and a missing clientId with 400', async () => {
    const bad = await fetch(`${base}/service/tickets`, { headers: { ...AUTH, Authorization: `Basic ${Buffer.from('harborline+sandboxpub:nope').toString('base64')}` } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: 'Unauthorized' });
    const noClient = await fetch(`${base}/service/tickets`, { headers: { Authorization: AUTH.Authorization } });
    expect(noClient.status).toBe(400);
  });

  it('creates, lists with conditions and pages with Link rel="next", patches status with JSON Patch', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await cw('/service/tickets', { method: 'POST', body: JSON.stringify({ summary: `Printer ${i}`, company: { identifier: 'ContosoDental' }, board: { name: 'Service Desk' }, initialDescription: `desc ${i}` }) });
      expect(r.status).toBe(201);
    }
    await cw('/service/tickets', { method: 'POST', body: JSON.stringify({ summary: 'Other', company: { identifier: 'AlderBrooksCPA' } }) });
    const page1 = await cw('/service/tickets?conditions=' + encodeURIComponent('company/identifier = "ContosoDental" and summary like "Printer%"') + '&pageSize=2&orderBy=id%20asc');
    const rows = (await page1.json()) as Array<{ id: number; status: { name: string }; closedFlag: boolean }>;
    expect(rows).toHaveLength(2);
    const link = page1.headers.get('link') ?? '';
    expect(link).toMatch(/rel="next"/);
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? '';
    expect(next).toContain('page=2');
    const page2 = (await (await cw(next.replace(base, ''))).json()) as unknown[];
    expect(page2).toHaveLength(1);
    expect(rows[0].status.name).toBe('New');
    const count = await (await cw('/service/tickets/count?conditions=' + encodeURIComponent('closedFlag = false'))).json();
    expect(count).toEqual({ count: 4 });

    const boards = (await (await cw('/service/boards?conditions=' + encodeURIComponent('name = "Service Desk"'))).json()) as Array<{ id: number }>;
    const statuses = (await (await cw(`/service/boards/${boards[0].id}/statuses`)).json()) as Array<{ id: number; name: string; closedStatus: boolean }>;
    const resolved = statuses.find((s) => s.name === 'Resolved');
    expect(resolved?.closedStatus).toBe(true);
    const patched = await cw(`/service/tickets/${rows[0].id}`, { method: 'PATCH', body: JSON.stringify([{ op: 'replace', path: 'status', value: { id: resolved?.id } }]) });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ closedFlag: true, status: { name: 'Resolved' } });
    const notes = (await (await cw(`/service/tickets/${rows[0].id}/notes`)).json()) as Array<{ text: string; detailDescriptionFlag: boolean }>;
    expect(notes[0]).toMatchObject({ text: 'desc 0', detailDescriptionFlag: true });
    expect((await cw('/service/tickets?conditions=' + encodeURIComponent('summary = "open'))).status).toBe(400);
    expect((await cw('/service/tickets/999999')).status).toBe(404);
    const searched = (await (await cw('/service/tickets/search', { method: 'POST', body: JSON.stringify({ conditions: 'summary like "Printer%"', pageSize: 10 }) })).json()) as unknown[];
    expect(searched).toHaveLength(3);
  });

  it('finds contacts by email through childConditions', async () => {
    const r = await cw('/company/contacts?childConditions=' + encodeURIComponent('communicationItems/value = "maria.chen@contoso-dental.example" and communicationItems/communicationType = "Email"'));
    const rows = (await r.json()) as Array<{ id: number; firstName: string }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 1004, firstName: 'Maria' });
  });

  it('delivers signed callbacks on ticket add and update, with a key_url the receiver can fetch', async () => {
    const rx = await startReceiver();
    try {
      const reg = await cw('/system/callbacks', { method: 'POST', body: JSON.stringify({ url: `${rx.url}/cw-hook`, objectId: 1, type: 'Ticket', level: 'owner', description: 'desk' }) });
      expect(reg.status).toBe(201);
      const t = (await (await cw('/service/tickets', { method: 'POST', body: JSON.stringify({ summary: 'Hooked', company: { id: 101 } }) })).json()) as { id: number };
      await cw(`/service/tickets/${t.id}/notes`, { method: 'POST', body: JSON.stringify({ text: 'hi', detailDescriptionFlag: true }) });
      const got = await rx.waitFor(2);
      expect(got).toHaveLength(2);
      const body = JSON.parse(got[0].body) as { Action: string; ID: number; Entity: string; Metadata: { key_url: string } };
      expect(body).toMatchObject({ Action: 'added', ID: t.id, Type: 'ticket' });
      expect(JSON.parse(body.Entity)).toMatchObject({ id: t.id, summary: 'Hooked' });
      const key = (await (await fetch(body.Metadata.key_url)).json()) as { signing_key: string };
      const expected = createHmac('sha256', createHash('sha256').update(key.signing_key).digest()).update(got[0].body).digest('base64');
      expect(got[0].headers['x-content-signature']).toBe(expected);
      expect(JSON.parse(got[1].body)).toMatchObject({ Action: 'updated', ID: t.id });
      // registrations survive a reset between tests (a desk service registers once at start-up)
      await sb.reset();
      expect(((await (await cw('/system/callbacks')).json()) as unknown[]).length).toBe(1);
    } finally {
      await rx.close();
    }
  });
});
