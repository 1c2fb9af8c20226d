// One hop of the JetStream floor: the desk transport's messaging without any handler work.
// Pulls from IN (durable, explicit ack, same concurrency), publishes the same bytes to OUT with a
// Nats-Msg-Id, acks. Runs as its own process, like a service.
import { connect } from '@nats-io/transport-node';
import { headers } from '@nats-io/nats-core';
import { jetstream } from '@nats-io/jetstream';

const { NATS_URL = 'nats://127.0.0.1:4222', STREAM, OUT, DURABLE, CONCURRENCY = '32' } = process.env;
const nc = await connect({ servers: NATS_URL, name: DURABLE });
const js = jetstream(nc);
const consumer = await js.consumers.get(STREAM, DURABLE);
const limit = Number(CONCURRENCY);
const messages = await consumer.consume({ max_messages: limit });
let active = 0;
const waiters = [];
process.send?.('ready');
process.on('SIGTERM', () => { void messages.close().then(() => nc.drain()).then(() => process.exit(0)); });

for await (const m of messages) {
  if (active >= limit) await new Promise((r) => waiters.push(r));
  active++;
  void (async () => {
    try {
      const h = headers();
      if (m.headers?.has('traceparent')) h.set('traceparent', m.headers.get('traceparent'));
      const id = m.headers?.get('Nats-Msg-Id') ?? String(m.seq);
      m.ack();
      if (OUT) await js.publish(OUT, m.data, { msgID: `${id}.${OUT}`, headers: h });
    } finally {
      active--;
      waiters.shift()?.();
    }
  })();
}
