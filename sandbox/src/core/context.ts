import type { Router } from 'express';
import type { World } from './world';

/**
 * What every vendor module of the sandbox receives. Vendor modules live in `src/vendors/<vendor>/`
 * and export `mount<Vendor>(ctx: SandboxContext): Router`; `src/vendors/index.ts` lists them with
 * their URL prefix (e.g. `/cw/v4_6_release/apis/3.0`, `/graph/v1.0`).
 */
export interface SandboxContext {
  /** The demo world as loaded from seed/demo-msp (read-only; state changes go to `store`). */
  world: World;
  store: SandboxStore;
  calls: CallLog;
  faults: Faults;
  outbox: Outbox;
  /** Public base URL of this sandbox (for links, callbacks, key_url). */
  baseUrl: string;
  /** Sends a vendor webhook (PSA callbacks, SMS status callbacks...) and records it in the call log. */
  deliverWebhook(input: { vendor: string; url: string; headers: Record<string, string>; body: string }): Promise<void>;
}

/** PostgreSQL-backed state (schema `sandbox`): one JSON document per (kind, id), scoped by client. */
export interface SandboxStore {
  get<T>(kind: string, id: string): Promise<T | null>;
  /** Filter on top-level JSON fields (equality), optional client scope, stable order by numeric id then id. */
  list<T>(kind: string, opts?: { client?: string | null; where?: Record<string, unknown>; limit?: number; offset?: number }): Promise<T[]>;
  count(kind: string, opts?: { client?: string | null; where?: Record<string, unknown> }): Promise<number>;
  put<T>(kind: string, id: string, doc: T, client?: string | null): Promise<T>;
  /** Shallow-merges `patch` into the stored document; returns the new document (null if absent). */
  patch<T>(kind: string, id: string, patch: Partial<T>): Promise<T | null>;
  delete(kind: string, id: string): Promise<boolean>;
  /** Monotonic integer ids per kind (ticket ids, note ids...). */
  nextId(kind: string): Promise<number>;
  /**
   * Back to the seed, fast (< 500 ms). Kinds marked with `keepOnReset` (webhook registrations) survive
   * unless `everything` is set. Also empties the call log (its seq keeps counting) and the outbox.
   */
  reset(opts?: { everything?: boolean }): Promise<void>;
  /** Marks a kind as vendor configuration that a reset keeps (see `reset`). */
  keepOnReset(kind: string): void;
}

export interface CallRecord {
  seq: number;
  at: string;
  vendor: string;
  method: string;
  path: string;
  status: number;
  /** Request body as JSON when it was JSON (secrets redacted by the vendor module where the vendor would not log them). */
  body: unknown;
  /** Credential/tenant the call was made with (client identifier or tenant), when known. */
  principal: string | null;
}

export interface CallLog {
  record(entry: Omit<CallRecord, 'seq' | 'at'>): Promise<void>;
  list(filter?: { vendor?: string; sinceSeq?: number; pathContains?: string; method?: string }): Promise<CallRecord[]>;
}

export type FaultKind = 'latency' | 'rate_limit' | 'server_error' | 'timeout';

export interface FaultRule {
  vendor: string;
  kind: FaultKind;
  /** For latency: added ms; for rate_limit: Retry-After seconds; for server_error: status (default 503). */
  value?: number;
  /** Apply to the next N requests only (null = until `untilMs`/cleared). */
  count?: number | null;
  /** Epoch ms when the rule lapses (null = until cleared). */
  until?: number | null;
  /** Only requests whose path contains this. */
  pathContains?: string | null;
  /** Only requests with this HTTP method (e.g. GET: reads fail while writes go through). */
  method?: string | null;
  /** Let the first N matching requests through untouched, then apply (e.g. the caller's own read passes, a later check fails). */
  skip?: number | null;
}

export interface Faults {
  add(rule: FaultRule): void;
  clear(vendor?: string): void;
  list(): FaultRule[];
  /** Express middleware applying the active rules of `vendor` (before auth). */
  middleware(vendor: string): import('express').RequestHandler;
}

export interface OutboxMessage {
  id: string;
  at: string;
  channel: 'sms' | 'email' | 'teams' | 'slack' | 'webhook';
  provider: string;
  to: string;
  from: string | null;
  subject: string | null;
  body: string;
  status: string;
  principal: string | null;
}

/** Every message a notify provider accepted (SMS, SMTP, Graph sendMail, Teams, Slack, paging). */
export interface Outbox {
  add(msg: Omit<OutboxMessage, 'id' | 'at'>): Promise<OutboxMessage>;
  list(filter?: { channel?: string; to?: string; since?: string }): Promise<OutboxMessage[]>;
}

export type VendorMount = (ctx: SandboxContext) => Router;
