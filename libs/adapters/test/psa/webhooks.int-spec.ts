import {
  connectWiseKeyFetcher, parseAutotaskWebhook, parseConnectWiseCallback, parseHaloWebhook, verifyAutotaskWebhook, verifyConnectWiseCallback, verifyHaloWebhook,
} from '../../src/psa/webhooks';
import { startReceiver } from '../../../../sandbox/test/psa/webhook-receiver';
import { CLIENT_OF, startPsaSandbox, type PsaSandbox } from './psa-harness';

describe('PSA webhook verification against sandbox deliveries', () => {
  let env: PsaSandbox;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    env = await startPsaSandbox();
    rx = await startReceiver();
  });
  afterAll(async () => {
    await rx?.close();
    await env?.stop();
  });
  const portal = async (system: string) => {
    const r = await fetch(`${env.sb.url}/admin/psa/${system}/tickets`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientIdentifier: CLIENT_OF[system as keyof typeof CLIENT_OF].identifier, summary: 'Printer offline', description: 'From the portal' }),
    });
    expect(r.status).toBe(201);
    return (await r.json()) as { id: number };
  };
  const delivered = async (path: string) => {
    for (let i = 0; i < 100; i++) {
      const hit = rx.received.filter((x) => x.url.startsWith(path));
      if (hit.length) return hit[hit.length - 1];
      await new Promise((r) => setTimeout(r, 30));
    }
    throw new Error(`no delivery to ${path}`);
  };

  it('ConnectWise: signature over the raw body with the key from an allow-listed key_url', async () => {
    const conn = env.conn('connectwise');
    if (conn.system !== 'connectwise') throw new Error('config');
    const auth = { authorization: `Basic ${Buffer.from(`${conn.companyId}+${conn.publicKey}:${conn.privateKey}`).toString('base64')}`, clientId: conn.clientId, 'content-type': 'application/json' };
    const reg = await fetch(`${conn.baseUrl}/system/callbacks`, { method: 'POST', headers: auth, body: JSON.stringify({ url: `${rx.url}/cw`, objectId: 1, type: 'Ticket', level: 'owner' }) });
    expect(reg.status).toBe(201);
    const t = await portal('connectwise');
    const d = await delivered('/cw');
    const fetchKey = connectWiseKeyFetcher(conn.callbackKeyHosts);
    expect(await verifyConnectWiseCallback(d.body, d.headers, fetchKey)).toBe(true);
    expect(parseConnectWiseCallback(d.body)).toEqual({ ticketId: String(t.id), action: 'created' });
    expect(await verifyConnectWiseCallback(d.body.replace('Printer offline', 'Printer 0ffline'), d.headers, fetchKey)).toBe(false);
    expect(await verifyConnectWiseCallback(d.body, d.headers, connectWiseKeyFetcher(['connectwise.example']))).toBe(false);
    expect(await verifyConnectWiseCallback(d.body, {}, fetchKey)).toBe(false);
  });

  it('HaloPSA: Basic credentials of the registration', async () => {
    const conn = env.conn('halopsa');
    if (conn.system !== 'halopsa') throw new Error('config');
    const tok = (await (await fetch(`${conn.baseUrl}/auth/token?tenant=${conn.tenant}`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: conn.clientId, client_secret: conn.clientSecret }) })).json()) as { access_token: string };
    const reg = await fetch(`${conn.baseUrl}/api/Webhook`, {
      method: 'POST', headers: { authorization: `Bearer ${tok.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ name: 'desk', url: `${rx.url}/halo`, authentication_type: 1, basic_username: conn.webhookUsername, basic_password: conn.webhookPassword }]),
    });
    expect(reg.status).toBe(201);
    const t = await portal('halopsa');
    const d = await delivered('/halo');
    expect(verifyHaloWebhook(d.headers, conn)).toBe(true);
    expect(verifyHaloWebhook(d.headers, { ...conn, webhookPassword: 'other' })).toBe(false);
    expect(verifyHaloWebhook({}, conn)).toBe(false);
    expect(parseHaloWebhook(d.body)).toEqual({ ticketId: String(t.id), action: 'created' });
  });

  it('Autotask: X-Hook-Signature HMAC-SHA1 with the webhook secret', async () => {
    const conn = env.conn('autotask');
    if (conn.system !== 'autotask') throw new Error('config');
    const headers = { ApiIntegrationCode: conn.apiIntegrationCode, UserName: conn.username, Secret: conn.secret, 'content-type': 'application/json' };
    const reg = await fetch(`${conn.baseUrl}/V1.0/TicketWebhooks`, {
      method: 'POST', headers,
      body: JSON.stringify({ name: 'desk', webhookUrl: `${rx.url}/at`, deactivationUrl: `${rx.url}/at-off`, secretKey: conn.webhookSecret, isActive: true, isSubscribedToCreateEvents: true }),
    });
    expect(reg.status).toBe(200);
    const t = await portal('autotask');
    const d = await delivered('/at');
    expect(verifyAutotaskWebhook(d.body, d.headers, conn.webhookSecret)).toBe(true);
    expect(verifyAutotaskWebhook(d.body, d.headers, 'wrong-secret')).toBe(false);
    expect(verifyAutotaskWebhook(`${d.body} `, d.headers, conn.webhookSecret)).toBe(false);
    expect(parseAutotaskWebhook(d.body)).toEqual({ ticketId: String(t.id), action: 'created' });
  });
});
