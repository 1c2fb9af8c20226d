#!/usr/bin/env node
// Registers intake's webhook URLs with every PSA the desk configuration names, through each vendor's
// own API — what an MSP does once when installing the desk (see the chart README, "Point the PSA at
// the ingress"). Idempotent: a registration for the same URL is left as it is.
//
//   node scripts/register-psa-webhooks.mjs [--intake http://127.0.0.1:3001]
// Environment: DESK_CONFIG (default config/desk.sandbox.yaml) and whatever it interpolates (SANDBOX_URL…).
import { join } from 'node:path';
import adapters from '../libs/adapters/dist/index.js';

const { loadDeskConfig } = adapters;

const root = new URL('..', import.meta.url).pathname;
const argIntake = process.argv.indexOf('--intake');
const intake = (argIntake > 0 ? process.argv[argIntake + 1] : process.env.INTAKE_PUBLIC_URL) || 'http://127.0.0.1:3001';

// The desk's own loader (built by `npm run build`): the same ${VAR:-default} interpolation and validation.
const config = loadDeskConfig(process.env.DESK_CONFIG || join(root, 'config/desk.sandbox.yaml'));

async function call(url, init) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

const registrars = {
  async connectwise(c) {
    const url = `${intake}/webhooks/connectwise`;
    const headers = {
      authorization: `Basic ${Buffer.from(`${c.companyId}+${c.publicKey}:${c.privateKey}`).toString('base64')}`,
      clientId: c.clientId, 'content-type': 'application/json', accept: 'application/json',
    };
    const existing = await call(`${c.baseUrl}/system/callbacks?pageSize=1000`, { headers });
    if (existing.some((cb) => cb.url === url && !cb.inactiveFlag)) return 'already registered';
    await call(`${c.baseUrl}/system/callbacks`, {
      method: 'POST', headers,
      body: JSON.stringify({ url, objectId: 1, type: 'Ticket', level: 'Owner', description: 'MSP desk intake', inactiveFlag: false }),
    });
    return 'registered';
  },
  async halopsa(c) {
    const url = `${intake}/webhooks/halopsa`;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret, scope: 'all' });
    const tokenUrl = `${c.baseUrl}/auth/token${c.tenant ? `?tenant=${encodeURIComponent(c.tenant)}` : ''}`;
    const token = await call(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    const headers = { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json', accept: 'application/json' };
    const existing = await call(`${c.baseUrl}/api/Webhook`, { headers });
    const list = Array.isArray(existing) ? existing : (existing?.webhooks ?? []);
    if (list.some((w) => w.url === url && w.active !== false)) return 'already registered';
    await call(`${c.baseUrl}/api/Webhook`, {
      method: 'POST', headers,
      body: JSON.stringify([{ name: 'MSP desk intake', url, method: 'POST', content_type: 'application/json', authentication_type: 1,
        basic_username: c.webhookUsername, basic_password: c.webhookPassword, events: ['New Ticket Logged', 'Ticket Updated', 'Action Added'], active: true }]),
    });
    return 'registered';
  },
  async autotask(c) {
    const url = `${intake}/webhooks/autotask`;
    const headers = { ApiIntegrationCode: c.apiIntegrationCode, UserName: c.username, Secret: c.secret, 'content-type': 'application/json', accept: 'application/json' };
    const existing = await call(`${c.baseUrl}/V1.0/TicketWebhooks/query`, {
      method: 'POST', headers, body: JSON.stringify({ filter: [{ op: 'eq', field: 'WebhookUrl', value: url }] }),
    });
    if ((existing?.items ?? []).some((w) => w.isActive !== false && w.IsActive !== false)) return 'already registered';
    const created = await call(`${c.baseUrl}/V1.0/TicketWebhooks`, {
      method: 'POST', headers,
      body: JSON.stringify({ IsActive: true, Name: 'MSP desk intake', WebhookUrl: url, DeactivationUrl: `${intake}/webhooks/autotask/deactivated`,
        SecretKey: c.webhookSecret, IsSubscribedToCreateEvents: true, IsSubscribedToUpdateEvents: true, IsSubscribedToDeleteEvents: false,
        SendThresholdExceededNotification: false, IsReady: true }),
    });
    const id = created?.itemId;
    if (id !== undefined) {
      for (const fieldID of ['status', 'title', 'description', 'lastActivityDate']) {
        await call(`${c.baseUrl}/V1.0/TicketWebhooks/${id}/Fields`, {
          method: 'POST', headers, body: JSON.stringify({ WebhookID: id, FieldID: fieldID, IsDisplayAlwaysField: false, IsSubscribedField: true }),
        }).catch(() => undefined); // field subscriptions refine what is sent; the registration already stands
      }
    }
    return 'registered';
  },
};

const seen = new Set();
let failed = false;
for (const client of config.clients) {
  const key = `${client.psa.system} ${client.psa.baseUrl} ${client.psa.companyId ?? client.psa.clientId ?? client.psa.username}`;
  if (seen.has(key)) continue;
  seen.add(key);
  try {
    console.log(`${client.psa.system} (${client.psa.baseUrl}): ${await registrars[client.psa.system](client.psa)}`);
  } catch (e) {
    failed = true;
    console.error(`${client.psa.system} (${client.psa.baseUrl}): ${e.message}`);
  }
}
process.exit(failed ? 1 : 0);
