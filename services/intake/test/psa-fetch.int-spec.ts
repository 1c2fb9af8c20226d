import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DeskApp } from '@desk/platform';
import { cleanup, isolatedEnv, NATS_URL, query, startApp, waitFor } from '../../../libs/platform/test/helpers';
import { FakePsa, serveFakePsa } from '../../psa-writer/test/fake-psa';
import { IntakeModule } from '../src/intake.module';
import { cwSign, startKeyServer, streamEvents } from './helpers';

const iso = isolatedEnv({ INTAKE_FETCH_POLL_MS: '50', INTAKE_ADDED_SETTLE_MS: '0' });
const schema = `${iso.schemaPrefix}intake`;
const SIGNING_KEY = 'cw-fetch-test-key';
const psa = new FakePsa();
let desk: DeskApp;
let keys: Awaited<ReturnType<typeof startKeyServer>>;

beforeAll(async () => {
  keys = await startKeyServer(SIGNING_KEY);
  desk = await startApp('intake', IntakeModule);
  serveFakePsa(desk, psa);
}, 60_000);

afterAll(async () => {
  await desk?.close();
  await keys?.close();
  await cleanup(iso);
}, 60_000);

async function callback(action: 'added' | 'updated' | 'deleted', id: string): Promise<request.Response> {
  const body = JSON.stringify({ MessageId: randomUUID(), FromUrl: 'x', CompanyId: 'harborline', MemberId: 'L1Agent', Action: action, Type: 'ticket', ID: Number(id), Entity: null, Metadata: { key_url: keys.url } });
  return request(desk.url).post('/webhooks/connectwise').set('content-type', 'application/json').set('x-content-signature', cwSign(SIGNING_KEY, body)).send(body);
}

const events = (subject: string) => streamEvents(NATS_URL, iso.stream, `${iso.prefix}${subject}`);
const jobsDone = async () => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".psa_fetch_job WHERE status = 'pending'`))[0]!.n) === 0;

test('a callback is fetched after the ack: new ticket, then a contact note and an approval as replies, never the desk\'s own writes', async () => {
  const t = await psa.createTicket({ companyIdentifier: 'ContosoDental', summary: 'Outlook will not open', description: 'Crashes at start', contactEmail: 'amy.lee@contoso-dental.example' });
  expect((await callback('added', t.id)).status).toBe(202);
  const received = await waitFor(async () => (await events('desk.ticket.received.v1')).find((e) => (e.payload as { ticket: { psa: { id: string } | null } }).ticket.psa?.id === t.id), 15_000, 'received');
  expect(received.payload).toMatchObject({ ticket: { channel: 'psa_webhook', clientIdentifier: 'ContosoDental', summary: 'Outlook will not open', fromEmail: 'amy.lee@contoso-dental.example' } });

  // The desk writes a note and a status of its own; then the user and a technician act.
  await psa.addNote(t.id, { text: 'We are on it', internal: false });
  await psa.setStatus(t.id, 'Waiting on Verification');
  expect((await callback('updated', t.id)).status).toBe(202);
  await waitFor(jobsDone, 15_000, 'fetch jobs');
  psa.tickets.get(t.id)!.notes.push({ id: 'n-user', text: 'The code is 551234', internal: false, resolution: false, createdBy: 'amy.lee@contoso-dental.example', createdAt: null });
  psa.tickets.get(t.id)!.status = 'Approved';
  expect((await callback('updated', t.id)).status).toBe(202);
  const replies = await waitFor(async () => {
    const r = (await events('desk.ticket.reply.v1')).filter((e) => e.ticketId === received.ticketId);
    return r.length >= 2 ? r : null;
  }, 15_000, 'replies');
  expect(replies.map((r) => r.payload)).toEqual([
    expect.objectContaining({ kind: 'status_change', status: 'Approved' }),
    expect.objectContaining({ kind: 'message', body: 'The code is 551234', fromEmail: 'amy.lee@contoso-dental.example' }),
  ]);
  await waitFor(jobsDone, 15_000, 'fetch jobs');
  expect((await events('desk.ticket.reply.v1')).filter((e) => e.ticketId === received.ticketId)).toHaveLength(2);
}, 60_000);

