import { startTestSandbox } from '../sandbox-harness';

/**
 * Time on an agreement / contract is checked the way the vendors' billing does: the work type must exist
 * and the agreement must be the charged company's. What is accepted is stored as sent.
 */
describe('time entries against agreements and contracts', () => {
  let sb: Awaited<ReturnType<typeof startTestSandbox>>;
  beforeAll(async () => { sb = await startTestSandbox(); });
  afterAll(async () => sb?.stop());

  const ticket = async (system: string, client: string): Promise<Record<string, unknown>> => (await (await fetch(`${sb.url}/admin/psa/${system}/tickets`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientIdentifier: client, summary: 'Printer offline', description: 'x' }),
  })).json()) as Record<string, unknown>;
  const post = (url: string, headers: Record<string, string>, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('ConnectWise: unknown work type and another company\'s agreement are refused; a covered entry keeps its agreement', async () => {
    const cw = `${sb.url}/cw/v4_6_release/apis/3.0`;
    const h = { authorization: `Basic ${Buffer.from('harborline+sandboxpub:sandboxpriv').toString('base64')}`, clientId: '00000000-0000-4000-8000-00000000c0de' };
    const t = await ticket('connectwise', 'ContosoDental');
    const agreements = (await (await fetch(`${cw}/finance/agreements?pageSize=100`, { headers: h })).json()) as Array<{ id: number; company: { identifier: string } }>;
    const own = agreements.find((a) => a.company.identifier === 'ContosoDental')!;
    const other = agreements.find((a) => a.company.identifier !== 'ContosoDental')!;
    const base = { chargeToId: t.id, chargeToType: 'ServiceTicket', member: { identifier: 'L1Agent' }, timeStart: '2026-11-30T15:00:00Z', timeEnd: '2026-11-30T15:09:00Z' };
    expect((await post(`${cw}/time/entries`, h, { ...base, workType: { name: 'Gardening' } })).status).toBe(400);
    expect((await post(`${cw}/time/entries`, h, { ...base, workType: { name: 'Automation' }, agreement: { id: other.id } })).status).toBe(400);
    const ok = await post(`${cw}/time/entries`, h, { ...base, workType: { name: 'Automation' }, agreement: { id: own.id }, billableOption: 'NoCharge' });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ workType: { name: 'Automation' }, agreement: { id: own.id }, billableOption: 'NoCharge', actualHours: 0.15, agreementHours: 0.15 });
  });

  it('HaloPSA: an unknown charge type and another client\'s contract are refused; chargerate and contract are stored', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox-halo-client', client_secret: 'sandbox-halo-secret', scope: 'all' });
    const tok = (await (await fetch(`${sb.url}/halo/auth/token?tenant=harborline`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).json()) as { access_token: string };
    const h = { authorization: `Bearer ${tok.access_token}` };
    const api = `${sb.url}/halo/api`;
    const t = await ticket('halopsa', 'TailspinMfg');
    const types = (await (await fetch(`${api}/Lookup?lookupid=17`, { headers: h })).json()) as Array<{ id: number; name: string }>;
    const automation = types.find((x) => x.name === 'Automation')!;
    const contracts = ((await (await fetch(`${api}/ClientContract`, { headers: h })).json()) as { contracts: Array<{ id: number; client_id: number }> }).contracts;
    const own = contracts.find((c) => c.client_id === t.client_id)!;
    const other = contracts.find((c) => c.client_id !== t.client_id)!;
    const base = { ticket_id: t.id, outcome: 'Time Entry', note: 'work', timetaken: 0.25, hiddenfromuser: true };
    expect((await post(`${api}/Actions`, h, [{ ...base, chargerate: 9999 }])).status).toBe(400);
    expect((await post(`${api}/Actions`, h, [{ ...base, chargerate: automation.id, actioncontractid: other.id }])).status).toBe(400);
    const ok = await post(`${api}/Actions`, h, [{ ...base, chargerate: automation.id, actioncontractid: own.id, actisbillable: false, nonbilltime: 0.25 }]);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ chargerate: automation.id, actioncontractid: own.id, actisbillable: false, timetaken: 0.25 });
  });

  it('Autotask: an unknown billing code and another company\'s contract are refused; both are stored when valid', async () => {
    const at = `${sb.url}/autotask/atservicesrest/V1.0`;
    const h = { ApiIntegrationCode: 'SANDBOXINTEGRATION', UserName: 'api@harborline-it.example', Secret: 'sandbox-autotask-secret' };
    const t = await ticket('autotask', 'RiverbendFdn');
    const codes = ((await (await post(`${at}/BillingCodes/query`, h, { filter: [{ op: 'eq', field: 'name', value: 'Automation' }] })).json()) as { items: Array<{ id: number }> }).items;
    const contracts = ((await (await post(`${at}/Contracts/query`, h, { filter: [{ op: 'exist', field: 'id' }] })).json()) as { items: Array<{ id: number; companyID: number }> }).items;
    const own = contracts.find((c) => c.companyID === t.companyID)!;
    const other = contracts.find((c) => c.companyID !== t.companyID)!;
    const resources = ((await (await post(`${at}/Resources/query`, h, { filter: [{ op: 'eq', field: 'userName', value: 'L1Agent' }] })).json()) as { items: Array<{ id: number }> }).items;
    const base = { ticketID: t.id, resourceID: resources[0]!.id, startDateTime: '2026-11-30T15:00:00Z', endDateTime: '2026-11-30T15:30:00Z', hoursWorked: 0.5, isNonBillable: true };
    expect((await post(`${at}/TimeEntries`, h, { ...base, billingCodeID: 1 })).status).toBe(500);
    expect((await post(`${at}/TimeEntries`, h, { ...base, billingCodeID: codes[0]!.id, contractID: other.id })).status).toBe(500);
    const ok = await post(`${at}/TimeEntries`, h, { ...base, billingCodeID: codes[0]!.id, contractID: own.id });
    expect(ok.status).toBe(200);
    const { itemId } = (await ok.json()) as { itemId: number };
    const item = ((await (await fetch(`${at}/TimeEntries/${itemId}`, { headers: h })).json()) as { item: Record<string, unknown> }).item;
    expect(item).toMatchObject({ billingCodeID: codes[0]!.id, contractID: own.id, isNonBillable: true, hoursToBill: 0 });
  });
});
