// The raw JetStream floor: the same number of messages, of the same size, through the same number of
// hops (separate processes, durable pull consumers, explicit ack, publish with Nats-Msg-Id), with no
// handler work. What the pipeline can at best approach on this machine.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { ensureConsumer, ensureStream, sleep, summarize } from './lib.mjs';

const here = new URL('.', import.meta.url).pathname;

/**
 * @param {{ natsUrl: string, tickets: number, hops: number, bytes: number, concurrency: number, ratePerS?: number }} o
 * @returns {Promise<{ tickets_per_s: number, latency: ReturnType<typeof summarize>, seconds: number }>}
 */
export async function runFloor(o) {
  const id = randomBytes(4).toString('hex');
  const stream = `BENCH_FLOOR_${id}`;
  const subj = (i) => `bench${id}.h${i}`;
  const nc = await connect({ servers: o.natsUrl, name: 'bench-floor' });
  const jsm = await ensureStream(nc, stream, [`bench${id}.>`]);
  const js = jetstream(nc);
  const workers = [];
  try {
    // Hop i consumes subject i and publishes subject i+1; the bench itself consumes the last one.
    for (let i = 0; i <= o.hops; i++) await ensureConsumer(jsm, stream, `hop${i}`, subj(i));
    for (let i = 0; i < o.hops; i++) {
      const w = fork(`${here}floor-hop.mjs`, [], {
        env: { ...process.env, NATS_URL: o.natsUrl, STREAM: stream, IN: subj(i), OUT: subj(i + 1), DURABLE: `hop${i}`, CONCURRENCY: String(o.concurrency) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      workers.push(w);
      await new Promise((resolve, reject) => { w.once('message', resolve); w.once('exit', (c) => reject(new Error(`floor hop ${i} exited ${c}`))); });
    }
    const sent = new Map();
    const latencies = [];
    let firstSent = 0;
    let lastRecv = 0;
    const sink = await (await js.consumers.get(stream, `hop${o.hops}`)).consume({ max_messages: 256 });
    const done = (async () => {
      for await (const m of sink) {
        m.ack();
        const key = m.headers?.get('Nats-Msg-Id')?.split('.')[0];
        const t0 = sent.get(key);
        if (t0 !== undefined) {
          lastRecv = performance.now();
          latencies.push(lastRecv - t0);
          sent.delete(key);
          if (latencies.length >= o.tickets) break;
        }
      }
    })();
    const filler = 'x'.repeat(Math.max(0, o.bytes - 64));
    firstSent = performance.now();
    const inflight = [];
    for (let i = 0; i < o.tickets; i++) {
      const key = `${id}-${i}`;
      const body = new TextEncoder().encode(JSON.stringify({ key, filler }));
      if (o.ratePerS) {
        const due = firstSent + (i * 1000) / o.ratePerS;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
      sent.set(key, performance.now());
      inflight.push(js.publish(subj(0), body, { msgID: key }));
      if (inflight.length >= 256) await Promise.all(inflight.splice(0));
    }
    await Promise.all(inflight);
    const timeout = sleep(Math.max(60_000, o.tickets * 50)).then(() => { throw new Error(`floor: only ${latencies.length}/${o.tickets} arrived`); });
    await Promise.race([done, timeout]);
    await sink.close();
    const seconds = (lastRecv - firstSent) / 1000;
    return { tickets_per_s: o.tickets / seconds, latency: summarize(latencies), seconds };
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r() : w.once('exit', r)))));
    await jsm.streams.delete(stream).catch(() => false);
    await nc.close();
  }
}
