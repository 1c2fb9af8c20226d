import { createHmac } from 'node:crypto';
import { startTestSandbox } from '../sandbox-harness';
import { startReceiver } from './webhook-receiver';

const H = { ApiIntegrationCode: 'SANDBOXINTEGRATION', UserName: 'api@harborline-it.example', Secret: 'sandbox-autotask-secret', 'content-type': 'application/json' };

describe('sandbox Autotask', () => {
  let sb: Awaited<ReturnType<typeof startTestSandbox>>;
  let base: string;
  const at = (path: string, init: RequestInit = {}) => fetch(path.startsWith('http') ? path : `${base}${path}`, { ...init, headers: { ...H, ...(init.headers as Record<string, string> | undefined) } });
  const post = (path: string, body: unknown, method = 'POST') => at(path, { method, body: JSON.stringify(body) });
  beforeAll(async () => {
    sb = await startTestSandbox();
    base = `${sb.url}/autotask/atservicesrest/V1.0`;
  });
  afterAll(async () => sb?.stop());

  it('answers the zone lookup and refuses wrong credentials', async () => {
    const zone = (await (await fetch(`${sb.url}/autotask/atservicesrest/v1.0/ZoneInformation?user=api@harborline-it.example`)).json()) as { url: string };
    expect(zone.url).toBe(`${sb.url}/autotask/atservicesrest/`);
    const bad = await at('/Tickets/1', { headers: { Secret: 'nope' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ errors: [expect.any(String)] });
  });

  it('creates, queries with the filter grammar and pages, patches with the id in the body, adds notes', async () => {
    const fields = (await (await at('/Tickets/entityInformation/fields')).json()) as { fields: Array<{ name: string; picklistValues?: Array<{ value: string; label: string }> }> };
    const status = (label: string) => Number(fields.fields.find((f) => f.name === 'status')?.picklistValues?.find((p) => p.label === label)?.value);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await post('/Tickets', { companyID: 105, title: `Donor DB ${i}`, description: 'slow', status: status('New'), priority: 3, contactID: 5001 });
      expect(r.status).toBe(200);
      ids.push(((await r.json()) as { itemId: number }).itemId);
    }
    const q1 = (await (await post('/Tickets/query', { MaxRecords: 2, filter: [{ op: 'eq', field: 'companyID', value: 105 }, { op: 'or', items: [{ op: 'beginsWith', field: 'title', value: 'donor' }, { op: 'in', field: 'id', value: [999] }] }] })).json()) as { items: Array<{ id: number }>; pageDetails: { nextPageUrl: string | null } };
    expect(q1.items.map((t) => t.id)).toEqual(ids.slice(0, 2));
    expect(q1.pageDetails.nextPageUrl).toBeTruthy();
    const q2 = (await (await at(String(q1.pageDetails.nextPageUrl))).json()) as { items: Array<{ id: number }>; pageDetails: { nextPageUrl: string | null } };
    expect(q2.items.map((t) => t.id)).toEqual([ids[2]]);
    expect(q2.pageDetails.nextPageUrl).toBeNull();
    expect((await post('/Tickets/query', { filter: [{ op: 'eq', field: 'nope', value: 1 }] })).status).toBe(500);
    // property names bind case-insensitively, as the vendor's docs (PascalCase) and responses (camelCase) differ
    const pascal = (await (await post('/Tickets/query', { Filter: [{ Op: 'eq', Field: 'ID', Value: ids[1] }], MaxRecords: 5 })).json()) as { items: Array<{ id: number }> };
    expect(pascal.items.map((t) => t.id)).toEqual([ids[1]]);
    const patched = await post('/Tickets', { id: ids[0], status: status('Resolved') }, 'PATCH');
    expect(await patched.json()).toEqual({ itemId: ids[0] });
    const item = ((await (await at(`/Tickets/${ids[0]}`)).json()) as { item: { status: number; completedDate: string | null; ticketNumber: string } }).item;
    expect(item.status).toBe(status('Resolved'));
    expect(item.completedDate).not.toBeNull();
    expect(item.ticketNumber).toMatch(/^T\d{8}\.\d{4}$/);
    const notQ = (await (await post('/Tickets/query', { filter: [{ op: 'noteq', field: 'status', value: status('Resolved') }, { op: 'exist', field: 'contactID' }] })).json()) as { items: unknown[] };
    expect(notQ.items).toHaveLength(2);
    expect((await post(`/Tickets/${ids[0]}/Notes`, { title: 'Update', description: 'Fixed it', noteType: 1, publish: 1 })).status).toBe(200);
    const notes = (await (await at(`/Tickets/${ids[0]}/Notes`)).json()) as { items: Array<{ description: string }> };
    expect(notes.items.map((n) => n.description)).toEqual(['Fixed it']);
    const contacts = (await (await post('/Contacts/query', { filter: [{ op: 'eq', field: 'emailAddress', value: 'ben.carter@riverbend-foundation.example' }] })).json()) as { items: Array<{ companyID: number }> };
    expect(contacts.items).toHaveLength(1);
  });

  it('delivers X-Hook-Signature signed webhooks for subscribed ticket events', async () => {
    const rx = await startReceiver();
    try {
      const reg = (await (await post('/TicketWebhooks', { name: 'desk', webhookUrl: `${rx.url}/at`, deactivationUrl: `${rx.url}/off`, secretKey: 'sandbox-autotask-hook-secret', isActive: true, isSubscribedToCreateEvents: true, isSubscribedToUpdateEvents: true })).json()) as { itemId: number };
      expect((await post(`/TicketWebhooks/${reg.itemId}/Fields`, { fieldID: 2, isSubscribedField: true })).status).toBe(200);
      const { itemId } = (await (await post('/Tickets', { companyID: 105, title: 'Hooked', status: 1, priority: 3 })).json()) as { itemId: number };
      await post('/Tickets', { id: itemId, title: 'Renamed only' }, 'PATCH'); // not a subscribed field: no delivery
      await post('/Tickets', { id: itemId, status: 2 }, 'PATCH');
      const got = await rx.waitFor(2);
      await new Promise((r) => setTimeout(r, 200));
      expect(got).toHaveLength(2);
      for (const g of got) expect(g.headers['x-hook-signature']).toBe(`sha1=${createHmac('sha1', 'sandbox-autotask-hook-secret').update(g.body).digest('base64')}`);
      expect(JSON.parse(got[0].body)).toMatchObject({ Action: 'Create', EntityType: 'Ticket', Id: itemId });
      expect(JSON.parse(got[1].body)).toMatchObject({ Action: 'Update', Id: itemId, Fields: { Status: 2 } });
    } finally {
      await rx.close();
    }
  });
});
