import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { PsaSystem } from '@desk/contracts';
import { WriteStore } from '../adapters/write-store';
import { STATUS } from '../domain/status-map';
import type { PlannedWrite, WriteOp } from '../domain/write-plan';
import type { WorkWindow } from '../dispatch/business-time';
import {
  REOPEN_NOTE, composeClosing, composeReminder, composeStatusUpdate, fireAt, onClientAnswer, planWaiting, type FollowUpPolicy, type WaitKind,
} from './follow-up-plan';

interface TimerRow {
  id: string;
  ticket_id: string;
  step: string;
  client_identifier: string;
  psa_system: PsaSystem | null;
  contact_name: string | null;
  reminders: number;
  due_at: Date;
  kind: WaitKind;
  detail: string | null;
}

/** The ledger of the transaction that fires a timer (lifecycle + audit); absent in bare tests. */
export interface TimerLedger {
  transition(ticketId: string, state: 'closed', reason: string): Promise<void>;
  audit(ticketId: string, entry: { actor: string; action: string; decision: string; why: string; evidence?: Record<string, unknown> }): Promise<unknown>;
}

export interface SchedulerDeps {
  /** The client's business hours and zone (null = unknown client: its timers wait). */
  hoursOf(client: string): WorkWindow | null;
  policyOf(client: string): FollowUpPolicy;
  clock(): Date;
  /** This replica's name (recorded on what it fires). */
  instance: string;
  /** Business minutes after which long-running work gets a status update (default 30 and 120). */
  progressMinutes?: number[];
  /** Runs a fire in a transaction with the ledger (the platform's unit of work); default a bare transaction. */
  transaction?<T>(fn: (tx: EntityManager, ledger: TimerLedger | null) => Promise<T>): Promise<T>;
}

export interface WaitingPeriod {
  ticketId: string;
  clientIdentifier: string;
  psaSystem: PsaSystem | null;
  contactName: string | null;
  since: Date;
  /** What the ticket waits for (default the client's answer). */
  kind?: WaitKind;
  /** Who or what is awaited (the approver, the running action), for the status updates. */
  detail?: string | null;
}

type Query = Pick<EntityManager, 'query'>;

/** Rows an UPDATE touched (TypeORM's postgres driver answers an UPDATE with [rows, count]). */
async function updated(q: Query, sql: string, params: unknown[]): Promise<number> {
  const res: unknown = await q.query(sql, params);
  return Array.isArray(res) && res.length === 2 && typeof res[1] === 'number' ? res[1] : 0;
}

/**
 * Durable follow-up timers in PostgreSQL. Firing a timer queues its PSA writes (notes, status) in
 * psa-writer's write queue in the same transaction that marks it fired: exactly once across replicas
 * (FOR UPDATE SKIP LOCKED), nothing lost on a crash (an uncommitted fire stays pending).
 */
export class FollowUpScheduler {
  constructor(private readonly ds: DataSource, private readonly deps: SchedulerDeps) {}

  /** The ticket now waits on the client (status "Waiting on Client" written): plan its reminders and close. */
  async startWaiting(q: Query, t: WaitingPeriod): Promise<number> {
    const hours = this.deps.hoursOf(t.clientIdentifier);
    if (!hours) throw new Error(`no business hours for client ${t.clientIdentifier}`);
    // A new waiting period replaces what is left of the previous one.
    await q.query(`UPDATE follow_up_timer SET status = 'cancelled' WHERE ticket_id = $1 AND status = 'pending'`, [t.ticketId]);
    const kind = t.kind ?? 'client';
    const timers = planWaiting(kind, t.since, hours, this.deps.policyOf(t.clientIdentifier), this.deps.progressMinutes ?? [30, 120]);
    const reminders = timers.filter((x) => x.step.kind === 'reminder').length;
    let n = 0;
    for (const x of timers) {
      const rows: unknown[] = await q.query(
        `INSERT INTO follow_up_timer (ticket_id, period, step, client_identifier, psa_system, contact_name, reminders, due_at, kind, detail)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (ticket_id, period, step) DO NOTHING RETURNING id`,
        [t.ticketId, `${kind}:${t.since.toISOString()}`, x.name, t.clientIdentifier, t.psaSystem, t.contactName, reminders, x.dueAt, kind, t.detail ?? null]);
      n += rows.length;
    }
    return n;
  }

  /** The client answered: stop the timers, or reopen the ticket the desk closed for lack of reply. */
  async answered(q: Query, ticketId: string): Promise<'cancelled' | 'reopened' | 'none'> {
    return this.settle(q, ticketId, { reopen: true });
  }

