import { randomUUID } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { makeEvent, Subjects } from '@desk/contracts';
import { startDesk, type DeskProcesses, type Replica } from '../support/desk-processes';
import { PsaSandbox, type CreatedTicket } from './psa-sandbox';
import { until as waitUntil } from '../support/until';

/**
 * Follow-up timers with two replicas of psa-writer (the service that owns them), as real processes on one
 * schema, against the sandbox ConnectWise (issue 9, must-show 2): every reminder is one PSA note, never two;
 * after a SIGKILL of a replica in the middle of firing, and of both, no reminder is lost. The processes'
 * clock is the test's (DESK_CLOCK_FILE), moved forward — never slept.
 */
jest.setTimeout(900_000);

const CLIENT = 'ContosoDental';
const PEOPLE = ['elena.vasquez', 'raj.patel', 'maria.gonzalez', 'maria.chen', 'tyler.hanson', 'aisha.rahman', 'kevin.oneil', 'nora.feldman']
  .map((u) => `${u}@contoso-dental.example`);
const TICKETS = 16;
/** Monday 30 November 2026, 10:00 in Chicago (Contoso: Mon–Fri 07:30–17:30). */
const MONDAY = '2026-11-30T16:00:00.000Z';
const REMINDER_1 = '2026-12-01T16:00:00.000Z';
const REMINDER_2 = '2026-12-03T16:00:00.000Z';

let desk: DeskProcesses;
let second: Replica;
let psa: PsaSandbox;
let clockDir: string;
let clockFile: string;
const tickets: Array<{ deskId: string; psa: CreatedTicket }> = [];

const setClock = (iso: string) => {
  writeFileSync(`${clockFile}.tmp`, iso);
  renameSync(`${clockFile}.tmp`, clockFile);
};

const until = <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 180_000): Promise<T> =>
  waitUntil(what, probe, { timeoutMs, intervalMs: 400, logsOnTimeout: () => `--- psa-writer\n${desk.logs('psa-writer', 30)}\n--- replica 2\n${second?.logs(30)}` });

beforeAll(async () => {
  clockDir = mkdtempSync(join(tmpdir(), 'desk-clock-'));
  clockFile = join(clockDir, 'now');
  setClock(MONDAY);
  desk = await startDesk({
    services: ['psa-writer'],
    env: { DESK_CLOCK_FILE: clockFile, DESK_FOLLOWUP_POLL_MS: '200', DESK_SLA_POLL_MS: '0', DESK_DISPATCH_POLL_MS: '0' },
    readyTimeoutMs: 400_000,
  });
  second = await desk.addReplica('psa-writer');
  psa = new PsaSandbox(desk.sandboxUrl);
});

afterAll(async () => {
  await desk?.stop();
  rmSync(clockDir, { recursive: true, force: true });
});

/** Reminder notes on each ticket (customer notes the follow-up wrote). */
async function reminderCounts(): Promise<number[]> {
  return Promise.all(tickets.map(async (t) => (await psa.view(t.psa)).notes.filter((n) => !n.internal && /still waiting for your reply|not heard back yet/.test(n.text)).length));
}

test('two replicas: the desk waits on the client for 16 tickets; each reminder is written once', async () => {
  const nc = await connect({ servers: desk.env.NATS_URL! });
  try {
    const js = jetstream(nc);
    for (let i = 0; i < TICKETS; i++) {
      const email = PEOPLE[i % PEOPLE.length]!;
      const created = await psa.createTicket('connectwise', { company: CLIENT, contactEmail: email, summary: `VPN drops at the clinic (${i})`, description: 'The VPN keeps dropping.' });
      const deskId = randomUUID();
      tickets.push({ deskId, psa: created });
      // What the executor publishes when it sends guidance (the conversation stage's own event).
      const evt = makeEvent(Subjects.ticketConversation, { ticketId: deskId, mspClientId: CLIENT, correlationId: `replicas-${deskId}` }, {
        ticket: {
          channel: 'psa_webhook', psa: { system: 'connectwise', id: created.id, number: null }, clientIdentifier: CLIENT, summary: `VPN drops at the clinic (${i})`,
          description: 'The VPN keeps dropping.', fromEmail: email, fromName: null, receivedAt: new Date().toISOString(),
        },
        category: 'vpn_connectivity', turn: 'guidance', round: 1, customerMessage: 'Please try a phone hotspot and tell us whether it works.',
        internalNote: 'Guidance sent (test).', waitingOnClient: true, contactName: null,
      });
      await js.publish(desk.subject(Subjects.ticketConversation), JSON.stringify(evt), { msgID: evt.eventId });
    }
  } finally {
    await nc.close();
  }
  await until('every ticket "Waiting on Client"', async () => (await Promise.all(tickets.map((t) => psa.view(t.psa)))).every((v) => v.status === 'Waiting on Client'));
  expect(await reminderCounts()).toEqual(tickets.map(() => 0));

  setClock(REMINDER_1);
  await until('reminder 1 on every ticket', async () => (await reminderCounts()).every((n) => n >= 1));
  // Both replicas keep polling: nothing is written a second time.
  await new Promise((r) => setTimeout(r, 2000));
  expect(await reminderCounts()).toEqual(tickets.map(() => 1));
  const firedBy = await desk.query<{ fired_by: string; n: number }>(
    `SELECT fired_by, count(*)::int AS n FROM ${desk.schema('psa-writer')}.follow_up_timer WHERE step = 'reminder_1' AND status = 'fired' GROUP BY fired_by`);
  expect(firedBy.reduce((a, r) => a + r.n, 0)).toBe(TICKETS);
});

test('SIGKILL of a replica while reminders fire, then of both: after restart no reminder is lost or doubled', async () => {
  setClock(REMINDER_2);
  // One replica dies at once, the other a moment later (likely mid-fire or mid-write); then both come back.
  await second.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 150));
  await desk.kill('psa-writer', 'SIGKILL');
  await Promise.all([desk.restart('psa-writer'), second.restart()]);
  await until('reminder 2 on every ticket', async () => (await reminderCounts()).every((n) => n >= 2));
  await new Promise((r) => setTimeout(r, 2000));
  expect(await reminderCounts()).toEqual(tickets.map(() => 2));
  const timers = await desk.query<{ step: string; n: number }>(
    `SELECT step, count(*)::int AS n FROM ${desk.schema('psa-writer')}.follow_up_timer WHERE status = 'fired' GROUP BY step ORDER BY step`);
  expect(timers).toEqual([{ step: 'reminder_1', n: TICKETS }, { step: 'reminder_2', n: TICKETS }]);
});
