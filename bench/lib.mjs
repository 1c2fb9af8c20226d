// Shared bench helpers: JetStream setup, percentiles, argument parsing.
import { jetstreamManager, AckPolicy, DeliverPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';

export const NANOS_PER_MS = 1_000_000;

/** `--name value` / `--flag` → { name: 'value', flag: true }; env BENCH_<NAME> as fallback. */
export function args(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[key] = true;
    else { out[key] = next; i++; }
  }
  return out;
}

export function num(opts, key, def) {
  const v = opts[key] ?? process.env[`BENCH_${key.toUpperCase().replace(/-/g, '_')}`];
  return v === undefined ? def : Number(v);
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(latenciesMs) {
  const s = [...latenciesMs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

/** A file-backed stream like the desk's (same storage and duplicate window). */
export async function ensureStream(nc, name, subjects) {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name, subjects, storage: StorageType.File, retention: RetentionPolicy.Limits,
    duplicate_window: 120_000 * NANOS_PER_MS, max_age: 3600_000 * NANOS_PER_MS,
  });
  return jsm;
}

/** A durable pull consumer configured like the desk transport's. */
export async function ensureConsumer(jsm, stream, durable, filter, ackWaitMs = 30_000) {
  await jsm.consumers.add(stream, {
    durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
    filter_subject: filter, ack_wait: ackWaitMs * NANOS_PER_MS, max_deliver: -1, max_ack_pending: 1000,
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function fmt(n, digits = 1) {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}
