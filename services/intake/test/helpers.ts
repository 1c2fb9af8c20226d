import { createHash, createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in for ConnectWise's key_url endpoint (127.0.0.1 is an allowed key host in the sandbox config). */
export async function startKeyServer(signingKey: string): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ signing_key: signingKey }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v4_6_release/system/callbackkey/index.rails?companyName=harborline&id=k1`, hits: () => hits, close: () => new Promise((r) => server.close(() => r())) };
}

export function cwSign(signingKey: string, body: string): string {
  return createHmac('sha256', createHash('sha256').update(signingKey).digest()).update(body).digest('base64');
}

export function autotaskSign(secret: string, body: string): string {
  return 'sha1=' + createHmac('sha1', secret).update(body).digest('base64');
}

export function twilioSign(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params).sort().reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(data).digest('base64');
}

export function rfc822(opts: { from: string; subject: string; body: string; messageId: string; headers?: string[] }): string {
  return [`From: ${opts.from}`, 'To: help@harborline-it.example', `Subject: ${opts.subject}`, `Message-ID: ${opts.messageId}`, 'Date: Mon, 30 Nov 2026 15:00:00 +0000', ...(opts.headers ?? []), '', opts.body].join('\r\n');
}

/** Every message on `subject` (prefixed) currently in the run's stream, decoded (an ordered consumer from the start). */
export async function streamEvents(natsUrl: string, stream: string, subject: string): Promise<Array<{ ticketId: string; eventId: string; payload: Record<string, unknown> }>> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream, { subjects_filter: subject }).catch(() => null);
    const count = Object.values(info?.state.subjects ?? {}).reduce((a: number, b) => a + (b as number), 0);
    if (!count) return [];
    const consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: subject });
    const out: Array<{ ticketId: string; eventId: string; payload: Record<string, unknown> }> = [];
    const msgs = await consumer.fetch({ max_messages: count, expires: 2000 });
    for await (const m of msgs) {
      out.push(m.json());
      if (out.length >= count) break;
    }
    return out;
  } finally {
    await nc.close();
  }
}
