import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { cleanup, isolatedEnv, NATS_URL, query, startApp, waitFor } from '../../../libs/platform/test/helpers';
import type { DeskApp } from '@desk/platform';
import { hashCode } from '@desk/contracts';
import { IntakeModule } from '../src/intake.module';
import { autotaskSign, cwSign, rfc822, startKeyServer, streamEvents, twilioSign } from './helpers';

const CONTOSO_KEY = 'contoso-portal-key-0001';
const TAILSPIN_KEY = 'tailspin-portal-key-0001';
const ALERT_TOKEN = 'test-alert-token-0123456789';
const iso = isolatedEnv({
  INTAKE_PORTAL_KEYS: `ContosoDental=${CONTOSO_KEY},TailspinMfg=${TAILSPIN_KEY}`,
  INTAKE_ALERT_TOKEN: ALERT_TOKEN,
  INTAKE_FETCH_POLL_MS: '100000', // the fetch worker is not under test here (no PSA adapter involved)
  INTAKE_ADDED_SETTLE_MS: '0',
});
const schema = `${iso.schemaPrefix}intake`;
const SIGNING_KEY = 'cw-test-signing-key';

let desk: DeskApp;
let keys: Awaited<ReturnType<typeof startKeyServer>>;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  keys = await startKeyServer(SIGNING_KEY);
  desk = await startApp('intake', IntakeModule);
  http = request(desk.url);
}, 60_000);

afterAll(async () => {
  await desk?.close();
  await keys?.close();
  await cleanup(iso);
}, 60_000);

const deliveries = async () => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".raw_delivery`))[0]!.n);
/** Published events of one subject, read back from the run's stream (the outbox is emptied after publishing). */
async function events(subject: 'desk.ticket.received.v1' | 'desk.ticket.reply.v1', ticketId: string, atLeast = 1) {
  return waitFor(async () => {
    const all = (await streamEvents(NATS_URL, iso.stream, `${iso.prefix}${subject}`)).filter((e) => e.ticketId === ticketId);
    return all.length >= atLeast ? all : null;
  }, 10_000, `${subject} for ${ticketId}`);
}

function cwBody(over: Record<string, unknown> = {}): string {
  return JSON.stringify({ MessageId: randomUUID(), FromUrl: 'http://127.0.0.1', CompanyId: 'harborline', MemberId: 'jreyes', Action: 'updated', Type: 'ticket', ID: 4242, Entity: null, Metadata: { key_url: keys.url }, CallbackObjectRecId: 1, ...over });
}
function atBody(over: Record<string, unknown> = {}): string {
  return JSON.stringify({ Action: 'Update', Guid: randomUUID(), EntityType: 'Ticket', Id: 351181, Fields: { TicketNumber: 'T20261130.0001' }, EventTime: new Date().toISOString(), SequenceNumber: 1, PersonID: 29682885, ...over });
}
const HALO_AUTH = 'Basic ' + Buffer.from('halo-hook:sandbox-halo-hook-pw').toString('base64');
const AT_SECRET = 'sandbox-autotask-hook-secret';

