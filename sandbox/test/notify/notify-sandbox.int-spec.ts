import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import { startTestSandbox } from '../sandbox-harness';
import { startSmtpSandbox, type RunningSmtp } from '../../src/vendors/smtp';
import { twilioSignature } from '../../src/vendors/twilio';
import { startReceiver } from './receiver';

type Sb = Awaited<ReturnType<typeof startTestSandbox>>;
type Json = Record<string, unknown>;
const SID = 'AC00000000000000000000000000000101';
const basic = (sid = SID, token = 'sandbox-twilio-token') => `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;

describe('notify sandbox: Twilio, SMTP, chat hooks, paging, outbox, inbound', () => {
  let sb: Sb;
  let smtp: RunningSmtp;
  const sms = (form: Record<string, string>, auth = basic(), sid = SID) =>
    fetch(`${sb.url}/twilio/2010-04-01/Accounts/${sid}/Messages.json`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });

  beforeAll(async () => {
    sb = await startTestSandbox();
    smtp = await startSmtpSandbox(sb.ctx, { port: 0 });
  });
  afterAll(async () => {
    await smtp?.close();
    await sb?.stop();
  });
  beforeEach(async () => {
    await sb.reset();
  });

  it('accepts an SMS (Twilio-shaped 201), records it in the outbox, keeps the body out of the call log', async () => {
    const res = await sms({ To: '+1-555-0110', From: '+15550199', Body: 'Your Harborline code is 482913' });
    expect(res.status).toBe(201);
    const msg = (await res.json()) as Json;
    expect(msg).toMatchObject({ account_sid: SID, to: '+15550110', from: '+15550199', status: 'queued', direction: 'outbound-api', api_version: '2010-04-01' });
    expect(String(msg.sid)).toMatch(/^SM[0-9a-f]{32}$/);
    const out = (await (await fetch(`${sb.url}/admin/outbox?channel=sms&to=${encodeURIComponent('+15550110')}`)).json()) as Json[];
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ provider: 'twilio', body: 'Your Harborline code is 482913', status: 'delivered' });
    expect(JSON.stringify(await sb.calls.list({ vendor: 'twilio' }))).not.toContain('482913');
  });

  it('answers Twilio errors: 20003 on bad credentials, 21211 on a bad number, 21604 without To', async () => {
    const unauth = await sms({ To: '+15550110', From: '+15550199', Body: 'x' }, basic(SID, 'wrong'));
    expect(unauth.status).toBe(401);
    expect(await unauth.json()).toMatchObject({ code: 20003, status: 401 });
    const bad = await sms({ To: '555-0110', From: '+15550199', Body: 'x' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 21211 });
    await fetch(`${sb.url}/admin/outbox/rules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ smsInvalid: ['+1 555 0111'] }) });
    expect(((await (await sms({ To: '+15550111', From: '+15550199', Body: 'x' })).json()) as Json).code).toBe(21211);
    expect(((await (await sms({ From: '+15550199', Body: 'x' })).json()) as Json).code).toBe(21604);
    expect(await sb.ctx.outbox.list({ channel: 'sms' })).toHaveLength(0);
  });

  it('returns 5xx while a twilio fault is active', async () => {
    sb.ctx.faults.add({ vendor: 'twilio', kind: 'server_error', value: 503, count: 1 });
    expect((await sms({ To: '+15550110', From: '+15550199', Body: 'x' })).status).toBe(503);
    expect((await sms({ To: '+15550110', From: '+15550199', Body: 'x' })).status).toBe(201);
  });

  it('posts signed status callbacks: sent, then delivered (or undelivered 30003)', async () => {
    const rx = await startReceiver();
    try {
      const cb = `${rx.url}/sms/status?client=ContosoDental`;
      await sms({ To: '+15550110', From: '+15550199', Body: 'hello', StatusCallback: cb });
      await sms({ To: '+15005550009', From: '+15550199', Body: 'hello', StatusCallback: cb });
      const got = await rx.waitFor(4);
      expect(got).toHaveLength(4);
      for (const r of got) {
        const params = Object.fromEntries(new URLSearchParams(r.body));
        expect(r.headers['x-twilio-signature']).toBe(twilioSignature(cb, params, 'sandbox-twilio-token'));
      }
      const statuses = got.map((r) => Object.fromEntries(new URLSearchParams(r.body))).map((p) => `${p.To}:${p.MessageStatus}${p.ErrorCode ? ':' + p.ErrorCode : ''}`);
      expect(statuses.sort()).toEqual(['+15005550009:sent', '+15005550009:undelivered:30003', '+15550110:delivered', '+15550110:sent']);
    } finally {
      await rx.close();
    }
  });

  it('injects an inbound SMS reply to the registered desk URL with a valid X-Twilio-Signature', async () => {
    const rx = await startReceiver();
    try {
      const target = `${rx.url}/inbound/sms?src=twilio`;
      expect((await fetch(`${sb.url}/admin/inbound/targets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sms: target }) })).status).toBe(200);
      const res = await fetch(`${sb.url}/admin/inbound/sms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '+1-555-0110', body: '482913' }) });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ delivered: true, status: 200 });
      const [got] = rx.received;
      const params = Object.fromEntries(new URLSearchParams(got.body));
      expect(params).toMatchObject({ From: '+15550110', To: '+15550199', Body: '482913', AccountSid: SID, SmsStatus: 'received' });
      expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(got.headers['x-twilio-signature']).toBe(createHmac('sha1', 'sandbox-twilio-token').update(Object.keys(params).sort().reduce((a, k) => a + k + params[k], target)).digest('base64'));
      // A reply from a number on file nowhere goes to the account that texted last (Whitfield here).
      await sms({ To: '+15550110', From: '+15550199', Body: 'code' }, basic('AC00000000000000000000000000000102'), 'AC00000000000000000000000000000102');
      await fetch(`${sb.url}/admin/inbound/sms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '+15559999', body: '1' }) });
      expect(Object.fromEntries(new URLSearchParams(rx.received[1].body)).AccountSid).toBe('AC00000000000000000000000000000102');
      // Targets survive a reset (the desk registers once at start-up).
      await sb.reset();
      expect(((await (await fetch(`${sb.url}/admin/inbound/targets`)).json()) as Json).sms).toBe(target);
    } finally {
      await rx.close();
    }
  });

  it('injects an inbound email as raw RFC 822 with In-Reply-To', async () => {
    const rx = await startReceiver();
    try {
      await fetch(`${sb.url}/admin/inbound/targets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `${rx.url}/inbound/email`, emailToken: 'mail-relay-token-0123456789' }) });
      const res = await fetch(`${sb.url}/admin/inbound/email`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'raj.patel@contoso-dental.example', subject: 'Re: [Ticket #12] Password reset', text: 'The code is 482913', inReplyTo: 'abc@desk.example' }),
      });
      expect(res.status).toBe(200);
      const [got] = rx.received;
      expect(got.headers['content-type']).toBe('message/rfc822');
      expect(got.headers['x-desk-mail-token']).toBe('mail-relay-token-0123456789');
      expect(got.body).toMatch(/^From: raj\.patel@contoso-dental\.example$/m);
      expect(got.body).toMatch(/^In-Reply-To: <abc@desk\.example>$/m);
      expect(got.body).toContain('The code is 482913');
    } finally {
      await rx.close();
    }
  });

  it('refuses inbound injection without a target (409), reports an unreachable one (502)', async () => {
    const saved = process.env.SANDBOX_INBOUND_SMS_URL;
    delete process.env.SANDBOX_INBOUND_SMS_URL;
    try {
      await sb.reset({ everything: true });
      const inject = () => fetch(`${sb.url}/admin/inbound/sms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '+15550110', body: 'x' }) });
      expect((await inject()).status).toBe(409);
      await fetch(`${sb.url}/admin/inbound/targets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sms: 'http://127.0.0.1:9/closed' }) });
      expect((await inject()).status).toBe(502);
    } finally {
      if (saved !== undefined) process.env.SANDBOX_INBOUND_SMS_URL = saved;
    }
  });

  it('accepts mail over SMTP into the outbox, bounces (550) and defers (450) listed recipients, and refuses during an outage', async () => {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false });
    try {
      await t.sendMail({ from: 'servicedesk@harborline-it.example', to: 'raj.patel@contoso-dental.example', subject: 'Hi', text: 'Body text' });
      const out = await sb.ctx.outbox.list({ channel: 'email', to: 'raj.patel@contoso-dental.example' });
      expect(out).toHaveLength(1);
      expect(out[0]).toMatchObject({ provider: 'smtp', from: 'servicedesk@harborline-it.example', subject: 'Hi', body: 'Body text' });
      await fetch(`${sb.url}/admin/outbox/rules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailBounce: ['gone@contoso-dental.example'], emailDefer: ['@full.example'] }) });
      await expect(t.sendMail({ from: 'a@harborline-it.example', to: 'gone@contoso-dental.example', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
      await expect(t.sendMail({ from: 'a@harborline-it.example', to: 'x@full.example', text: 'x' })).rejects.toMatchObject({ responseCode: 450 });
      await fetch(`${sb.url}/admin/outbox/rules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ smtpReject: { code: 554, count: 1 } }) });
      await expect(t.sendMail({ from: 'a@harborline-it.example', to: 'raj.patel@contoso-dental.example', text: 'x' })).rejects.toMatchObject({ responseCode: 554 });
      await t.sendMail({ from: 'a@harborline-it.example', to: 'raj.patel@contoso-dental.example', text: 'after outage' });
      expect(await sb.ctx.outbox.list({ channel: 'email', to: 'raj.patel@contoso-dental.example' })).toHaveLength(2);
      const calls = (await sb.calls.list({ vendor: 'smtp' })).map((c) => `${c.method}:${c.status}`);
      expect(calls).toEqual(['DATA:250', 'RCPT:550', 'RCPT:450', 'MAIL:554', 'DATA:250']);
    } finally {
      t.close();
    }
  });

  it('receives Teams Adaptive Cards and Slack Block Kit', async () => {
    const teams = await fetch(`${sb.url}/hooks/teams/harborline-oncall`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'Escalation' }, { type: 'FactSet', facts: [{ title: 'Ticket', value: '12' }] }] } }] }),
    });
    expect(teams.status).toBe(200);
    expect(await teams.text()).toBe('1');
    expect((await fetch(`${sb.url}/hooks/teams/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"attachments":[]}' })).status).toBe(400);
    const slack = await fetch(`${sb.url}/hooks/slack/services/T0001/B0001/XXXX`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'fallback', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Escalated* ticket 12' } }] }),
    });
    expect(await slack.text()).toBe('ok');
    expect(await (await fetch(`${sb.url}/hooks/slack/services/T0001/B0001/XXXX`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).text()).toBe('no_text');
    const [t] = await sb.ctx.outbox.list({ channel: 'teams' });
    expect(t).toMatchObject({ to: 'harborline-oncall', body: 'Escalation\nTicket: 12' });
    const [s] = await sb.ctx.outbox.list({ channel: 'slack' });
    expect(s).toMatchObject({ to: 'T0001/B0001', body: 'fallback\n*Escalated* ticket 12' });
  });

  it('accepts a page only with a valid X-Desk-Signature', async () => {
    const raw = JSON.stringify({ summary: 'Security alert at ContosoDental', severity: 'critical', text: 'impossible travel' });
    const t = Math.floor(Date.now() / 1000);
    const sig = `t=${t},v1=${createHmac('sha256', 'sandbox-paging-secret').update(`${t}.${raw}`).digest('hex')}`;
    const post = (s: string) => fetch(`${sb.url}/hooks/paging`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-desk-signature': s }, body: raw });
    expect((await post(sig.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).status).toBe(401);
    const stale = t - 3600;
    expect((await post(`t=${stale},v1=${createHmac('sha256', 'sandbox-paging-secret').update(`${stale}.${raw}`).digest('hex')}`)).status).toBe(401);
    const ok = await post(sig);
    expect(ok.status).toBe(202);
    const [page] = await sb.ctx.outbox.list({ channel: 'webhook' });
    expect(page).toMatchObject({ provider: 'paging', to: 'oncall', subject: 'Security alert at ContosoDental' });
  });
});
