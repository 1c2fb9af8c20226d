import {
  createNotifier, NotifyConnection, NotifyDeliveryError, parseTwilioInbound, SmtpEmailClient, TwilioSmsClient, verifiedTargets, verifyTwilioSignature,
} from '@desk/adapters';
import { startTestSandbox } from '../../../../sandbox/test/sandbox-harness';
import { startSmtpSandbox, type RunningSmtp } from '../../../../sandbox/src/vendors/smtp';
import { startReceiver } from '../../../../sandbox/test/notify/receiver';

type Sb = Awaited<ReturnType<typeof startTestSandbox>>;
const SID = 'AC00000000000000000000000000000101';

describe('notify providers against the sandbox', () => {
  let sb: Sb;
  let smtp: RunningSmtp;
  let conn: NotifyConnection;
  const fast = { retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 } };

  beforeAll(async () => {
    sb = await startTestSandbox();
    smtp = await startSmtpSandbox(sb.ctx, { port: 0 });
    conn = NotifyConnection.parse({
      sms: { provider: 'twilio', baseUrl: `${sb.url}/twilio`, accountSid: SID, authToken: 'sandbox-twilio-token', from: '+15550199' },
      email: { provider: 'smtp', host: '127.0.0.1', port: smtp.port, from: 'servicedesk@harborline-it.example' },
      teamsWebhookUrl: `${sb.url}/hooks/teams/harborline-oncall`,
      slackWebhookUrl: `${sb.url}/hooks/slack/services/T0001/B0001/secret`,
      pagingWebhook: { url: `${sb.url}/hooks/paging/security`, secret: 'sandbox-paging-secret' },
    });
  });
  afterAll(async () => {
    await smtp?.close();
    await sb?.stop();
  });
  beforeEach(async () => {
    await sb.reset();
  });

  it('sends an SMS to the mobile on file; it lands in the outbox for that number only', async () => {
    const notifier = createNotifier(conn, undefined, fast);
    const [target] = verifiedTargets({ mobile: '+1-555-0110', email: 'elena.vasquez@contoso-dental.example' }, { allowEmail: false });
    const receipt = await notifier.send(target, { body: 'Harborline code: 731904', sensitive: true });
    expect(receipt.providerMessageId).toMatch(/^SM/);
    expect(receipt.status).toBe('queued');
    const out = await sb.ctx.outbox.list({ channel: 'sms' });
    expect(out.map((m) => [m.to, m.body])).toEqual([['+15550110', 'Harborline code: 731904']]);
  });

  it('invalid number → NotifyDeliveryError invalid_recipient (21211), body not in the error', async () => {
    const notifier = createNotifier(conn, undefined, fast);
    const err = await notifier.send({ channel: 'sms', phone: '+15005550001' }, { body: 'Temporary password: Qx7-harbor-19', sensitive: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyDeliveryError);
    expect(err).toMatchObject({ reason: 'invalid_recipient', providerCode: '21211', temporary: false });
    expect(String((err as Error).message)).not.toContain('Qx7-harbor-19');
    expect(String((err as Error).message)).toContain('…0001');
    expect(String((err as Error).message)).not.toContain('15005550001');
    expect(JSON.stringify(err)).not.toContain('Qx7-harbor-19');
  });

  it('Twilio 5xx after the retries → provider_unavailable; nothing in the outbox', async () => {
    sb.ctx.faults.add({ vendor: 'twilio', kind: 'server_error', value: 503, count: 5 });
    const sms = new TwilioSmsClient(conn.sms!, fast);
    await expect(sms.send({ channel: 'sms', phone: '+15550110' }, { body: 'x', sensitive: false })).rejects.toMatchObject({ reason: 'provider_unavailable', temporary: true, status: 503 });
    expect((await sb.calls.list({ vendor: 'twilio' })).map((c) => c.status)).toEqual([503, 503]);
    expect(await sb.ctx.outbox.list({ channel: 'sms' })).toHaveLength(0);
  });

  it('wrong Twilio token → auth', async () => {
    const sms = new TwilioSmsClient({ ...conn.sms!, authToken: 'nope' }, fast);
    await expect(sms.send({ channel: 'sms', phone: '+15550110' }, { body: 'x', sensitive: false })).rejects.toMatchObject({ reason: 'auth', providerCode: '20003' });
  });

  it('limits messages per recipient', async () => {
    const notifier = createNotifier(conn, undefined, { ...fast, rateLimit: { capacity: 2, refillPerMinute: 1 } });
    const t = { channel: 'sms' as const, phone: '+1 555 0111' };
    await notifier.send(t, { body: 'one', sensitive: false });
    await notifier.send({ channel: 'sms', phone: '+15550111' }, { body: 'two', sensitive: false });
    await expect(notifier.send(t, { body: 'three', sensitive: false })).rejects.toMatchObject({ reason: 'recipient_rate_limited' });
    await notifier.send({ channel: 'sms', phone: '+15550112' }, { body: 'other person', sensitive: false });
    expect(await sb.ctx.outbox.list({ channel: 'sms', to: '+15550111' })).toHaveLength(2);
  });

  it('emails over SMTP; a 5xx bounce and a 4xx deferral are typed', async () => {
    const notifier = createNotifier(conn, undefined, fast);
    const ok = await notifier.send({ channel: 'email', address: 'raj.patel@contoso-dental.example' }, { subject: 'Ticket update', body: 'We reset your password.', sensitive: false });
    expect(ok.status).toBe('sent');
    expect(await sb.ctx.outbox.list({ channel: 'email', to: 'raj.patel@contoso-dental.example' })).toMatchObject([{ provider: 'smtp', subject: 'Ticket update', body: 'We reset your password.' }]);
    await fetch(`${sb.url}/admin/outbox/rules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailBounce: ['gone@contoso-dental.example'], emailDefer: ['busy@contoso-dental.example'] }) });
    await expect(notifier.send({ channel: 'email', address: 'gone@contoso-dental.example' }, { body: 'x', sensitive: false })).rejects.toMatchObject({ reason: 'bounced', providerCode: '550', temporary: false });
    await expect(notifier.send({ channel: 'email', address: 'busy@contoso-dental.example' }, { body: 'x', sensitive: false })).rejects.toMatchObject({ reason: 'deferred', providerCode: '450', temporary: true });
    await fetch(`${sb.url}/admin/outbox/rules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ smtpReject: { code: 554, count: 1 } }) });
    await expect(notifier.send({ channel: 'email', address: 'raj.patel@contoso-dental.example' }, { body: 'x', sensitive: false })).rejects.toMatchObject({ reason: 'rejected', providerCode: '554' });
    await expect(notifier.send({ channel: 'email', address: 'not an address' }, { body: 'x', sensitive: false })).rejects.toMatchObject({ reason: 'invalid_recipient' });
  });

  it('SMTP relay down → provider_unavailable', async () => {
    const mail = new SmtpEmailClient({ host: '127.0.0.1', port: 9, secure: false, user: null, password: null, from: 'a@b.example' }, { timeoutMs: 2000 });
    await expect(mail.send({ channel: 'email', address: 'x@contoso-dental.example' }, { body: 'x', sensitive: false })).rejects.toMatchObject({ reason: 'provider_unavailable' });
    mail.close();
  });

  it('emails through Graph sendMail without saving secrets to Sent Items', async () => {
    const notifier = createNotifier(NotifyConnection.parse({
      email: { provider: 'graph', graphBaseUrl: `${sb.url}/graph/v1.0`, loginBaseUrl: `${sb.url}/login`, tenantId: 'contoso-dental.example', clientId: 'sandbox-graph-client', clientSecret: 'sandbox-graph-secret', sender: 'maria.gonzalez@contoso-dental.example' },
    }), undefined, fast);
    await notifier.send({ channel: 'email', address: 'nora.feldman@contoso-dental.example' }, { subject: 'Your code', body: 'Code 550123', sensitive: true });
    expect(await sb.ctx.outbox.list({ channel: 'email' })).toMatchObject([{ provider: 'graph', to: 'nora.feldman@contoso-dental.example', from: 'maria.gonzalez@contoso-dental.example', body: 'Code 550123' }]);
    const [call] = await sb.calls.list({ vendor: 'graph', pathContains: '/sendMail' });
    expect(call.status).toBe(202);
    expect(JSON.stringify(call.body)).not.toContain('550123');
  });

  it('posts to Teams, Slack and the signed paging hook; refuses secrets on shared channels', async () => {
    const notifier = createNotifier(conn, undefined, fast);
    await notifier.send(notifier.defaultTarget('teams')!, { subject: 'Escalated: ticket 12', body: 'Needs a technician', sensitive: false, severity: 'error' });
    await notifier.send(notifier.defaultTarget('slack')!, { subject: 'Escalated: ticket 12', body: 'Needs a technician', sensitive: false });
    const page = await notifier.send(notifier.defaultTarget('webhook')!, { subject: 'Security incident at ContosoDental', body: 'Impossible travel', sensitive: false, severity: 'critical', dedupKey: 'tkt-12' });
    expect(page.detail).toBe('tkt-12');
    expect((await sb.ctx.outbox.list({ channel: 'teams' }))[0]).toMatchObject({ to: 'harborline-oncall', body: 'Escalated: ticket 12\nNeeds a technician' });
    expect((await sb.ctx.outbox.list({ channel: 'slack' }))[0].body).toContain('Needs a technician');
    expect((await sb.ctx.outbox.list({ channel: 'webhook' }))[0]).toMatchObject({ provider: 'paging', to: 'security', subject: 'Security incident at ContosoDental' });
    await expect(notifier.send(notifier.defaultTarget('teams')!, { body: 'code 1234', sensitive: true })).rejects.toMatchObject({ reason: 'channel_not_allowed' });
    const wrongSecret = createNotifier({ ...conn, pagingWebhook: { url: conn.pagingWebhook!.url, secret: 'wrong' } }, undefined, fast);
    await expect(wrongSecret.send(wrongSecret.defaultTarget('webhook')!, { body: 'x', sensitive: false })).rejects.toMatchObject({ reason: 'auth', status: 401 });
  });

  it('an unconfigured channel is a typed failure', async () => {
    const notifier = createNotifier(NotifyConnection.parse({}), undefined, fast);
    expect(notifier.channels()).toEqual([]);
    await expect(notifier.send({ channel: 'sms', phone: '+15550110' }, { body: 'x', sensitive: false })).rejects.toMatchObject({ reason: 'channel_not_configured' });
  });

  it('verifies and parses an inbound SMS the sandbox delivers (intake helpers)', async () => {
    const rx = await startReceiver();
    try {
      const target = `${rx.url}/webhooks/twilio/sms?client=ContosoDental`;
      await fetch(`${sb.url}/admin/inbound/targets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sms: target }) });
      await fetch(`${sb.url}/admin/inbound/sms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '+1-555-0110', body: ' 731904 ' }) });
      const [got] = await rx.waitFor(1);
      const sig = String(got.headers['x-twilio-signature']);
      expect(verifyTwilioSignature(target, got.body, sig, 'sandbox-twilio-token')).toBe(true);
      expect(verifyTwilioSignature(target, got.body, sig, 'other-token')).toBe(false);
      expect(verifyTwilioSignature(target.replace('ContosoDental', 'TailspinMfg'), got.body, sig, 'sandbox-twilio-token')).toBe(false);
      const tampered = new URLSearchParams(got.body);
      tampered.set('From', '+15550999');
      expect(verifyTwilioSignature(target, tampered, sig, 'sandbox-twilio-token')).toBe(false);
      expect(parseTwilioInbound(got.body)).toMatchObject({ from: '+15550110', to: '+15550199', body: ' 731904 ', accountSid: SID, numMedia: 0 });
      expect(parseTwilioInbound({ Body: 'x' })).toBeNull();
    } finally {
      await rx.close();
    }
  });
});