describe('accepted deliveries', () => {
  test('a signed ConnectWise callback is stored with a fetch job and acknowledged 202; the key is cached', async () => {
    const body = cwBody();
    const res = await http.post('/webhooks/connectwise?action=updated&id=4242').set('content-type', 'application/json').set('x-content-signature', cwSign(SIGNING_KEY, body)).send(body);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ outcome: 'pending_fetch' });
    const jobs = await query<{ psa_ticket_id: string; system: string }>(`SELECT * FROM "${schema}".psa_fetch_job WHERE delivery_id = $1`, [res.body.deliveryId]);
    expect(jobs).toEqual([expect.objectContaining({ psa_ticket_id: '4242', system: 'connectwise' })]);
    const before = keys.hits();
    const again = cwBody();
    expect((await http.post('/webhooks/connectwise').set('content-type', 'application/json').set('x-content-signature', cwSign(SIGNING_KEY, again)).send(again)).status).toBe(202);
    expect(keys.hits()).toBe(before);
  });

  test('Halo (Basic auth) and Autotask (HMAC-SHA1) deliveries are accepted', async () => {
    const halo = JSON.stringify({ id: randomUUID(), event: 'Ticket Updated', ticket_id: 77, ticket: { id: 77 } });
    expect((await http.post('/webhooks/halopsa').set('content-type', 'application/json').set('authorization', HALO_AUTH).send(halo)).status).toBe(202);
    const at = atBody();
    expect((await http.post('/webhooks/autotask').set('content-type', 'application/json').set('x-hook-signature', autotaskSign(AT_SECRET, at)).send(at)).status).toBe(202);
  });

  test('a new email becomes one ticket; the same Message-ID again is a duplicate; a reply threads onto it', async () => {
    const mid = `<${randomUUID()}@mail.contoso-dental.example>`;
    const mail = rfc822({ from: 'Amy Lee <amy.lee@contoso-dental.example>', subject: 'Cannot print to the front desk printer', body: 'It says offline.', messageId: mid });
    const first = await http.post('/inbound/email').set('content-type', 'message/rfc822').send(mail);
    expect(first.status).toBe(201);
    const second = await http.post('/inbound/email').set('content-type', 'message/rfc822').send(mail);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ outcome: 'duplicate', ticketId: first.body.ticketId });
    const received = await events('desk.ticket.received.v1', first.body.ticketId);
    expect(received).toHaveLength(1);
    expect(received[0]!.payload).toMatchObject({ ticket: { channel: 'email', clientIdentifier: 'ContosoDental', summary: 'Cannot print to the front desk printer', fromEmail: 'amy.lee@contoso-dental.example' } });

    const reply = rfc822({ from: 'amy.lee@contoso-dental.example', subject: 'Re: Cannot print', body: 'Now it works\r\n\r\n> old', messageId: `<${randomUUID()}@x>`, headers: [`In-Reply-To: ${mid}`] });
    const r = await http.post('/inbound/email').set('content-type', 'message/rfc822').send(reply);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ outcome: 'reply', ticketId: first.body.ticketId });
    const replies = await events('desk.ticket.reply.v1', first.body.ticketId);
    expect(replies).toEqual([expect.objectContaining({ payload: expect.objectContaining({ channel: 'email', kind: 'message', body: 'Now it works' }) })]);
  });

  test('a reply to the desk\'s own mail (ticket id in the Message-ID) or naming the PSA ticket number threads onto it', async () => {
    const created = await http.post('/portal/tickets').set('x-api-key', CONTOSO_KEY).send({ summary: 'VPN drops every hour', description: 'FortiClient disconnects', fromEmail: 'kevin.oneil@contoso-dental.example' });
    const id = created.body.ticketId as string;
    const byMessageId = await http.post('/inbound/email').set('content-type', 'message/rfc822').send(rfc822({
      from: 'kevin.oneil@contoso-dental.example', subject: 'Re: your VPN ticket', body: 'Still dropping', messageId: `<${randomUUID()}@x>`, headers: [`In-Reply-To: <ticket.${id}.k2@desk.local>`] }));
    expect(byMessageId.body).toMatchObject({ outcome: 'reply', ticketId: id });
    await desk.core.uow.run((ctx) => ctx.publish('desk.ticket.psa-linked.v1', { ticketId: id, mspClientId: 'ContosoDental', correlationId: id },
      { psa: { system: 'connectwise', id: '88123', number: '88123' }, system: 'connectwise', clientIdentifier: 'ContosoDental' }));
    await waitFor(async () => (await query(`SELECT 1 FROM "${schema}".ticket_link WHERE ticket_id = $1 AND psa_ticket_id = '88123'`, [id])).length > 0, 15_000, 'link');
    const bySubject = await http.post('/inbound/email').set('content-type', 'message/rfc822').send(rfc822({
      from: 'kevin.oneil@contoso-dental.example', subject: 'RE: Ticket #88123 VPN drops every hour', body: 'Fixed now, thanks', messageId: `<${randomUUID()}@x>` }));
    expect(bySubject.body).toMatchObject({ outcome: 'reply', ticketId: id });

    // Another client's sender naming the same number opens a ticket of their own: numbers never cross clients.
    const foreign = await http.post('/inbound/email').set('content-type', 'message/rfc822').send(rfc822({
      from: 'ops@tailspin-mfg.example', subject: 'RE: Ticket #88123 approved', body: 'Approved', messageId: `<${randomUUID()}@x>` }));
    expect(foreign.status).toBe(201);
    expect(foreign.body.ticketId).not.toBe(id);
    // An unknown sender naming it threads nowhere either.
    const unknown = await http.post('/inbound/email').set('content-type', 'message/rfc822').send(rfc822({
      from: 'someone@elsewhere.example', subject: 'RE: Ticket #88123', body: 'Approved', messageId: `<${randomUUID()}@x>` }));
    expect(unknown.body.ticketId).not.toBe(id);
    expect(unknown.body.outcome).not.toBe('reply');
  });

  test('auto-replies are stored for audit but start nothing', async () => {
    const mail = rfc822({ from: 'amy.lee@contoso-dental.example', subject: 'Automatic reply: Out of office', body: 'Away', messageId: `<${randomUUID()}@x>`, headers: ['Auto-Submitted: auto-replied'] });
    const res = await http.post('/inbound/email').set('content-type', 'message/rfc822').send(mail);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'ignored' });
  });

  test('portal: create, reply, read status; another client cannot see it', async () => {
    const created = await http.post('/portal/tickets').set('authorization', `Bearer ${CONTOSO_KEY}`).set('idempotency-key', 'k-1')
      .send({ summary: 'Need Zoom installed', description: 'Please install Zoom on my laptop', fromEmail: 'amy.lee@contoso-dental.example', fromName: 'Amy Lee' });
    expect(created.status).toBe(201);
    const dup = await http.post('/portal/tickets').set('authorization', `Bearer ${CONTOSO_KEY}`).set('idempotency-key', 'k-1')
      .send({ summary: 'Need Zoom installed', description: 'Please install Zoom on my laptop', fromEmail: 'amy.lee@contoso-dental.example' });
    expect(dup.body).toMatchObject({ outcome: 'duplicate', ticketId: created.body.ticketId });
    const id = created.body.ticketId as string;
    const reply = await http.post(`/portal/tickets/${id}/replies`).set('x-api-key', CONTOSO_KEY).send({ body: 'It is the Dell one', fromEmail: 'amy.lee@contoso-dental.example' });
    expect(reply.status).toBe(200);
    const status = await http.get(`/portal/tickets/${id}`).set('x-api-key', CONTOSO_KEY);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ ticketId: id, state: 'received', status: 'Received' });
    expect((await http.get(`/portal/tickets/${id}`).set('x-api-key', TAILSPIN_KEY)).status).toBe(404);
    const spec = await http.get('/openapi.json');
    expect(spec.body.paths['/portal/tickets'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/NewTicket' });
    expect(spec.body.components.schemas.NewTicket.required).toEqual(expect.arrayContaining(['summary', 'description', 'fromEmail']));
  });

  test('an alert storm (same device + condition) is one ticket with a count', async () => {
    const send = (id: number) => http.post('/alerts/ninjaone?client=ContosoDental').set('x-desk-alert-token', ALERT_TOKEN)
      .send({ id, deviceId: 9001, sourceName: 'Disk space low', message: 'C: 3% free', severity: 'MAJOR', data: { message: { params: { device: 'CDG-CH-SRV01' } } } });
    const results = [];
    for (const id of [70001, 70002, 70003]) results.push(await send(id));
    expect(results.map((r) => r.status)).toEqual([201, 200, 200]);
    expect(results.map((r) => r.body.outcome)).toEqual(['received', 'storm', 'storm']);
    expect(new Set(results.map((r) => r.body.ticketId)).size).toBe(1);
    expect(results[2]!.body.count).toBe(3);
    const storm = await query<{ count: number }>(`SELECT count FROM "${schema}".alert_storm`);
    expect(storm.map((s) => s.count)).toContain(3);
    const datto = await http.post('/alerts/datto').set('authorization', `Bearer ${ALERT_TOKEN}`)
      .send({ alertuid: randomUUID(), device_uid: 'd-1', device_hostname: 'WC-FS01', site_uid: 'site-102', alert_type: 'status_ctx', alert_message: 'Service LexFileSvc is STOPPED' });
    expect(datto.status).toBe(201);
    const [t] = await events('desk.ticket.received.v1', datto.body.ticketId);
    expect(t!.payload).toMatchObject({ ticket: { channel: 'alert', clientIdentifier: 'WhitfieldCrane', alert: { vendor: 'datto', deviceName: 'WC-FS01', count: 1 } } });
  });

  test('an SMS reply signed by Twilio becomes a reply with fromPhone', async () => {
    const url = `${desk.url}/inbound/sms`;
    const params = { MessageSid: `SM${randomUUID().replace(/-/g, '')}`, AccountSid: 'AC00000000000000000000000000000101', From: '+1 555 0142', To: '+15550199', Body: '482913' };
    const res = await http.post('/inbound/sms').type('form').set('x-twilio-signature', twilioSign('sandbox-twilio-token', url, params)).send(params);
    expect(res.status).toBe(200);
    const [reply] = await events('desk.ticket.reply.v1', res.body.ticketId);
    expect(reply!.payload).toMatchObject({ channel: 'sms', fromPhone: '+15550142', body: '482913' });
  });

  test('an SMS from the phone a code was sent to threads onto the ticket waiting for it', async () => {
    // The executor's case table, reduced to the columns intake reads (the executor owns the real one).
    const executor = `"${iso.schemaPrefix}executor"`;
    await query(`CREATE SCHEMA IF NOT EXISTS ${executor}`);
    await query(`CREATE TABLE IF NOT EXISTS ${executor}.ticket_case (ticket_id uuid PRIMARY KEY, client_identifier text NOT NULL, stage text NOT NULL, code_sent_to_phone text, code_salt text, code_hash text, updated_at timestamptz NOT NULL DEFAULT now())`);
    const waiting = randomUUID();
    await query(`INSERT INTO ${executor}.ticket_case (ticket_id, client_identifier, stage, code_sent_to_phone) VALUES ($1, 'ContosoDental', 'awaiting_verification', '15550177')`, [waiting]);
    const url = `${desk.url}/inbound/sms`;
    const params = { MessageSid: `SM${randomUUID().replace(/-/g, '')}`, AccountSid: 'AC00000000000000000000000000000101', From: '+1-555-0177', To: '+15550199', Body: '736120' };
    const res = await http.post('/inbound/sms').type('form').set('x-twilio-signature', twilioSign('sandbox-twilio-token', url, params)).send(params);
    expect(res.body).toMatchObject({ outcome: 'reply', ticketId: waiting });
    const [reply] = await events('desk.ticket.reply.v1', waiting);
    expect(reply!.payload).toMatchObject({ channel: 'sms', fromPhone: '+15550177' });
  });

  test('two tickets waiting for a code from one phone: the code goes to the ticket it belongs to; a code of neither to both', async () => {
    const executor = `"${iso.schemaPrefix}executor"`;
    const older = randomUUID();
    const newer = randomUUID();
    await query(`INSERT INTO ${executor}.ticket_case (ticket_id, client_identifier, stage, code_sent_to_phone, code_salt, code_hash, updated_at) VALUES
      ($1, 'ContosoDental', 'awaiting_verification', '15550188', 's1', $3, now() - interval '1 minute'),
      ($2, 'ContosoDental', 'awaiting_verification', '15550188', 's2', $4, now())`, [older, newer, hashCode('482913', 's1'), hashCode('105577', 's2')]);
    const url = `${desk.url}/inbound/sms`;
    const sms = async (body: string) => {
      const params = { MessageSid: `SM${randomUUID().replace(/-/g, '')}`, AccountSid: 'AC00000000000000000000000000000101', From: '+1-555-0188', To: '+15550199', Body: body };
      return http.post('/inbound/sms').type('form').set('x-twilio-signature', twilioSign('sandbox-twilio-token', url, params)).send(params);
    };
    expect((await sms('482913')).body).toMatchObject({ outcome: 'reply', ticketId: older });
    expect((await events('desk.ticket.reply.v1', older)).map((e) => e.payload)).toEqual([expect.objectContaining({ body: '482913' })]);
    const neither = await sms('999999');
    expect(neither.body).toMatchObject({ outcome: 'reply', reason: expect.stringMatching(/2 tickets wait for a code from this phone/) });
    // The newer ticket never saw the older one's code; both got the code of neither.
    expect((await events('desk.ticket.reply.v1', newer)).map((e) => (e.payload as { body: string }).body)).toEqual(['999999']);
    expect((await events('desk.ticket.reply.v1', older, 2)).map((e) => (e.payload as { body: string }).body)).toEqual(['482913', '999999']);
  });

  test('ticketPsaLinked from psa-writer links the PSA ticket to the desk ticket', async () => {
    const ticketId = randomUUID();
    await desk.core.uow.run((ctx) => ctx.publish('desk.ticket.psa-linked.v1', { ticketId, mspClientId: 'ContosoDental', correlationId: ticketId },
      { psa: { system: 'connectwise', id: '5150', number: '5150' }, system: 'connectwise', clientIdentifier: 'ContosoDental' }));
    await waitFor(async () => (await query(`SELECT 1 FROM "${schema}".ticket_link WHERE ticket_id = $1 AND psa_ticket_id = '5150'`, [ticketId])).length > 0, 15_000, 'link');
  });
});