test('a PSA outage delays the fetch (the delivery was acked), then it goes through', async () => {
  const t = await psa.createTicket({ companyIdentifier: 'TailspinMfg', summary: 'Label printer offline', description: 'Line 2', contactEmail: null });
  psa.down = true;
  expect((await callback('added', t.id)).status).toBe(202);
  await new Promise((r) => setTimeout(r, 800));
  const job = await query<{ attempts: number; last_error: string }>(`SELECT attempts, last_error FROM "${schema}".psa_fetch_job ORDER BY seq DESC LIMIT 1`);
  expect(job[0]!.attempts).toBeGreaterThanOrEqual(1);
  expect(job[0]!.last_error).toMatch(/503/);
  psa.down = false;
  await waitFor(async () => (await events('desk.ticket.received.v1')).some((e) => (e.payload as { ticket: { psa: { id: string } | null } }).ticket.psa?.id === t.id), 20_000, 'received after the outage');
}, 60_000);

test('a ticket the desk opened (linked) is not taken for a new one', async () => {
  const t = await psa.createTicket({ companyIdentifier: 'ContosoDental', summary: 'From the portal', description: 'x', contactEmail: null });
  const deskTicket = randomUUID();
  await desk.core.uow.run((ctx) => ctx.publish('desk.ticket.psa-linked.v1', { ticketId: deskTicket, mspClientId: 'ContosoDental', correlationId: deskTicket },
    { psa: { system: 'connectwise', id: t.id, number: t.id }, system: 'connectwise', clientIdentifier: 'ContosoDental' }));
  await waitFor(async () => (await query(`SELECT 1 FROM "${schema}".ticket_link WHERE ticket_id = $1`, [deskTicket])).length > 0, 15_000, 'link');
  const res = await callback('added', t.id);
  await waitFor(jobsDone, 15_000, 'fetch job');
  const row = await query<{ outcome: string }>(`SELECT outcome FROM "${schema}".raw_delivery WHERE id = $1`, [res.body.deliveryId]);
  expect(row[0]!.outcome).toBe('ignored');
  expect((await events('desk.ticket.received.v1')).some((e) => (e.payload as { ticket: { psa: { id: string } | null } }).ticket.psa?.id === t.id)).toBe(false);
}, 60_000);

test('a burst of callbacks for one ticket is covered by one fetch: every delivery settled, each new note once', async () => {
  const t = await psa.createTicket({ companyIdentifier: 'ContosoDental', summary: 'VPN drops', description: 'Every hour', contactEmail: 'amy.lee@contoso-dental.example' });
  expect((await callback('added', t.id)).status).toBe(202);
  const received = await waitFor(async () => (await events('desk.ticket.received.v1')).find((e) => (e.payload as { ticket: { psa: { id: string } | null } }).ticket.psa?.id === t.id), 15_000, 'received');
  await waitFor(jobsDone, 15_000, 'first fetch');

  // The PSA is unreachable while the desk writes and the user answers: six callbacks queue up behind the first.
  psa.down = true;
  const deliveries: string[] = [];
  for (let i = 0; i < 6; i++) {
    if (i === 3) psa.tickets.get(t.id)!.notes.push({ id: 'n-burst', text: 'It dropped again at 10:00', internal: false, resolution: false, createdBy: 'amy.lee@contoso-dental.example', createdAt: null });
    const res = await callback('updated', t.id);
    expect(res.status).toBe(202);
    deliveries.push(res.body.deliveryId as string);
  }
  psa.down = false;
  await waitFor(jobsDone, 20_000, 'burst fetched');

  const rows = await query<{ id: string; outcome: string; reason: string | null }>(`SELECT id, outcome, reason FROM "${schema}".raw_delivery WHERE id = ANY($1::uuid[])`, [deliveries]);
  expect(rows).toHaveLength(6);
  const covered = rows.filter((r) => r.reason?.startsWith('covered by the fetch for delivery '));
  expect(covered).toHaveLength(5);
  expect(rows.find((r) => !covered.includes(r))!.outcome).toBe('reply');
  const replies = (await events('desk.ticket.reply.v1')).filter((e) => e.ticketId === received.ticketId);
  expect(replies.map((r) => (r.payload as { body: string }).body)).toEqual(['It dropped again at 10:00']);
}, 60_000);
