// Where a ticket's time goes between intake's webhook and the first PSA note, per stage, from what the
// desk already records: the sandbox call log (webhook delivery, intake's fetch, the note), the lifecycle
// ledger (commit-time transitions), the processed_event rows (a handler's transaction start), psa_write
// rows, and the JetStream stream's own timestamps (when each event was published). No extra probes run
// in the desk, so measuring does not change what is measured.
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { summarize } from './lib.mjs';

const ms = (d) => (d instanceof Date ? d.getTime() : new Date(d).getTime());

/** Every pipeline event of the run's stream: subject (unprefixed) → eventId → { ticketId, at, causationId }. */
async function streamEvents(desk) {
  const nc = await connect({ servers: desk.natsUrl, name: 'bench-breakdown' });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(desk.stream);
    const total = info.state.last_seq;
    const consumer = await jetstream(nc).consumers.get(desk.stream, { deliver_policy: DeliverPolicy.All });
    const events = new Map();
    if (total === 0) return events;
    const iter = await consumer.consume({ max_messages: 1000 });
    for await (const m of iter) {
      const subject = m.subject.slice(desk.subjectPrefix.length);
      try {
        const e = JSON.parse(new TextDecoder().decode(m.data));
        events.set(e.eventId, { subject, ticketId: e.ticketId, causationId: e.causationId ?? null, at: Number(m.info.timestampNanos) / 1e6 });
      } catch { /* not an envelope */ }
      if (m.seq >= total) break;
    }
    await iter.close();
    return events;
  } finally {
    await nc.close();
  }
}

const STAGES = [
  ['webhook → intake fetched the PSA ticket', 'webhook', 'fetched'],
  ['fetched → ticket.received committed', 'fetched', 'received'],
  ['received committed → published (outbox)', 'received', 'receivedPub'],
  ['published → triage handler started (queue)', 'receivedPub', 'triageStart'],
  ['triage handler (start → transition)', 'triageStart', 'triaged'],
  ['triage transition → event published', 'triaged', 'triagedPub'],
  ['published → psa-writer handler started (queue)', 'triagedPub', 'writerStart'],
  ['psa-writer handler start → first note POSTed (handler, drainer, PSA call)', 'writerStart', 'note'],
];

/**
 * @param desk the bench desk (databaseUrl, natsUrl, stream, subjectPrefix, schemaPrefix, sandboxSchema)
 * @param psaIds ConnectWise ticket ids of the measured run
 * @returns {Promise<Array<{ stage: string, n: number, p50: number, p95: number, p99: number, mean: number }>>}
 */
