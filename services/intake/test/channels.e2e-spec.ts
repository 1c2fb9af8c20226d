import { randomUUID } from 'node:crypto';
import { startDesk, type DeskProcesses } from '../../../test/support/desk-processes';
import { PsaSandbox, type PsaSystem } from '../../../test/e2e/psa-sandbox';
import { rfc822 } from './helpers';
import { until as waitUntil } from '../../../test/support/until';

/**
 * Every non-PSA channel end to end (the PSA webhooks are covered by test/e2e/pipeline.e2e-spec.ts):
 * email (new + reply), portal, RMM alert → intake → triage → psa-writer, which opens the ticket in the
 * client's PSA on the sandbox and writes the first response there.
 */
jest.setTimeout(240_000);

const PORTAL_KEY = `e2e-portal-key-${randomUUID()}`;
const ALERT_TOKEN = `e2e-alert-token-${randomUUID()}`;
let desk: DeskProcesses;
let psa: PsaSandbox;

beforeAll(async () => {
  desk = await startDesk({
    services: ['intake', 'triage', 'psa-writer'],
    envFor: { intake: { INTAKE_PORTAL_KEYS: `ContosoDental=${PORTAL_KEY}`, INTAKE_ALERT_TOKEN: ALERT_TOKEN } },
  });
  psa = new PsaSandbox(desk.sandboxUrl);
});

afterAll(async () => {
  await desk?.stop();
});

const until = <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> =>
  waitUntil(what, probe, { timeoutMs, intervalMs: 500, logsOnTimeout: () => `--- intake\n${desk.logs('intake', 30)}\n--- triage\n${desk.logs('triage', 20)}\n--- psa-writer\n${desk.logs('psa-writer', 30)}` });

/** The PSA ticket psa-writer opened for a desk ticket, once its first response is there. */
async function psaTicketWithFirstResponse(ticketId: string) {
  const row = await until(`a PSA ticket for ${ticketId}`, async () => (await desk.query<{ system: PsaSystem; psa_ticket_id: string }>(
    `SELECT system, psa_ticket_id FROM ${desk.schema('psa-writer')}.ticket_map WHERE ticket_id = $1`, [ticketId]))[0]);
  const created = { system: row.system, id: row.psa_ticket_id };
  const view = await until('the first response on the PSA ticket', async () => {
    const v = await psa.view(created);
    // The first Discussion note is the ticket's own description; the desk's first response follows it.
    return v.notes.some((n) => !n.internal && /received your request|Monitoring alert received/i.test(n.text)) ? v : null;
  });
  return { created, view };
}

const post = (path: string, headers: Record<string, string>, body: string) => fetch(`${desk.urls.intake}${path}`, { method: 'POST', headers, body });

it('email: a new mail opens a PSA ticket with a first response; a reply threads onto the same desk ticket', async () => {
  const mid = `<${randomUUID()}@mail.contoso-dental.example>`;
  const res = await post('/inbound/email', { 'content-type': 'message/rfc822' }, rfc822({
    from: 'Kevin ONeil <kevin.oneil@contoso-dental.example>', subject: 'Please add me to the Imaging group', body: 'Hi, I need access to the imaging share. Thanks, Kevin', messageId: mid }));
  expect(res.status).toBe(201);
  const { ticketId } = (await res.json()) as { ticketId: string };
  const { view } = await psaTicketWithFirstResponse(ticketId);
  expect(view.notes.filter((n) => /we have received your request/i.test(n.text))).toHaveLength(1);

  const reply = await post('/inbound/email', { 'content-type': 'message/rfc822' }, rfc822({
    from: 'kevin.oneil@contoso-dental.example', subject: 'Re: Please add me to the Imaging group', body: 'Any update?', messageId: `<${randomUUID()}@x>`, headers: [`In-Reply-To: ${mid}`] }));
  expect(reply.status).toBe(200);
  expect(await reply.json()).toMatchObject({ outcome: 'reply', ticketId });
});

it('portal: a ticket created through the API reaches the PSA, and its status is readable', async () => {
  const res = await post('/portal/tickets', { 'content-type': 'application/json', 'x-api-key': PORTAL_KEY },
    JSON.stringify({ summary: 'Zoom missing on my laptop', description: 'Please install Zoom Workplace on CDG-LT-KONEIL', fromEmail: 'kevin.oneil@contoso-dental.example', fromName: 'Kevin ONeil' }));
  expect(res.status).toBe(201);
  const { ticketId } = (await res.json()) as { ticketId: string };
  await psaTicketWithFirstResponse(ticketId);
  const status = await fetch(`${desk.urls.intake}/portal/tickets/${ticketId}`, { headers: { 'x-api-key': PORTAL_KEY } });
  expect(status.status).toBe(200);
  expect(((await status.json()) as { state: string }).state).not.toBe('received');
});

it('alert: a NinjaOne alert from the sandbox RMM opens a ticket on the Alerts board; a repeat is counted, not a new ticket', async () => {
  const reg = await fetch(`${desk.sandboxUrl}/admin/rmm/ninjaone/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: `${desk.urls.intake}/alerts/ninjaone?client=ContosoDental`, headers: { 'X-Desk-Alert-Token': ALERT_TOKEN } }) });
  expect(reg.status).toBe(201);
  const fire = () => fetch(`${desk.sandboxUrl}/admin/rmm/ninjaone/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hostname: 'CDG-CH-SRV01', message: 'ClearViewBridge service stopped', sourceName: 'Service down: ClearViewBridge', severity: 'CRITICAL' }) });
  expect((await fire()).ok).toBe(true);
  const first = await until('the alert ticket', async () => (await desk.query<{ ticket_id: string }>(
    `SELECT ticket_id FROM ${desk.schema('intake')}.raw_delivery WHERE channel = 'ninjaone' AND outcome = 'received'`))[0]);
  expect((await fire()).ok).toBe(true);
  await until('the storm count', async () => (await desk.query<{ count: number }>(`SELECT count FROM ${desk.schema('intake')}.alert_storm WHERE ticket_id = $1`, [first.ticket_id]))[0]?.count === 2);
  const { view } = await psaTicketWithFirstResponse(first.ticket_id);
  expect(view.board).toBe('Alerts');
});