/** ≥ 30 bad requests: each gets its status and a reason, and none leaves a row behind. */
describe('bad input', () => {
  const big = 'x'.repeat(10 * 1024 * 1024);
  const okMail = rfc822({ from: 'amy.lee@contoso-dental.example', subject: 'hi', body: 'b', messageId: '<bad-suite@x>' });
  const bomb = ['From: a@contoso-dental.example', 'Subject: bomb', 'MIME-Version: 1.0', ...Array.from({ length: 30 }, (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}`)].join('\r\n');
  const partsBomb = ['From: a@contoso-dental.example', 'Subject: parts', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="p"', '', ...Array.from({ length: 150 }, () => '--p\r\nContent-Type: text/plain\r\n\r\nx'), '--p--'].join('\r\n');
  const oldAt = atBody({ EventTime: new Date(Date.now() - 3600_000).toISOString() });
  const cases: Array<[string, () => request.Test, number, RegExp]> = [
    ['CW: malformed JSON', () => http.post('/webhooks/connectwise').set('content-type', 'application/json').send('{"MessageId":'), 400, /malformed JSON/],
    ['CW: wrong content type', () => http.post('/webhooks/connectwise').set('content-type', 'text/plain').send(cwBody()), 415, /Content-Type/],
    ['CW: missing signature', () => http.post('/webhooks/connectwise').set('content-type', 'application/json').send(cwBody()), 401, /x-content-signature/],
    ['CW: forged signature', () => { const b = cwBody(); return http.post('/webhooks/connectwise').set('content-type', 'application/json').set('x-content-signature', cwSign('wrong-key', b)).send(b); }, 401, /does not match/],
    ['CW: key_url on a foreign host', () => { const b = cwBody({ Metadata: { key_url: 'http://evil.example/key' } }); return http.post('/webhooks/connectwise').set('content-type', 'application/json').set('x-content-signature', cwSign(SIGNING_KEY, b)).send(b); }, 401, /allowed host/],
    ['CW: unknown company', () => { const b = cwBody({ CompanyId: 'someoneelse' }); return http.post('/webhooks/connectwise').set('content-type', 'application/json').set('x-content-signature', cwSign(SIGNING_KEY, b)).send(b); }, 401, /no ConnectWise connection/],
    ['CW: missing ID', () => { const b = JSON.stringify({ ...JSON.parse(cwBody()), ID: undefined }); return http.post('/webhooks/connectwise').set('content-type', 'application/json').set('x-content-signature', cwSign(SIGNING_KEY, b)).send(b); }, 422, /ID/],
    ['CW: not a ticket callback', () => { const b = cwBody({ Type: 'company' }); return http.post('/webhooks/connectwise').set('content-type', 'application/json').set('x-content-signature', cwSign(SIGNING_KEY, b)).send(b); }, 422, /not a ticket/],
    ['CW: 10 MB body', () => http.post('/webhooks/connectwise').set('content-type', 'application/json').send(JSON.stringify({ big })), 413, /exceeds/],
    ['CW: empty body', () => http.post('/webhooks/connectwise').set('content-type', 'application/json').set('x-content-signature', 'x').send(''), 400, /empty body|malformed/],
    ['Halo: no credentials', () => http.post('/webhooks/halopsa').set('content-type', 'application/json').send({ ticket: { id: 1 } }), 401, /Authorization/],
    ['Halo: wrong password', () => http.post('/webhooks/halopsa').set('content-type', 'application/json').set('authorization', 'Basic ' + Buffer.from('halo-hook:nope').toString('base64')).send({ ticket: { id: 1 } }), 401, /credentials/],
    ['Halo: missing ticket id', () => http.post('/webhooks/halopsa').set('content-type', 'application/json').set('authorization', HALO_AUTH).send({ event: 'Ticket Updated' }), 422, /ticket\.id/],
    ['Autotask: forged signature', () => { const b = atBody(); return http.post('/webhooks/autotask').set('content-type', 'application/json').set('x-hook-signature', autotaskSign('guess', b)).send(b); }, 401, /X-Hook-Signature/],
    ['Autotask: replayed (old EventTime)', () => http.post('/webhooks/autotask').set('content-type', 'application/json').set('x-hook-signature', autotaskSign(AT_SECRET, oldAt)).send(oldAt), 401, /replay window/],
    ['Autotask: wrong entity', () => { const b = atBody({ EntityType: 'Contact' }); return http.post('/webhooks/autotask').set('content-type', 'application/json').set('x-hook-signature', autotaskSign(AT_SECRET, b)).send(b); }, 422, /not Ticket/],
    ['Autotask: unknown Action', () => { const b = atBody({ Action: 'Explode' }); return http.post('/webhooks/autotask').set('content-type', 'application/json').set('x-hook-signature', autotaskSign(AT_SECRET, b)).send(b); }, 422, /Action/],
    ['Email: wrong content type', () => http.post('/inbound/email').set('content-type', 'application/json').send({ a: 1 }), 415, /message\/rfc822/],
    ['Email: empty body', () => http.post('/inbound/email').set('content-type', 'message/rfc822').send(''), 400, /empty body/],
    ['Email: not a message', () => http.post('/inbound/email').set('content-type', 'text/plain').send('hello there, no headers at all'), 422, /RFC 822/],
    ['Email: MIME bomb (nesting)', () => http.post('/inbound/email').set('content-type', 'message/rfc822').send(bomb), 422, /nested/],
    ['Email: MIME bomb (parts)', () => http.post('/inbound/email').set('content-type', 'message/rfc822').send(partsBomb), 422, /parts/],
    ['Email: 10 MB body', () => http.post('/inbound/email').set('content-type', 'message/rfc822').send(okMail + big), 413, /exceeds/],
    ['Email: no From', () => http.post('/inbound/email').set('content-type', 'message/rfc822').send('Subject: x\r\nMessage-ID: <nofrom@x>\r\n\r\nbody'), 422, /From/],
    ['Portal: no API key', () => http.post('/portal/tickets').send({ summary: 'abc', description: 'd', fromEmail: 'a@contoso-dental.example' }), 401, /missing API key/],
    ['Portal: unknown API key', () => http.post('/portal/tickets').set('x-api-key', 'not-a-key-at-all-000').send({ summary: 'abc', description: 'd', fromEmail: 'a@contoso-dental.example' }), 401, /not valid/],
    ['Portal: malformed JSON', () => http.post('/portal/tickets').set('x-api-key', CONTOSO_KEY).set('content-type', 'application/json').send('{"summary": '), 400, /malformed JSON/],
    ['Portal: wrong content type', () => http.post('/portal/tickets').set('x-api-key', CONTOSO_KEY).set('content-type', 'text/plain').send('summary=x'), 415, /application\/json/],
    ['Portal: missing fields', () => http.post('/portal/tickets').set('x-api-key', CONTOSO_KEY).send({ summary: 'Printer' }), 422, /description/],
    ['Portal: invalid email', () => http.post('/portal/tickets').set('x-api-key', CONTOSO_KEY).send({ summary: 'Printer', description: 'x', fromEmail: 'nope' }), 422, /fromEmail/],
    ['Portal: unknown field', () => http.post('/portal/tickets').set('x-api-key', CONTOSO_KEY).send({ summary: 'Printer', description: 'x', fromEmail: 'a@contoso-dental.example', admin: true }), 422, /admin|Unrecognized/i],
    ['Portal: reply to unknown ticket', () => http.post(`/portal/tickets/${randomUUID()}/replies`).set('x-api-key', CONTOSO_KEY).send({ body: 'x', fromEmail: 'a@contoso-dental.example' }), 404, /no such ticket/],
    ['Portal: status of a non-uuid', () => http.get('/portal/tickets/1%27%20OR%201=1').set('x-api-key', CONTOSO_KEY), 404, /no such ticket/],
    ['Portal: 10 MB body', () => http.post('/portal/tickets').set('x-api-key', CONTOSO_KEY).set('content-type', 'application/json').send(JSON.stringify({ summary: big })), 413, /exceeds/],
    ['Alert: no token', () => http.post('/alerts/ninjaone').send({ id: 1, sourceName: 'x' }), 401, /alert token/],
    ['Alert: wrong token', () => http.post('/alerts/datto').set('x-desk-alert-token', 'wrong-token-000000000').send({ alertuid: 'a' }), 401, /not valid/],
    ['Alert: unknown client', () => http.post('/alerts/ninjaone?client=NoSuchClient').set('x-desk-alert-token', ALERT_TOKEN).send({ id: 5, sourceName: 'CPU' }), 404, /unknown client/],
    ['Alert: unknown Datto site', () => http.post('/alerts/datto').set('x-desk-alert-token', ALERT_TOKEN).send({ alertuid: 'zz', alert_type: 'x', site_uid: 'site-999' }), 404, /no client/],
    ['Alert: missing id', () => http.post('/alerts/ninjaone?client=ContosoDental').set('x-desk-alert-token', ALERT_TOKEN).send({ sourceName: 'CPU' }), 422, /id/],
    ['SMS: forged signature', () => http.post('/inbound/sms').type('form').set('x-twilio-signature', 'AAAA').send({ MessageSid: 'SM1', AccountSid: 'AC00000000000000000000000000000101', From: '+15550142', To: '+15550199', Body: '1' }), 401, /X-Twilio-Signature/],
    ['SMS: unknown account', () => http.post('/inbound/sms').type('form').send({ MessageSid: 'SM2', AccountSid: 'ACnope', From: '+1', To: '+2', Body: '1' }), 401, /AccountSid/],
    ['SMS: missing fields', () => http.post('/inbound/sms').type('form').send({ Body: 'x' }), 422, /MessageSid/],
    ['SMS: JSON instead of a form', () => http.post('/inbound/sms').send({ Body: 'x' }), 415, /x-www-form-urlencoded/],
  ];

  test(`${cases.length} bad requests get the right status, a reason, and store nothing`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const before = await deliveries();
    const beforeJobs = Number((await query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".psa_fetch_job`))[0]!.n);
    const failures: string[] = [];
    for (const [name, send, status, reason] of cases) {
      const res = await send();
      const error = (res.body as { error?: string })?.error ?? '';
      if (res.status !== status || !reason.test(error)) failures.push(`${name}: got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(await deliveries()).toBe(before);
    expect(Number((await query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".psa_fetch_job`))[0]!.n)).toBe(beforeJobs);
  }, 120_000);

  test('a replayed delivery (same vendor id) is one delivery', async () => {
    const b = atBody();
    const sig = autotaskSign(AT_SECRET, b);
    const a1 = await http.post('/webhooks/autotask').set('content-type', 'application/json').set('x-hook-signature', sig).send(b);
    const a2 = await http.post('/webhooks/autotask').set('content-type', 'application/json').set('x-hook-signature', sig).send(b);
    expect([a1.status, a2.status]).toEqual([202, 200]);
    expect(a2.body).toMatchObject({ outcome: 'duplicate', deliveryId: a1.body.deliveryId });
  });
});