export async function stageBreakdown(desk, psaIds) {
  const s = (name) => `"${desk.schemaPrefix}${name}"`;
  const client = new pg.Client({ connectionString: desk.databaseUrl });
  await client.connect();
  const t = new Map([...psaIds].map((id) => [String(id), {}]));
  try {
    const calls = await client.query(
      `SELECT path, at, principal, method FROM "${desk.sandboxSchema}".calls
        WHERE vendor = 'connectwise' AND status BETWEEN 200 AND 299
          AND ((principal = 'webhook-delivery' AND method = 'POST') OR (method = 'GET' AND path ~ '/service/tickets/[0-9]+([?]|$)')
               OR (method = 'POST' AND path ~ '/service/tickets/[0-9]+/notes')) ORDER BY seq`);
    for (const c of calls.rows) {
      let id;
      let key;
      if (c.principal === 'webhook-delivery') { id = new URL(c.path).searchParams.get('id'); key = 'webhook'; }
      else if (c.method === 'GET') { id = /\/service\/tickets\/(\d+)/.exec(c.path)?.[1]; key = 'fetched'; }
      else { id = /\/service\/tickets\/(\d+)\/notes/.exec(c.path)?.[1]; key = 'note'; }
      const row = t.get(String(id));
      if (row && row[key] === undefined) row[key] = ms(c.at);
    }
    const maps = await client.query(`SELECT ticket_id, psa_ticket_id FROM ${s('psa_writer')}.ticket_map WHERE system = 'connectwise'`);
    const byDesk = new Map();
    for (const m of maps.rows) if (t.has(String(m.psa_ticket_id))) byDesk.set(m.ticket_id, t.get(String(m.psa_ticket_id)));
    const tr = await client.query(`SELECT ticket_id, service, at FROM ${s('desk_ledger')}.ticket_transition WHERE service IN ('intake', 'triage') ORDER BY id`);
    for (const r of tr.rows) {
      const row = byDesk.get(r.ticket_id);
      const key = r.service === 'intake' ? 'received' : 'triaged';
      if (row && row[key] === undefined) row[key] = ms(r.at);
    }
    const events = await streamEvents(desk);
    const triageStart = new Map((await client.query(`SELECT event_id, processed_at FROM ${s('triage')}.processed_event`)).rows.map((r) => [r.event_id, ms(r.processed_at)]));
    const writerStart = new Map((await client.query(`SELECT event_id, processed_at FROM ${s('psa_writer')}.processed_event`)).rows.map((r) => [r.event_id, ms(r.processed_at)]));
    const writes = await client.query(`SELECT ticket_id, event_id FROM ${s('psa_writer')}.psa_write WHERE kind = 'note' ORDER BY sort_at, op_index`);
    const firstWrite = new Map();
    for (const w of writes.rows) if (!firstWrite.has(w.ticket_id)) firstWrite.set(w.ticket_id, w.event_id);
    for (const [eventId, e] of events) {
      const row = byDesk.get(e.ticketId);
      if (!row) continue;
      if (e.subject.startsWith('desk.ticket.received.') && row.receivedPub === undefined) {
        row.receivedPub = e.at;
        row.triageStart = triageStart.get(eventId);
      }
    }
    for (const [ticketId, row] of byDesk) {
      const eventId = firstWrite.get(ticketId);
      if (!eventId) continue;
      const e = events.get(eventId);
      row.writerStart = writerStart.get(eventId);
      if (e) row.triagedPub = e.at;
    }
  } finally {
    await client.end();
  }
  return STAGES.map(([stage, from, to]) => {
    const d = [...t.values()].filter((r) => r[from] !== undefined && r[to] !== undefined).map((r) => r[to] - r[from]);
    const sum = summarize(d);
    return { stage, n: sum.n, p50: sum.p50, p95: sum.p95, p99: sum.p99, mean: d.length ? d.reduce((a, b) => a + b, 0) / d.length : NaN };
  });
}

/** The sandbox calls of a run by vendor, method and path shape (ids → :id), busiest first. */
export async function callMix(desk, sinceSeq) {
  const client = new pg.Client({ connectionString: desk.databaseUrl });
  await client.connect();
  try {
    const r = await client.query(
      `SELECT vendor, method, regexp_replace(regexp_replace(split_part(path, '?', 1), '^https?://[^/]+', ''), '[0-9a-f-]{8,}|[0-9]+', ':id', 'g') AS shape,
              principal = 'webhook-delivery' AS webhook, count(*)::int AS n
         FROM "${desk.sandboxSchema}".calls WHERE seq > $1 GROUP BY 1, 2, 3, 4 ORDER BY n DESC`, [sinceSeq]);
    return r.rows.map((x) => ({ what: `${x.vendor} ${x.webhook ? 'webhook →' : x.method} ${x.shape}`, n: x.n }));
  } finally {
    await client.end();
  }
}

export async function lastCallSeq(desk) {
  const client = new pg.Client({ connectionString: desk.databaseUrl });
  await client.connect();
  try {
    return Number((await client.query(`SELECT COALESCE(max(seq), 0) AS n FROM "${desk.sandboxSchema}".calls`)).rows[0].n);
  } finally {
    await client.end();
  }
}
