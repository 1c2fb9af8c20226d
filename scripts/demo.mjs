#!/usr/bin/env node
// `npm run demo` — with the desk running (`npm start`), submits a handful of demo tickets to the
// clients' PSAs in the sandbox, as the clients would, and prints each ticket's journey through the
// desk live (stage, decision, time), then a summary.
//
//   npm run demo [-- --count 6] [-- --loop]      (--loop keeps tickets flowing, e.g. for dashboards)
// Environment: SANDBOX_URL (http://127.0.0.1:4010), DATABASE_URL, DB_SCHEMA_PREFIX, DESK_CONFIG.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import adapters from '../libs/adapters/dist/index.js';

const root = new URL('..', import.meta.url).pathname;
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const COUNT = Number(arg('count', '6'));
const LOOP = process.argv.includes('--loop');
const TIMEOUT_MS = Number(arg('timeout', '120')) * 1000;
const SANDBOX = process.env.SANDBOX_URL || 'http://127.0.0.1:4010';
const PREFIX = process.env.DB_SCHEMA_PREFIX || '';
const FINAL = new Set(['resolved', 'escalated', 'closed', 'duplicate']);
const WAITING = new Set(['awaiting_verification', 'awaiting_approval', 'proposed', 'waiting_on_client']);
const tty = process.stdout.isTTY;
const c = (n, s) => (tty ? `\x1b[${n}m${s}\x1b[0m` : s);

const config = adapters.loadDeskConfig(process.env.DESK_CONFIG || join(root, 'config/desk.sandbox.yaml'));
const psaOf = Object.fromEntries(config.clients.map((cl) => [cl.identifier, cl.psa.system]));
const tickets = readFileSync(join(root, 'sandbox/seed/demo-msp/training-tickets.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  .filter((t) => t.channel !== 'alert');

/** A varied handful: one ticket per category in turn, starting at `offset`. */
function pick(offset, n) {
  const byCategory = new Map();
  for (const t of tickets) byCategory.set(t.category, [...(byCategory.get(t.category) ?? []), t]);
  const cats = [...byCategory.keys()];
  const out = [];
  for (let i = 0; out.length < n && i < n * 20; i++) {
    const list = byCategory.get(cats[(offset + i) % cats.length]);
    out.push(list[Math.floor((offset + i) / cats.length) % list.length]);
  }
  return out;
}

async function submit(t) {
  const system = psaOf[t.clientIdentifier];
  const res = await fetch(`${SANDBOX}/admin/psa/${system}/tickets`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientIdentifier: t.clientIdentifier, summary: t.summary, description: t.description, contactEmail: t.fromEmail }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`sandbox refused the ticket: ${res.status} ${JSON.stringify(body)}`);
  const id = body.id ?? body.itemId ?? body.item?.id;
  return { system, psaId: String(id), label: `${system.slice(0, 4)}#${id}`, source: t, deskId: null, seen: 0, state: 'submitted', started: Date.now(), ended: null };
}

async function round(db, offset) {
  const batch = pick(offset, COUNT);
  console.log(c(1, `\nSubmitting ${batch.length} tickets through the clients' PSAs (sandbox ${SANDBOX})\n`));
  const live = [];
  for (const t of batch) {
    const s = await submit(t);
    live.push(s);
    console.log(`${c(36, s.label.padEnd(10))} ${t.clientIdentifier.padEnd(16)} ${c(90, t.summary.slice(0, 70))}`);
  }
  console.log('');
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline && live.some((s) => !FINAL.has(s.state))) {
    for (const s of live) {
      if (!s.deskId) {
        const r = await db.query(`SELECT ticket_id FROM "${PREFIX}intake".ticket_link WHERE psa_system = $1 AND psa_ticket_id = $2`, [s.system, s.psaId]);
        s.deskId = r.rows[0]?.ticket_id ?? null;
        if (!s.deskId) continue;
      }
      const r = await db.query(`SELECT state, service, reason, at FROM "${PREFIX}desk_ledger".ticket_transition WHERE ticket_id = $1 ORDER BY at, id OFFSET $2`, [s.deskId, s.seen]);
      for (const row of r.rows) {
        s.seen++;
        s.state = row.state;
        const t = ((new Date(row.at).getTime() - s.started) / 1000).toFixed(1).padStart(6);
        const colour = row.state === 'resolved' ? 32 : row.state === 'escalated' ? 33 : WAITING.has(row.state) ? 35 : 0;
        console.log(`${c(90, `+${t}s`)} ${c(36, s.label.padEnd(10))} ${row.service.padEnd(11)} ${c(colour, row.state.padEnd(22))} ${c(90, (row.reason ?? '').slice(0, 90))}`);
        if (FINAL.has(row.state) || WAITING.has(row.state)) s.ended = new Date(row.at).getTime();
      }
    }
    if (live.every((s) => FINAL.has(s.state) || WAITING.has(s.state))) break;
    await new Promise((r) => setTimeout(r, 400));
  }
  console.log(c(1, '\nSummary'));
  for (const s of live) {
    const secs = s.ended ? `${((s.ended - s.started) / 1000).toFixed(1)}s` : '—';
    console.log(`${s.label.padEnd(10)} ${s.source.category.padEnd(20)} ${s.state.padEnd(22)} ${secs.padStart(7)}  ${c(90, `(expected: ${s.source.expected})`)}`);
  }
  const counts = live.reduce((m, s) => ({ ...m, [s.state]: (m[s.state] ?? 0) + 1 }), {});
  console.log(c(90, JSON.stringify(counts)));
}

const db = new pg.Client({ connectionString: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test' });
await db.connect();
try {
  let offset = Math.floor(Math.random() * 17);
  do {
    await round(db, offset);
    offset += COUNT;
    if (LOOP) await new Promise((r) => setTimeout(r, 30_000));
  } while (LOOP);
} finally {
  await db.end();
}
