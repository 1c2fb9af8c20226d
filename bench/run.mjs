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
import { callMix, lastCallSeq, stageBreakdown } from './breakdown.mjs';
import { CpuMeter, cpuReport, load } from './cpu.mjs';
import { startBenchDesk } from './desk.mjs';
import { durations, scrape } from './metrics.mjs';
import { runFloor } from './floor.mjs';
import { registerCallback, runPipeline } from './pipeline.mjs';
import { args, fmt, num } from './lib.mjs';

const opts = args();
const tickets = num(opts, 'tickets', 2000);
const rate = num(opts, 'rate', 50);
const rateTickets = num(opts, 'rate-tickets', 750);
const hops = num(opts, 'hops', 2);
const concurrency = num(opts, 'concurrency', 32);
/**
 * The desk's per-tenant PSA token buckets default to the vendors' published limits (ConnectWise 10 req/s per
 * tenant), which cap a tenant at a few tickets/s whatever the desk does. The bench measures the desk, so it
 * raises them (the sandbox does not throttle); --psa-rate-limits '' keeps the production defaults.
 */
const psaRateLimits = typeof opts['psa-rate-limits'] === 'string' ? opts['psa-rate-limits'] : 'connectwise=2000/2000,halopsa=2000/2000,autotask=2000/2000';
/** Per phase: after this the phase reports what finished (marked incomplete) instead of waiting on. */
const timeoutMs = num(opts, 'timeout-s', 600) * 1000;
const say = (s) => process.stdout.write(`${s}\n`);
const lat = (l) => `p50 ${fmt(l.p50, 0)} ms, p95 ${fmt(l.p95, 0)} ms, p99 ${fmt(l.p99, 0)} ms (max ${fmt(l.max, 0)} ms)`;
const progress = (label, created, done) => say(`  ${label}: ${created} created, ${done} with a first note`);

const result = { tickets, tickets_per_s: null, first_note_p50_ms: null, first_note_p95_ms: null, first_note_p99_ms: null,
  offered_rate_per_s: rate, offered_tickets: rateTickets, offered_p50_ms: null, offered_p95_ms: null, offered_p99_ms: null,
  floor_tickets_per_s: null, floor_p99_ms: null, hops, message_bytes: null, ratio: null,
  cpu_ms_per_ticket: null, cpu_ceiling_tickets_per_s: null, psa_rate_limits: psaRateLimits || 'defaults', loadavg: {} };
