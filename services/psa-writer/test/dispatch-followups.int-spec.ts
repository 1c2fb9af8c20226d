import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PsaWriterInit1764400000001 } from '../src/persistence/migrations/1764400000001-psa-writer-init';
import { FollowUpTimers1764500000001 } from '../src/followups/1764500000001-follow-up-timers';
import { FollowUpKinds1764600000003 } from '../src/followups/1764600000003-follow-up-kinds';
import { FollowUpScheduler } from '../src/followups/follow-up-scheduler';

/**
 * Durable follow-up timers on the real PostgreSQL: two scheduler replicas on one schema, time driven by
 * an injected clock. Every reminder queues its PSA note exactly once; a replica that dies mid-fire loses nothing.
 */
const schema = `fu_${process.pid}_${Date.now().toString(36)}`;
const pg = { type: 'postgres' as const, host: '127.0.0.1', port: 5432, username: 'postgres', database: 'test' };
const HOURS = { timezone: 'America/Chicago', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' };
let now = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Chicago
const replicas: FollowUpScheduler[] = [];
const pools: DataSource[] = [];

async function pool(): Promise<DataSource> {
  const ds = new DataSource({ ...pg, extra: { max: 4, options: `-c search_path=${schema},public` } });
  await ds.initialize();
  pools.push(ds);
  return ds;
}

beforeAll(async () => {
  const admin = await pool();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const qr = admin.createQueryRunner();
  await new PsaWriterInit1764400000001().up(qr);
  await new FollowUpTimers1764500000001().up(qr);
  await new FollowUpKinds1764600000003().up(qr);
  await qr.release();
  for (const name of ['replica-a', 'replica-b']) {
    replicas.push(new FollowUpScheduler(await pool(), {
      hoursOf: (c) => (c === 'ContosoDental' ? HOURS : null), policyOf: () => ({ reminderBusinessDays: [1, 3], closeAfterBusinessDays: 5 }),
      clock: () => now, instance: name,
    }));
  }
}, 30_000);

afterAll(async () => {
  await pools[0]?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await Promise.all(pools.map((p) => p.destroy()));
});

const q = (sql: string, params: unknown[] = []) => pools[0]!.query(sql, params);
const writes = async (ticketId: string) => (await q(`SELECT kind, payload FROM psa_write WHERE ticket_id = $1 ORDER BY id`, [ticketId])) as Array<{ kind: string; payload: { text?: string; status?: string } }>;
/** Both replicas tick at once, several times (what their poll loops do). */
const race = async () => (await Promise.all(Array.from({ length: 6 }, (_, i) => replicas[i % 2]!.tick()))).reduce((a, b) => a + b, 0);
const start = (ticketId: string, since: Date) => replicas[0]!.startWaiting(pools[0]!.manager, { ticketId, clientIdentifier: 'ContosoDental', psaSystem: 'connectwise', contactName: 'Kevin', since });

test('two replicas: reminder 1, reminder 2 and the close each fire once, at business times', async () => {
  const ticket = randomUUID();
  now = new Date('2026-11-30T16:00:00Z');
  expect(await start(ticket, now)).toBe(3);
  expect(await race()).toBe(0);
  now = new Date('2026-12-01T15:59:00Z'); // a minute before one business day
  expect(await race()).toBe(0);
  now = new Date('2026-12-01T16:00:00Z');
  expect(await race()).toBe(1);
  expect(await race()).toBe(0);
  now = new Date('2026-12-03T16:00:00Z'); // 3 business days
  expect(await race()).toBe(1);
  now = new Date('2026-12-07T16:00:00Z'); // Monday: 5 business days (weekend skipped)
  expect(await race()).toBe(1);
  const w = await writes(ticket);
  expect(w.map((x) => x.kind)).toEqual(['note', 'note', 'note', 'status']);
  expect(w[0]!.payload.text).toMatch(/still waiting/);
  expect(w[1]!.payload.text).toMatch(/close the ticket soon/);
  expect(w[2]!.payload.text).toMatch(/closing this ticket/);
  expect(w[3]!.payload.status).toBe('Resolved');
  const fired = await q(`SELECT step, fired_by FROM follow_up_timer WHERE ticket_id = $1 AND status = 'fired'`, [ticket]) as Array<{ step: string }>;
  expect(fired.map((f) => f.step).sort()).toEqual(['close', 'reminder_1', 'reminder_2']);
}, 30_000);

test('many tickets due together: each fires once across the two replicas', async () => {
  now = new Date('2026-11-30T16:00:00Z');
  const tickets = Array.from({ length: 40 }, () => randomUUID());
  for (const t of tickets) await start(t, now);
  now = new Date('2026-12-01T16:30:00Z');
  expect(await race()).toBe(40);
  const counts = await q(`SELECT ticket_id, count(*)::int AS n FROM psa_write WHERE ticket_id = ANY($1::uuid[]) GROUP BY ticket_id`, [tickets]) as Array<{ n: number }>;
  expect(counts).toHaveLength(40);
  expect(counts.every((c) => c.n === 1)).toBe(true);
}, 30_000);

test('due at night after downtime: held to the next opening, never sent at night', async () => {
  const ticket = randomUUID();
  await start(ticket, new Date('2026-11-30T16:00:00Z'));
  now = new Date('2026-12-02T06:00:00Z'); // Wednesday 00:00 in Chicago: reminder 1 is overdue
  expect(await race()).toBe(0);
  expect(await writes(ticket)).toHaveLength(0);
  now = new Date('2026-12-02T14:00:00Z'); // Wednesday 08:00
  expect(await race()).toBe(1);
}, 30_000);

test('a replica killed mid-fire: its claim rolls back and the other replica fires the reminder once', async () => {
  const ticket = randomUUID();
  await start(ticket, new Date('2026-11-30T16:00:00Z'));
  now = new Date('2026-12-01T16:00:00Z');
  // A replica holds the due row locked (it is mid-fire) when it dies.
  const dying = pools[0]!.createQueryRunner();
  await dying.connect();
  await dying.startTransaction();
  await dying.query(`SELECT id FROM follow_up_timer WHERE ticket_id = $1 AND step = 'reminder_1' FOR UPDATE`, [ticket]);
  await dying.query(`INSERT INTO psa_write (idempotency_key, lane, ticket_id, event_id, kind, payload, sort_at, op_index) VALUES ($1, $2, $3, $4, 'note', '{}', now(), 0)`,
    [`dying-${ticket}`, ticket, ticket, randomUUID()]);
  await race(); // the locked row is skipped, not fired a second time
  expect(await writes(ticket)).toHaveLength(0);
  const [{ pid }] = await dying.query('SELECT pg_backend_pid() AS pid') as Array<{ pid: number }>;
  await q('SELECT pg_terminate_backend($1)', [pid]);
  await dying.release().catch(() => undefined);
  await race();
  await race();
  const w = await writes(ticket);
  expect(w).toHaveLength(1); // the dead replica's uncommitted note is gone, the survivor's is there once
  expect(w[0]!.payload.text).toMatch(/still waiting/);
}, 30_000);

test('an answer stops the timers; an answer after the close reopens the ticket once', async () => {
  const a = randomUUID();
  await start(a, new Date('2026-11-30T16:00:00Z'));
  expect(await replicas[1]!.answered(pools[0]!.manager, a)).toBe('cancelled');
  expect(await replicas[1]!.answered(pools[0]!.manager, a)).toBe('none');
  now = new Date('2026-12-10T16:00:00Z');
  await race();
  expect(await writes(a)).toHaveLength(0);

  const b = randomUUID();
  now = new Date('2026-11-30T16:00:00Z');
  await start(b, now);
  now = new Date('2026-12-07T17:00:00Z');
  await race(); // the three timers, in order of due time
  expect((await writes(b)).at(-1)!.payload.status).toBe('Resolved');
  expect(await replicas[0]!.answered(pools[0]!.manager, b)).toBe('reopened');
  expect(await replicas[1]!.answered(pools[0]!.manager, b)).toBe('none');
  const w = await writes(b);
  expect(w.slice(-2).map((x) => x.payload.status ?? x.payload.text)).toEqual(['In Progress', expect.stringMatching(/reopened/)]);
}, 30_000);

test('a code or an approval gets reminders but no close; running work gets status updates in business minutes', async () => {
  const code = randomUUID();
  const work = randomUUID();
  now = new Date('2026-11-30T16:00:00Z');
  const base = { clientIdentifier: 'ContosoDental', psaSystem: 'connectwise' as const, contactName: 'Kevin', since: now };
  expect(await replicas[0]!.startWaiting(pools[0]!.manager, { ...base, ticketId: code, kind: 'approval', detail: 'Maria Gonzalez' })).toBe(2);
  expect(await replicas[0]!.startWaiting(pools[0]!.manager, { ...base, ticketId: work, kind: 'progress', detail: 'reinstall software' })).toBe(2);
  now = new Date('2026-11-30T16:30:00Z');
  expect(await race()).toBe(1); // the first status update on the running work
  now = new Date('2026-12-10T16:00:00Z');
  await race();
  const a = await writes(code);
  expect(a.map((x) => x.payload.text)).toEqual([expect.stringMatching(/written approval from Maria Gonzalez/), expect.stringMatching(/written approval/)]);
  const w = await writes(work);
  expect(w).toHaveLength(2);
  expect(w[0]!.payload.text).toMatch(/still working on your request \(reinstall software\)/);
}, 30_000);

test('settled by a resolution after the close: no reopen, and a later answer does not reopen either', async () => {
  const t = randomUUID();
  now = new Date('2026-11-30T16:00:00Z');
  await start(t, now);
  now = new Date('2026-12-07T17:00:00Z');
  await race();
  expect(await replicas[0]!.settle(pools[0]!.manager, t, { reopen: false })).toBe('none');
  expect(await replicas[1]!.answered(pools[0]!.manager, t)).toBe('none');
  expect((await writes(t)).filter((x) => x.payload.status === 'In Progress')).toHaveLength(0);
}, 30_000);