  /**
   * The wait is over (an answer, a resolution, an escalation, the work started): pending timers stop. If
   * the desk had closed the ticket for lack of reply and `reopen`, the reopen writes are queued once,
   * ordered at `sortAt` — before the writes of the event that settles it (queued in the same transaction).
   */
  async settle(q: Query, ticketId: string, o: { reopen: boolean; sortAt?: string }): Promise<'cancelled' | 'reopened' | 'none'> {
    const closed: Array<{ id: string; client_identifier: string; psa_system: PsaSystem | null }> = await q.query(
      `SELECT id, client_identifier, psa_system FROM follow_up_timer WHERE ticket_id = $1 AND step = 'close' AND status = 'fired' ORDER BY fired_at DESC LIMIT 1`, [ticketId]);
    const c = closed[0];
    if (c && !o.reopen) {
      // Settled without reopening (e.g. resolved after the close): a later answer starts from here.
      await q.query(`UPDATE follow_up_timer SET status = 'settled' WHERE id = $1 AND status = 'fired'`, [c.id]);
    } else if (onClientAnswer({ closedByDesk: c !== undefined }) === 'reopen' && c) {
      // Marked first: a second answer does not reopen twice.
      if ((await updated(q, `UPDATE follow_up_timer SET status = 'reopened' WHERE id = $1 AND status = 'fired'`, [c.id])) === 0) return 'none';
      await this.queue(q, `followup:${c.id}:reopen`, ticketId, c.client_identifier, c.psa_system, [
        { kind: 'status', status: STATUS.inProgress },
        { kind: 'note', text: REOPEN_NOTE, internal: true, resolution: false },
      ], o.sortAt);
      await q.query(`UPDATE follow_up_timer SET status = 'cancelled' WHERE ticket_id = $1 AND status = 'pending'`, [ticketId]);
      return 'reopened';
    }
    const n = await updated(q, `UPDATE follow_up_timer SET status = 'cancelled' WHERE ticket_id = $1 AND status = 'pending'`, [ticketId]);
    return n > 0 ? 'cancelled' : 'none';
  }

  /** Fires what is due now (inside the client's hours); returns how many fired. */
  async tick(limit = 50): Promise<number> {
    const now = this.deps.clock();
    const transaction = this.deps.transaction
      ? this.deps.transaction.bind(this.deps)
      : <T>(fn: (tx: EntityManager, ledger: TimerLedger | null) => Promise<T>) => this.ds.transaction((tx) => fn(tx, null));
    return transaction(async (tx, ledger) => {
      const due: TimerRow[] = await tx.query(
        `SELECT id, ticket_id, step, client_identifier, psa_system, contact_name, reminders, due_at, kind, detail FROM follow_up_timer
          WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`, [now, limit]);
      let fired = 0;
      for (const r of due) {
        const hours = this.deps.hoursOf(r.client_identifier);
        if (!hours) continue;
        const at = fireAt(hours, new Date(r.due_at), now);
        if (at.getTime() > now.getTime()) {
          // Due at night or on a weekend (after downtime): held to the client's next opening.
          await tx.query(`UPDATE follow_up_timer SET due_at = $2 WHERE id = $1`, [r.id, at]);
          continue;
        }
        await this.queue(tx, `followup:${r.id}`, r.ticket_id, r.client_identifier, r.psa_system, this.ops(r));
        await tx.query(`UPDATE follow_up_timer SET status = 'fired', fired_at = $2, fired_by = $3 WHERE id = $1`, [r.id, now, this.deps.instance]);
        if (ledger) await this.record(ledger, r);
        fired++;
      }
      return fired;
    });
  }

  private async record(ledger: TimerLedger, r: TimerRow): Promise<void> {
    const what = r.step === 'close' ? 'closed for lack of reply' : r.kind === 'client' ? `reminder ${r.step.replace('reminder_', '')} of ${r.reminders}` : `status update (${r.kind})`;
    await ledger.audit(r.ticket_id, {
      actor: 'psa-writer', action: 'follow_up', decision: r.step, why: `${what}, due ${new Date(r.due_at).toISOString()}, in the client's hours`,
      evidence: { kind: r.kind, step: r.step, client: r.client_identifier, instance: this.deps.instance },
    });
    if (r.step === 'close') await ledger.transition(r.ticket_id, 'closed', 'no reply from the user: closed with a note, reopens on an answer');
  }

  private ops(r: TimerRow): WriteOp[] {
    if (r.kind !== 'client') return [{ kind: 'note', text: composeStatusUpdate(r.kind, r.detail, r.contact_name), internal: false, resolution: false }];
    if (r.step === 'close') {
      return [
        { kind: 'note', text: composeClosing(r.contact_name), internal: false, resolution: true },
        { kind: 'status', status: STATUS.resolved },
      ];
    }
    const n = Number(r.step.replace('reminder_', ''));
    return [{ kind: 'note', text: composeReminder(n, r.reminders, r.contact_name), internal: false, resolution: false }];
  }

  private async queue(q: Query, key: string, ticketId: string, client: string, system: PsaSystem | null, ops: WriteOp[], at?: string): Promise<void> {
    const sortAt = at ?? this.deps.clock().toISOString();
    const writes: PlannedWrite[] = ops.map((op, i) => ({ key: `${key}:${op.kind}:${i}`, lane: ticketId, sortAt, opIndex: i, op }));
    await WriteStore.enqueue(q as EntityManager, { eventId: randomUUID(), ticketId }, client, system, null, writes);
  }
}
