// The pipeline run: tickets are created in the sandbox ConnectWise, whose callback hits intake's webhook;
// latency is from that webhook (its delivery, as logged by the sandbox) to the first note the desk
// writes on the ticket (psa-writer's first response), both from the sandbox's call log.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { sleep, summarize } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const CW = '/cw/v4_6_release/apis/3.0';
const CW_HEADERS = {
  'content-type': 'application/json',
  authorization: `Basic ${Buffer.from('harborline+sandboxpub:sandboxpriv').toString('base64')}`,
  clientId: '00000000-0000-4000-8000-00000000c0de',
};
const CW_CLIENTS = new Set(['ContosoDental', 'WhitfieldCrane', 'AlderBrooksCPA']);

/** Realistic tickets of the ConnectWise clients, from the demo world's training set. */
export function ticketTemplates() {
  const lines = readFileSync(`${root}sandbox/seed/demo-msp/training-tickets.jsonl`, 'utf8').split('\n').filter(Boolean);
  const t = lines.map((l) => JSON.parse(l)).filter((x) => CW_CLIENTS.has(x.clientIdentifier) && x.summary && x.description);
  if (t.length === 0) throw new Error('no ConnectWise tickets in the training set');
  return t;
}

async function cw(desk, method, path, body) {
  const res = await fetch(`${desk.sandboxUrl}${CW}${path}`, { method, headers: CW_HEADERS, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Points the sandbox's ticket callbacks at intake (what an MSP admin does once in ConnectWise). */
export async function registerCallback(desk) {
  const url = `${desk.intakeUrl}/webhooks/connectwise`;
  const existing = await cw(desk, 'GET', '/system/callbacks?pageSize=1000');
  if (existing.some((c) => c.url === url && !c.inactiveFlag)) return;
  await cw(desk, 'POST', '/system/callbacks', { url, objectId: 1, type: 'Ticket', level: 'Owner', description: 'desk bench' });
}

/** The call log, read directly (the bench polls it often; PostgreSQL is cheaper than the admin API). */
export class CallLog {
  constructor(desk) {
    this.schema = desk.sandboxSchema;
    this.client = new pg.Client({ connectionString: desk.databaseUrl });
    this.seq = 0;
    this.webhookAt = new Map();
    this.firstNoteAt = new Map();
  }
  async open() {
    await this.client.connect();
    this.seq = Number((await this.client.query(`SELECT COALESCE(max(seq), 0) AS n FROM "${this.schema}".calls`)).rows[0].n);
  }
  async poll() {
    const r = await this.client.query(
      `SELECT seq, at, path, principal, status FROM "${this.schema}".calls
        WHERE seq > $1 AND method = 'POST' AND vendor = 'connectwise'
          AND (principal = 'webhook-delivery' OR path ~ '/service/tickets/[0-9]+/notes') ORDER BY seq`, [this.seq]);
    for (const row of r.rows) {
      this.seq = Math.max(this.seq, Number(row.seq));
      const at = new Date(row.at).getTime();
      if (row.principal === 'webhook-delivery') {
        const id = new URL(row.path).searchParams.get('id');
        if (id && !this.webhookAt.has(id) && row.status >= 200 && row.status < 300) this.webhookAt.set(id, at);
      } else if (row.status >= 200 && row.status < 300) {
        const id = /\/service\/tickets\/(\d+)\/notes/.exec(row.path)?.[1];
        if (id && !this.firstNoteAt.has(id)) this.firstNoteAt.set(id, at);
      }
    }
  }
  async close() {
    await this.client.end();
  }
}

/**
 * Creates `tickets` tickets (as fast as `concurrency` allows, or at `ratePerS`) and waits until each has
 * its first note. Returns throughput and webhook→first-note latency.
 */
export async function runPipeline(desk, { tickets, concurrency = 32, ratePerS = 0, timeoutMs = 600_000, label = 'run', onProgress }) {
  const templates = ticketTemplates();
  const log = new CallLog(desk);
  await log.open();
  const ids = new Set();
  const started = Date.now();
  let next = 0;
  const create = async (i) => {
    const t = templates[i % templates.length];
    const body = {
      summary: `${t.summary}`.slice(0, 100), company: { identifier: t.clientIdentifier }, initialDescription: t.description,
      contactEmailAddress: t.fromEmail, contactName: t.fromEmail?.split('@')[0] ?? null,
    };
    const ticket = await cw(desk, 'POST', '/service/tickets', body);
    ids.add(String(ticket.id));
  };
  const workers = Array.from({ length: ratePerS ? 1 : concurrency }, async () => {
    for (;;) {
      const i = next++;
      if (i >= tickets) return;
      if (ratePerS) {
        const wait = started + (i * 1000) / ratePerS - Date.now();
        if (wait > 0) await sleep(wait);
        void create(i).catch((e) => { process.stderr.write(`create failed: ${e.message}\n`); });
      } else {
        await create(i);
      }
    }
  });
  const deadline = started + timeoutMs;
  let creating = Promise.all(workers).then(() => { creating = null; });
  let lastReport = 0;
  let complete = true;
  for (;;) {
    await sleep(250);
    await log.poll();
    const done = [...ids].filter((id) => log.firstNoteAt.has(id) && log.webhookAt.has(id)).length;
    if (onProgress && Date.now() - lastReport > 5000) { lastReport = Date.now(); onProgress(label, ids.size, done); }
    if (!creating && ids.size >= tickets && done >= ids.size) break;
    if (Date.now() > deadline) {
      // Report what finished rather than nothing: a slow pipeline is a result too.
      complete = false;
      next = tickets;
      break;
    }
  }
  const lat = [];
  let firstWebhook = Infinity;
  let lastNote = 0;
  for (const id of ids) {
    const t0 = log.webhookAt.get(id);
    const t1 = log.firstNoteAt.get(id);
    if (t0 !== undefined) firstWebhook = Math.min(firstWebhook, t0);
    if (t0 === undefined || t1 === undefined) continue;
    lat.push(t1 - t0);
    lastNote = Math.max(lastNote, t1);
  }
  await log.close();
  const end = complete ? lastNote : Date.now();
  const seconds = (end - firstWebhook) / 1000;
  return { complete, created: ids.size, tickets: lat.length, tickets_per_s: lat.length / seconds, seconds, latency: summarize(lat), ids };
}
