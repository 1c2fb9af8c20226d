import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { PsaSystem } from '@desk/contracts';
import { WriteStore } from '../adapters/write-store';
import { STATUS } from '../domain/status-map';
import type { PlannedWrite, WriteOp } from '../domain/write-plan';
import type { WorkWindow } from '../dispatch/business-time';
import { REOPEN_NOTE, composeClosing, composeReminder, fireAt, onClientAnswer, planFollowUps, type FollowUpPolicy } from './follow-up-plan';

interface TimerRow {
  id: string;
  ticket_id: string;
  step: string;
  client_identifier: string;
  psa_system: PsaSystem | null;
  contact_name: string | null;
  reminders: number;
  due_at: Date;
}

export interface SchedulerDeps {
  /** The client's business hours and zone (null = unknown client: its timers wait). */
  hoursOf(client: string): WorkWindow | null;
  policyOf(client: string): FollowUpPolicy;
  clock(): Date;
  /** This replica's name (recorded on what it fires). */
  instance: string;
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
  async startWaiting(q: Query, t: { ticketId: string; clientIdentifier: string; psaSystem: PsaSystem | null; contactName: string | null; since: Date }): Promise<number> {
    const hours = this.deps.hoursOf(t.clientIdentifier);
    if (!hours) throw new Error(`no business hours for client ${t.clientIdentifier}`);
    // A new waiting period replaces what is left of the previous one.
    await q.query(`UPDATE follow_up_timer SET status = 'cancelled' WHERE ticket_id = $1 AND status = 'pending'`, [t.ticketId]);
    const timers = planFollowUps(t.since, hours, this.deps.policyOf(t.clientIdentifier));
    const reminders = timers.filter((x) => x.step.kind === 'reminder').length;
    let n = 0;
    for (const x of timers) {
      const rows: unknown[] = await q.query(
        `INSERT INTO follow_up_timer (ticket_id, period, step, client_identifier, psa_system, contact_name, reminders, due_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (ticket_id, period, step) DO NOTHING RETURNING id`,
        [t.ticketId, t.since.toISOString(), x.name, t.clientIdentifier, t.psaSystem, t.contactName, reminders, x.dueAt]);
      n += rows.length;
    }
    return n;
  }

  /** The client answered: stop the timers, or reopen the ticket the desk closed for lack of reply. */
  async answered(q: Query, ticketId: string): Promise<'cancelled' | 'reopened' | 'none'> {
    const closed: Array<{ id: string; client_identifier: string; psa_system: PsaSystem | null }> = await q.query(
      `SELECT id, client_identifier, psa_system FROM follow_up_timer WHERE ticket_id = $1 AND step = 'close' AND status = 'fired' ORDER BY fired_at DESC LIMIT 1`, [ticketId]);
    const c = closed[0];
    if (onClientAnswer({ closedByDesk: c !== undefined }) === 'reopen' && c) {
      // Marked first: a second answer does not reopen twice.
      if ((await updated(q, `UPDATE follow_up_timer SET status = 'reopened' WHERE id = $1 AND status = 'fired'`, [c.id])) === 0) return 'none';
      await this.queue(q, `followup:${c.id}:reopen`, ticketId, c.client_identifier, c.psa_system, [
        { kind: 'status', status: STATUS.inProgress },
        { kind: 'note', text: REOPEN_NOTE, internal: true, resolution: false },
      ]);
      return 'reopened';
    }
    const n = await updated(q, `UPDATE follow_up_timer SET status = 'cancelled' WHERE ticket_id = $1 AND status = 'pending'`, [ticketId]);
    return n > 0 ? 'cancelled' : 'none';
  }

  /** Fires what is due now (inside the client's hours); returns how many fired. */
  async tick(limit = 50): Promise<number> {
    const now = this.deps.clock();
    return this.ds.transaction(async (tx) => {
      const due: TimerRow[] = await tx.query(
        `SELECT id, ticket_id, step, client_identifier, psa_system, contact_name, reminders, due_at FROM follow_up_timer
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
        fired++;
      }
      return fired;
    });
  }

  private ops(r: TimerRow): WriteOp[] {
    if (r.step === 'close') {
      return [
        { kind: 'note', text: composeClosing(r.contact_name), internal: false, resolution: true },
        { kind: 'status', status: STATUS.resolved },
      ];
    }
    const n = Number(r.step.replace('reminder_', ''));
    return [{ kind: 'note', text: composeReminder(n, r.reminders, r.contact_name), internal: false, resolution: false }];
  }

  private async queue(q: Query, key: string, ticketId: string, client: string, system: PsaSystem | null, ops: WriteOp[]): Promise<void> {
    const sortAt = this.deps.clock().toISOString();
    const writes: PlannedWrite[] = ops.map((op, i) => ({ key: `${key}:${op.kind}:${i}`, lane: ticketId, sortAt, opIndex: i, op }));
    await WriteStore.enqueue(q as EntityManager, { eventId: randomUUID(), ticketId }, client, system, null, writes);
  }
}
