import { connect } from '@nats-io/transport-node';
import { headers as natsHeaders, NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, JetStreamClient, JetStreamManager, RetentionPolicy, StorageType, JetStreamApiError } from '@nats-io/jetstream';
import { RpcSchemas } from '@desk/contracts';
import { z } from 'zod';
import { PlatformEnv, streamName } from '../config/config';
import { currentTraceHeaders } from '../tracing/tracing';
import { decodeText, encodeJson } from './codec';

type RpcSubject = keyof typeof RpcSchemas;
type RpcRequest<S extends RpcSubject> = z.input<(typeof RpcSchemas)[S]['request']>;
type RpcReply<S extends RpcSubject> = z.infer<(typeof RpcSchemas)[S]['reply']>;

const NANOS_PER_MS = 1_000_000;
/** Server-side dedupe of `Nats-Msg-Id`: an outbox row re-published within this window is dropped by the server. */
export const DUPLICATE_WINDOW_MS = 120_000;
const STREAM_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

export class RpcError extends Error {}

/**
 * The service's one NATS connection: JetStream client/manager, the stream, and request/reply.
 * Every subject passes through `subject()` so a prefix isolates test runs.
 */
export class NatsConnectionService {
  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly env: PlatformEnv,
    readonly stream: string,
  ) {}

  static async connect(env: PlatformEnv, name: string): Promise<NatsConnectionService> {
    const nc = await connect({ servers: env.NATS_URL, name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
    const jsm = await jetstreamManager(nc);
    const svc = new NatsConnectionService(nc, jetstream(nc), jsm, env, streamName(env));
    await svc.ensureStream();
    return svc;
  }

  subject(s: string): string {
    return `${this.env.NATS_SUBJECT_PREFIX}${s}`;
  }

  /** Creates the stream, or brings an existing one to this configuration (idempotent, safe concurrently). */
  async ensureStream(): Promise<void> {
    const cfg = {
      name: this.stream,
      subjects: [this.subject('desk.>')],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: DUPLICATE_WINDOW_MS * NANOS_PER_MS,
      max_age: STREAM_MAX_AGE_MS * NANOS_PER_MS,
    };
    try {
      await this.jsm.streams.info(this.stream);
      await this.jsm.streams.update(this.stream, cfg);
    } catch (e) {
      if (!(e instanceof JetStreamApiError) || e.status !== 404) throw e;
      try {
        await this.jsm.streams.add(cfg);
      } catch (e2) {
        // Another process created it between our info and add.
        await this.jsm.streams.info(this.stream).catch(() => { throw e2; });
      }
    }
  }

  /** Core-NATS request with both sides validated; fails (RpcError) on timeout, no responder or a remote error. */
  async request<S extends RpcSubject>(subject: S, req: RpcRequest<S>, opts: { timeoutMs?: number } = {}): Promise<RpcReply<S>> {
    const schema = RpcSchemas[subject];
    const body = schema.request.parse(req);
    const h = natsHeaders();
    for (const [k, v] of Object.entries(currentTraceHeaders())) h.set(k, v);
    let text: string;
    try {
      const msg = await this.nc.request(this.subject(subject), encodeJson(body), { timeout: opts.timeoutMs ?? 5000, headers: h });
      text = decodeText(msg.data);
    } catch (e) {
      throw new RpcError(`${subject}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed && Object.keys(parsed).length === 1) {
      throw new RpcError(`${subject}: remote error: ${String((parsed as { error: unknown }).error)}`);
    }
    return schema.reply.parse(parsed) as RpcReply<S>;
  }

  /** True while connected (reconnecting counts as not ready). */
  healthy(): boolean {
    return !this.nc.isClosed() && !this.nc.isDraining() && this.nc.info !== undefined;
  }

  async rtt(): Promise<number> {
    return this.nc.rtt();
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}

