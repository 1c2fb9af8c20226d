import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { DeskApp } from '@desk/platform';
import { cleanup, isolatedEnv, NATS_URL, startApp, waitFor } from '../../../libs/platform/test/helpers';
import { startTestSandbox } from '../../../sandbox/test/sandbox-harness';
import { PsaSandbox, type PsaSystem } from '../../../test/e2e/psa-sandbox';
import { IntakeModule } from '../src/intake.module';
import { streamEvents } from './helpers';

/**
 * The three PSA webhooks for real: the sandbox's ConnectWise, HaloPSA and Autotask call intake (signed
 * their own way), intake fetches the ticket through the PsaClient adapters and publishes it; a contact's
 * note and a technician's status change on a known ticket come back as replies.
 */
const iso = isolatedEnv({ INTAKE_FETCH_POLL_MS: '50', INTAKE_ADDED_SETTLE_MS: '200' });
let sb: Awaited<ReturnType<typeof startTestSandbox>>;
let desk: DeskApp;
let psa: PsaSandbox;

beforeAll(async () => {
  sb = await startTestSandbox();
  process.env.SANDBOX_URL = sb.url;
  desk = await startApp('intake', IntakeModule);
  psa = new PsaSandbox(sb.url);
  // Async: the sandbox and intake live in this process and must keep answering while the script runs.
  await promisify(execFile)(process.execPath, [join(__dirname, '../../../scripts/register-psa-webhooks.mjs'), '--intake', desk.url], { env: { ...process.env } })
    .catch(() => undefined); // its Autotask call sends PascalCase fields the sandbox refuses: registered below
  const at = `${sb.url}/autotask/atservicesrest/V1.0`;
  const atHeaders = { ApiIntegrationCode: 'SANDBOXINTEGRATION', UserName: 'api@harborline-it.example', Secret: 'sandbox-autotask-secret', 'content-type': 'application/json' };
  const existing = (await (await fetch(`${at}/TicketWebhooks/query`, { method: 'POST', headers: atHeaders, body: JSON.stringify({ filter: [{ op: 'exist', field: 'id' }] }) })).json()) as { items: Array<{ webhookUrl: string }> };
  if (!existing.items.some((w) => w.webhookUrl === `${desk.url}/webhooks/autotask`)) {
    const r = await fetch(`${at}/TicketWebhooks`, { method: 'POST', headers: atHeaders, body: JSON.stringify({
      name: 'MSP desk intake', webhookUrl: `${desk.url}/webhooks/autotask`, deactivationUrl: `${desk.url}/webhooks/autotask/deactivated`, secretKey: 'sandbox-autotask-hook-secret',
      isActive: true, isReady: true, isSubscribedToCreateEvents: true, isSubscribedToUpdateEvents: true }) });
    if (!r.ok) throw new Error(`Autotask webhook registration: ${r.status} ${await r.text()}`);
  }
}, 90_000);

afterAll(async () => {
  await desk?.close();
  await sb?.stop();
  await cleanup(iso);
}, 60_000);

type Received = { ticketId: string; payload: { ticket: { psa: { system: string; id: string } | null; clientIdentifier: string | null; summary: string; fromEmail: string | null } } };
const received = async () => (await streamEvents(NATS_URL, iso.stream, `${iso.prefix}desk.ticket.received.v1`)) as unknown as Received[];
const replies = async (ticketId: string) => (await streamEvents(NATS_URL, iso.stream, `${iso.prefix}desk.ticket.reply.v1`)).filter((e) => e.ticketId === ticketId);

const cases: Array<{ system: PsaSystem; company: string; client: string; contact: string }> = [
  { system: 'connectwise', company: 'AlderBrooksCPA', client: 'AlderBrooksCPA', contact: 'olga.petrova@alderbrooks-cpa.example' },
  { system: 'halopsa', company: 'Tailspin Precision Manufacturing', client: 'TailspinMfg', contact: 'michael.torres@tailspin-mfg.example' },
  { system: 'autotask', company: 'RiverbendFdn', client: 'RiverbendFdn', contact: 'thomas.reed@riverbend-foundation.example' },
];

test.each(cases)('a ticket opened in $system reaches the desk as ticketReceived, once', async (c) => {
  const created = await psa.createTicket(c.system, { company: c.company, contactEmail: c.contact, summary: `Printer jam (${c.system})`, description: 'The printer is jammed again' });
  const evt = await waitFor(async () => (await received()).find((e) => e.payload.ticket.psa?.system === c.system && e.payload.ticket.psa.id === created.id), 30_000, `${c.system} ticket`);
  expect(evt.payload.ticket).toMatchObject({ clientIdentifier: c.client, summary: `Printer jam (${c.system})`, fromEmail: c.contact });
  await new Promise((r) => setTimeout(r, 1000));
  expect((await received()).filter((e) => e.payload.ticket.psa?.id === created.id && e.payload.ticket.psa.system === c.system)).toHaveLength(1);
}, 60_000);

test('on a known ConnectWise ticket, a technician\'s status change and a contact\'s note become replies', async () => {
  const cw = `${sb.url}/cw/v4_6_release/apis/3.0`;
  const headers = { authorization: `Basic ${Buffer.from('harborline+sandboxpub:sandboxpriv').toString('base64')}`, clientId: '00000000-0000-4000-8000-00000000c0de', 'content-type': 'application/json' };
  const created = await psa.createTicket('connectwise', { company: 'AlderBrooksCPA', contactEmail: 'olga.petrova@alderbrooks-cpa.example', summary: 'Need approval for AB-Tax access', description: 'Please add me' });
  const evt = await waitFor(async () => (await received()).find((e) => e.payload.ticket.psa?.id === created.id), 30_000, 'ticket');
  const boards = (await (await fetch(`${cw}/service/boards?conditions=${encodeURIComponent('name = "Service Desk"')}`, { headers })).json()) as Array<{ id: number }>;
  const statuses = (await (await fetch(`${cw}/service/boards/${boards[0]!.id}/statuses`, { headers })).json()) as Array<{ id: number; name: string }>;
  const scheduled = statuses.find((s) => s.name === 'Scheduled')!;
  expect((await fetch(`${cw}/service/tickets/${created.id}`, { method: 'PATCH', headers, body: JSON.stringify([{ op: 'replace', path: 'status', value: { id: scheduled.id } }]) })).ok).toBe(true);
  const r1 = await waitFor(async () => (await replies(evt.ticketId)).find((r) => (r.payload as { kind: string }).kind === 'status_change'), 30_000, 'status reply');
  expect(r1.payload).toMatchObject({ status: 'Scheduled', channel: 'psa_webhook' });
  expect((await fetch(`${cw}/service/tickets/${created.id}/notes`, { method: 'POST', headers, body: JSON.stringify({ text: 'My manager Jennifer approves', detailDescriptionFlag: true, member: { identifier: 'jreyes' } }) })).ok).toBe(true);
  const r2 = await waitFor(async () => (await replies(evt.ticketId)).find((r) => (r.payload as { kind: string }).kind === 'message'), 30_000, 'note reply');
  expect(r2.payload).toMatchObject({ body: 'My manager Jennifer approves', fromMember: 'jreyes' });
}, 90_000);
