import { randomUUID } from 'node:crypto';
import { Envelope, PayloadInput, RunbookResolvedV1, Subjects, TicketReplyV1, makeEvent } from '@desk/contracts';
import type { DeskApp } from '@desk/platform';
import { cleanup, isolatedEnv, query, startApp, waitFor } from '../../../libs/platform/test/helpers';
import { startTestSandbox } from '../../../sandbox/test/sandbox-harness';
import { startSmtpSandbox } from '../../../sandbox/src/vendors/smtp/smtp-sandbox';
import { ExecutorModule } from '../src/executor.module';
import { VerifierModule } from '../../verifier/src/verifier.module';
import { runbookFor, ticketOf, TicketSpec } from './support/world';

/**
 * The executor and the verifier, in-process, against the real NATS, PostgreSQL and the vendor sandbox
 * (Graph, NinjaOne, Datto, Twilio). Every vendor call lands in the sandbox's call log.
 */
export interface Harness {
  executor: DeskApp;
  verifier: DeskApp;
  sandboxUrl: string;
  ledger: string;
  executorSchema: string;
  stop(): Promise<void>;
}

export interface CallRecord { seq: number; vendor: string; method: string; path: string; status: number; body: unknown; principal: string | null }
export interface OutboxMessage { channel: string; to: string; body: string; at: string }

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const sandbox = await startTestSandbox();
  process.env.SANDBOX_URL = sandbox.url;
  // The sandbox's mail relay on a free port; the desk configuration reads SANDBOX_SMTP_PORT.
  const smtp = await startSmtpSandbox(sandbox.ctx, { port: 0 });
  process.env.SANDBOX_SMTP_PORT = String(smtp.port);
  const iso = isolatedEnv({
    EXECUTOR_TICK_MS: '200', EXECUTOR_RETRY_DELAY_MS: '100', VERIFY_WORKER_MS: '100', VERIFY_POLL_BASE_MS: '100',
    VERIFY_IDENTITY_DEADLINE_MS: '8000', VERIFY_RMM_DEADLINE_MS: '15000', DESK_MAX_DELIVER: '5', ...env,
  });
  const executor = await startApp('executor', ExecutorModule);
  const verifier = await startApp('verifier', VerifierModule);
  return {
    executor, verifier, sandboxUrl: sandbox.url,
    ledger: `${iso.schemaPrefix}desk_ledger`, executorSchema: `${iso.schemaPrefix}executor`,
    stop: async () => {
      await verifier.close();
      await executor.close();
      await cleanup(iso);
      await smtp.close();
      await sandbox.stop();
    },
  };
}

export async function admin<T>(h: Harness, path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const res = await fetch(`${h.sandboxUrl}/admin${path}`, {
    method: init?.method ?? 'GET', headers: { 'content-type': 'application/json' }, body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

export async function calls(h: Harness, sinceSeq = 0): Promise<CallRecord[]> {
  const r = await admin<CallRecord[] | { calls: CallRecord[] }>(h, `/calls?sinceSeq=${sinceSeq}`);
  return Array.isArray(r) ? r : r.calls;
}

export async function lastSeq(h: Harness): Promise<number> {
  const all = await calls(h);
  return all.length ? all[all.length - 1]!.seq : 0;
}

export async function outbox(h: Harness): Promise<OutboxMessage[]> {
  const r = await admin<OutboxMessage[] | { messages: OutboxMessage[] }>(h, '/outbox');
  return Array.isArray(r) ? r : r.messages;
}

/** Calls that change something at a vendor (token requests and reads excluded; Autotask reads are POST …/query). */
export function mutations(cs: CallRecord[]): CallRecord[] {
  return cs.filter((c) => c.principal !== 'webhook-delivery' && c.method !== 'GET' && !/token|oauth|\/login\/|\/query$/i.test(c.path) && c.vendor !== 'twilio' && c.vendor !== 'smtp');
}

export function resolvedEvent(spec: TicketSpec, ticketId = randomUUID()): Envelope<RunbookResolvedV1> {
  const { ticket, triage } = ticketOf(spec);
  ticket.receivedAt = new Date().toISOString();
  const payload: PayloadInput<typeof Subjects.runbookResolved> = { ticket, triage, runbook: runbookFor(spec.client, spec.category) };
  return makeEvent(Subjects.runbookResolved, { ticketId, mspClientId: spec.client, correlationId: ticketId }, payload) as Envelope<RunbookResolvedV1>;
}

export async function publishEnvelope(h: Harness, evt: Envelope<RunbookResolvedV1>): Promise<void> {
  await h.executor.core.uow.run((ctx) => ctx.publishEnvelope(Subjects.runbookResolved, evt));
}

export async function reply(h: Harness, ticketId: string, client: string, r: Partial<TicketReplyV1>): Promise<void> {
  const payload: PayloadInput<typeof Subjects.ticketReply> = {
    psa: null, channel: 'email', kind: 'message', fromEmail: null, fromPhone: null, fromMember: null, body: '', status: null,
    receivedAt: new Date().toISOString(), ...r,
  };
  await h.executor.core.uow.run((ctx) => ctx.publish(Subjects.ticketReply, { ticketId, mspClientId: client, correlationId: ticketId }, payload));
}

export async function stateOf(h: Harness, ticketId: string): Promise<string | null> {
  const rows = await query<{ state: string }>(`SELECT state FROM "${h.ledger}".ticket_state WHERE ticket_id = $1`, [ticketId]);
  return rows[0]?.state ?? null;
}

export async function waitState(h: Harness, ticketId: string, states: string[], ms = 30_000): Promise<string> {
  return waitFor(async () => {
    const s = await stateOf(h, ticketId);
    return s && states.includes(s) ? s : null;
  }, ms, `ticket ${ticketId} in ${states.join('/')}`);
}

export async function lastReason(h: Harness, ticketId: string): Promise<string> {
  const rows = await query<{ reason: string | null }>(`SELECT reason FROM "${h.ledger}".ticket_state WHERE ticket_id = $1`, [ticketId]);
  return rows[0]?.reason ?? '';
}

/** The code the sandbox's SMS outbox holds for this number (digits compared), newest first. */
export async function codeSentTo(h: Harness, mobile: string, after: string): Promise<string> {
  const digits = mobile.replace(/\D/g, '');
  return waitFor(async () => {
    const msgs = (await outbox(h)).filter((m) => m.channel === 'sms' && m.to.replace(/\D/g, '').endsWith(digits.slice(-7)) && m.at >= after);
    const hit = msgs.reverse().map((m) => /verification code is (\d{6})/.exec(m.body)?.[1]).find((c) => c);
    return hit ?? null;
  }, 15_000, `code SMS to ${mobile}`);
}
