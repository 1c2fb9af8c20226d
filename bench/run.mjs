// `npm run bench`: end-to-end throughput and latency of the desk, and the raw JetStream floor, in one run.
//
//   npm run bench [-- --tickets 2000 --rate 50 --rate-tickets 750 --hops 2 --concurrency 32 --timeout-s 600 --external --floor-only --verbose]
//
// 1. starts an isolated desk (scripts/start-desk.mjs: sandbox + six services, separate processes) unless
//    --external (then SANDBOX_URL, INTAKE_URL, SANDBOX_DB_SCHEMA, NATS_STREAM describe the running one);
// 2. throughput: --tickets tickets created in the sandbox ConnectWise as fast as --concurrency allows; each
//    callback hits intake's webhook; measured from that webhook to the first PSA note on the ticket;
// 3. offered load: --rate-tickets tickets at --rate tickets/s, latency percentiles;
// 4. the floor: as many messages of the pipeline's average event size through --hops hops (the JetStream
//    hops between intake's webhook and the first note: ticket.received, ticket.triaged) of separate
//    processes with the desk's consumer settings and no handler work.
// The last line is `RESULT {json}`.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startBenchDesk } from './desk.mjs';
import { runFloor } from './floor.mjs';
import { registerCallback, runPipeline } from './pipeline.mjs';
import { args, fmt, num } from './lib.mjs';

const opts = args();
const tickets = num(opts, 'tickets', 2000);
const rate = num(opts, 'rate', 50);
const rateTickets = num(opts, 'rate-tickets', 750);
const hops = num(opts, 'hops', 2);
const concurrency = num(opts, 'concurrency', 32);
/** Per phase: after this the phase reports what finished (marked incomplete) instead of waiting on. */
const timeoutMs = num(opts, 'timeout-s', 600) * 1000;
const say = (s) => process.stdout.write(`${s}\n`);
const lat = (l) => `p50 ${fmt(l.p50, 0)} ms, p95 ${fmt(l.p95, 0)} ms, p99 ${fmt(l.p99, 0)} ms (max ${fmt(l.max, 0)} ms)`;
const progress = (label, created, done) => say(`  ${label}: ${created} created, ${done} with a first note`);

const result = { tickets, tickets_per_s: null, first_note_p50_ms: null, first_note_p95_ms: null, first_note_p99_ms: null,
  offered_rate_per_s: rate, offered_tickets: rateTickets, offered_p99_ms: null,
  floor_tickets_per_s: null, floor_p99_ms: null, hops, message_bytes: null, ratio: null };

let messageBytes = num(opts, 'bytes', 0);
let desk = null;
// Interrupted: still stop the desk and drop its schemas and stream.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    say(`${sig}: stopping the desk…`);
    void (desk?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}
try {
  if (!opts['floor-only']) {
    say(opts.external ? 'using the running desk' : 'starting an isolated desk (sandbox + six services)…');
    desk = await startBenchDesk({ external: Boolean(opts.external), verbose: Boolean(opts.verbose) });
    await registerCallback(desk);
    // A few tickets first: connections, JIT and vendor tokens warm, so the measured run is steady state.
    const w = await runPipeline(desk, { tickets: 20, concurrency: 4, label: 'warm-up', timeoutMs: 180_000, onProgress: progress });
    if (w.tickets === 0) throw new Error('warm-up: no ticket got a first PSA note within 180 s (is the pipeline complete?)');
    say(`throughput: ${tickets} tickets…`);
    const t = await runPipeline(desk, { tickets, concurrency, label: 'throughput', onProgress: progress, timeoutMs });
    Object.assign(result, { tickets_per_s: t.tickets_per_s, first_note_p50_ms: t.latency.p50, first_note_p95_ms: t.latency.p95, first_note_p99_ms: t.latency.p99,
      complete: t.complete, tickets_with_note: t.tickets });
    say(`pipeline: ${t.tickets} tickets in ${fmt(t.seconds)} s → ${fmt(t.tickets_per_s)} tickets/s; webhook → first note ${lat(t.latency)}`);
    if (!t.complete) say(`  incomplete: ${t.tickets} of ${t.created} created tickets had a first note after ${timeoutMs / 1000} s (figures cover those)`);
    if (rateTickets > 0) {
      say(`offered load: ${rateTickets} tickets at ${rate}/s…`);
      const o = await runPipeline(desk, { tickets: rateTickets, ratePerS: rate, label: 'offered', onProgress: progress, timeoutMs });
      result.offered_p99_ms = o.latency.p99;
      result.offered_complete = o.complete;
      if (!o.complete) say(`  incomplete: ${o.tickets} of ${o.created} tickets had a first note after ${timeoutMs / 1000} s`);
      say(`offered ${rate} tickets/s: ${o.tickets} tickets, achieved ${fmt(o.tickets_per_s)}/s; webhook → first note ${lat(o.latency)}`);
    }
    if (!messageBytes) {
      const nc = await connect({ servers: desk.natsUrl });
      const info = await (await jetstreamManager(nc)).streams.info(desk.stream);
      await nc.close();
      messageBytes = Math.round(info.state.bytes / Math.max(1, info.state.messages));
    }
  }
  messageBytes ||= 2000;
  result.message_bytes = messageBytes;
  say(`floor: ${tickets} messages of ${messageBytes} bytes through ${hops} hops…`);
  const natsUrl = desk?.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const f = await runFloor({ natsUrl, tickets, hops, bytes: messageBytes, concurrency });
  Object.assign(result, { floor_tickets_per_s: f.tickets_per_s, floor_p99_ms: f.latency.p99 });
  say(`floor: ${fmt(f.tickets_per_s)} messages/s through ${hops} hops; ${lat(f.latency)}`);
  if (result.tickets_per_s !== null) {
    result.ratio = result.tickets_per_s / result.floor_tickets_per_s;
    say(`ratio pipeline/floor: ${fmt(result.ratio, 3)}`);
  }
} catch (e) {
  say(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await desk?.stop().catch((e) => say(`stopping the desk failed: ${e.message}`));
}
for (const k of Object.keys(result)) if (typeof result[k] === 'number') result[k] = Math.round(result[k] * 1000) / 1000;
say(`RESULT ${JSON.stringify(result)}`);