const loadNote = (phase) => { result.loadavg[phase] = load()[0]; return `(load average ${load().join(' ')})`; };

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
    desk = await startBenchDesk({ external: Boolean(opts.external), verbose: Boolean(opts.verbose), env: {
      ...(psaRateLimits ? { PSA_RATE_LIMITS: psaRateLimits } : {}),
      // --cpu-prof DIR: every desk process writes a V8 CPU profile there when it stops (open in Chrome DevTools).
      ...(typeof opts['cpu-prof'] === 'string' ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${opts['cpu-prof']}`.trim() } : {}),
    } });
    await registerCallback(desk);

    // A few tickets first: connections, JIT and vendor tokens warm, so the measured run is steady state.
    const w = await runPipeline(desk, { tickets: 20, concurrency: 4, label: 'warm-up', timeoutMs: 180_000, onProgress: progress });
    if (w.tickets === 0) throw new Error('warm-up: no ticket got a first PSA note within 180 s (is the pipeline complete?)');
    const meter = new CpuMeter({ rootPid: desk.pid, databaseUrl: desk.databaseUrl, appPrefix: desk.schemaPrefix || null });
    // The desk's background cost (pollers, timers, metrics, the warm-up tickets' remaining work), so a run's
    // CPU splits into background + per ticket.
    await new Promise((r) => setTimeout(r, 5_000));
    const idle0 = await meter.sample();
    await new Promise((r) => setTimeout(r, 10_000));
    const idle = cpuReport(CpuMeter.diff(idle0, await meter.sample()), 1, 10);
    const idleRate = idle.desk_busy_share * idle.cores;
    say(`background: the desk uses ${fmt(idleRate * 100, 0)} % of one core without new tickets ${loadNote('background')}`);
    say(`throughput: ${tickets} tickets… ${loadNote('throughput_start')}`);
    const [cpu0, m0, seq0] = [await meter.sample(), await scrape(desk.urls), await lastCallSeq(desk)];
    const phaseStarted = Date.now();
    const t = await runPipeline(desk, { tickets, concurrency, label: 'throughput', onProgress: progress, timeoutMs });
    const phaseEnded = Date.now();
    const [cpu1, m1] = [await meter.sample(), await scrape(desk.urls)];
    say(`  done ${loadNote('throughput_end')}`);
    Object.assign(result, { tickets_per_s: t.tickets_per_s, first_note_p50_ms: t.latency.p50, first_note_p95_ms: t.latency.p95, first_note_p99_ms: t.latency.p99,
      complete: t.complete, tickets_with_note: t.tickets });
    say(`pipeline: ${t.tickets} tickets in ${fmt(t.seconds)} s → ${fmt(t.tickets_per_s)} tickets/s; webhook → first note ${lat(t.latency)}`);
    if (!t.complete) say(`  incomplete: ${t.tickets} of ${t.created} created tickets had a first note after ${timeoutMs / 1000} s (figures cover those)`);
    // CPU spent until every ticket had its first note includes the rest of their journey started meanwhile
    // (knowledge, executor, verifier, further PSA writes): the desk's whole cost per ticket, as in production.
    const phaseS = (phaseEnded - phaseStarted) / 1000;
    // Every created ticket was being worked on during the phase (an incomplete run included), so CPU is per
    // created ticket; a background still busy with the warm-up can exceed a short run's average (then n/a).
    const c = cpuReport(CpuMeter.diff(cpu0, cpu1), t.created, phaseS);
    const marginal = ((c.per_ticket_ms * t.created) / 1000 - idleRate * phaseS) / Math.max(1, t.created) * 1000;
    const perTicket = marginal > 0 ? marginal : c.per_ticket_ms;
    Object.assign(result, { cpu_ms_per_ticket: perTicket, cpu_ceiling_tickets_per_s: ((c.cores - (marginal > 0 ? idleRate : 0)) * 1000) / perTicket });
    say(`cpu: ${fmt(c.per_ticket_ms)} ms per created ticket in all, ${marginal > 0 ? fmt(marginal) : 'n/a'} ms beyond the background → at most ${fmt(result.cpu_ceiling_tickets_per_s)} tickets/s on ${c.cores} idle cores`);
    say(`  the desk used ${fmt(c.desk_busy_share * 100, 0)} % of the cores during the run, the whole machine ${fmt((c.machine_busy_share ?? NaN) * 100, 0)} %`);
    for (const r of c.rows) say(`  ${r.process.padEnd(12)} ${fmt(r.cpu_s)} s  ${fmt(r.per_ticket_ms, 2)} ms/ticket`);
    say('handler and vendor-call time (mean, from /metrics):');
    for (const d of durations(m0, m1).slice(0, 14)) say(`  ${d.what.padEnd(60)} n=${String(d.n).padStart(6)}  ${fmt(d.mean_ms)} ms`);
    say('vendor calls per created ticket (sandbox call log, whole journeys so far):');
    for (const m of (await callMix(desk, seq0)).slice(0, 16)) say(`  ${m.what.padEnd(60)} ${fmt(m.n / Math.max(1, t.created), 2)}`);
    if (!opts['no-breakdown']) {
      say('where the time goes, webhook → first note (ms):');
      for (const b of await stageBreakdown(desk, t.ids)) {
        say(`  ${b.stage.padEnd(72)} n=${String(b.n).padStart(5)}  p50 ${fmt(b.p50, 0).padStart(6)}  p95 ${fmt(b.p95, 0).padStart(6)}  p99 ${fmt(b.p99, 0).padStart(6)}  mean ${fmt(b.mean, 0)}`);
      }
    }
    if (rateTickets > 0) {
      say(`offered load: ${rateTickets} tickets at ${rate}/s… ${loadNote('offered')}`);
      const o = await runPipeline(desk, { tickets: rateTickets, ratePerS: rate, label: 'offered', onProgress: progress, timeoutMs });
      Object.assign(result, { offered_p50_ms: o.latency.p50, offered_p95_ms: o.latency.p95, offered_p99_ms: o.latency.p99 });
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
  say(`floor: ${tickets} messages of ${messageBytes} bytes through ${hops} hops… ${loadNote('floor')}`);
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
say(`load average at the end: ${load().join(' ')}`);
say(`RESULT ${JSON.stringify(result)}`);
