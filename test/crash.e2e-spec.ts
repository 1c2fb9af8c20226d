/**
 * Crash test: while 200 tickets are in flight, one service process is SIGKILLed and restarted.
 * Every ticket must still reach exactly one settled state, no PSA note may be written twice, and
 * nothing may be dead-lettered. CRASH_VICTIM picks the service (default psa-writer, the one whose
 * vendor writes must not repeat); CRASH_TICKETS the number of tickets.
 */
import { FINAL_STATES } from '@desk/platform';
import { DeskProcesses, SERVICE_NAMES, ServiceName, ROOT, startDesk } from './support/desk-processes';
import { createCwTicket, cwTicketTemplates, registerIntakeCallback } from './support/sandbox-cw';

const TICKETS = Number(process.env.CRASH_TICKETS ?? 200);
const VICTIM = (process.env.CRASH_VICTIM ?? 'psa-writer') as ServiceName;
/** Where a ticket rests when the desk has nothing more to do on its own (it waits for a person or is done). */
const SETTLED = [...FINAL_STATES, 'awaiting_verification', 'awaiting_approval', 'waiting_on_client', 'proposed'];

let desk: DeskProcesses;

beforeAll(async () => {
  // A short ack wait: messages the killed process held are redelivered within seconds.
  desk = await startDesk({ env: { DESK_ACK_WAIT_MS: '5000' } });
  await registerIntakeCallback(desk.sandboxUrl, desk.urls.intake);
}, 240_000);

afterAll(async () => {
  await desk?.stop();
}, 120_000);

async function poll<T>(fn: () => Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

test(`${TICKETS} tickets survive a SIGKILL of ${VICTIM}`, async () => {
  const ledger = desk.schema('desk_ledger');
  const templates = cwTicketTemplates(ROOT);
  let next = 0;
  const creators = Array.from({ length: 8 }, async () => {
    for (let i = next++; i < TICKETS; i = next++) await createCwTicket(desk.sandboxUrl, templates[i % templates.length]!);
  });

  // Kill while tickets are moving: once a quarter of them reached the desk.
  await poll(async () => {
    const [r] = await desk.query<{ n: string }>(`SELECT count(DISTINCT ticket_id) AS n FROM "${ledger}".ticket_transition`);
    return Number(r!.n) >= TICKETS / 4 ? true : null;
  }, 180_000, 'first quarter of the tickets received');
  await desk.kill(VICTIM, 'SIGKILL');
  await Promise.all(creators);
  await desk.restart(VICTIM);

  const settled = await poll(async () => {
    const rows = await desk.query<{ ticket_id: string; state: string }>(`SELECT ticket_id, state FROM "${ledger}".ticket_state`);
    const received = await desk.query<{ n: string }>(`SELECT count(DISTINCT ticket_id) AS n FROM "${ledger}".ticket_transition WHERE state = 'received'`);
    if (Number(received[0]!.n) < TICKETS) return null;
    return rows.every((r) => SETTLED.includes(r.state)) ? rows : null;
  }, 600_000, `all ${TICKETS} tickets settled`).catch((e: unknown) => {
    throw new Error(`${String(e)}\n--- ${VICTIM} log ---\n${desk.logs(VICTIM, 40)}`);
  });
  expect(settled.length).toBe(TICKETS);

  // Exactly one final outcome per ticket: never resolved and escalated, never resolved twice.
  const outcomes = await desk.query<{ ticket_id: string; n: string }>(
    `SELECT ticket_id, count(*) AS n FROM "${ledger}".ticket_transition WHERE state IN ('resolved', 'escalated') GROUP BY ticket_id HAVING count(*) > 1`);
  expect(outcomes).toEqual([]);

  // No note written twice on one PSA ticket.
  const dupNotes = await desk.query<{ path: string; text: string; n: string }>(
    `SELECT path, body->>'text' AS text, count(*) AS n FROM "${desk.schema('sandbox')}".calls
      WHERE method = 'POST' AND path ~ '/service/tickets/[0-9]+/notes$' AND status BETWEEN 200 AND 299
      GROUP BY path, body->>'text' HAVING count(*) > 1`);
  expect(dupNotes).toEqual([]);

  // Nothing dead-lettered anywhere.
  for (const s of SERVICE_NAMES) {
    const [r] = await desk.query<{ n: string }>(`SELECT count(*) AS n FROM "${desk.schema(s)}".dead_letter`);
    expect({ service: s, deadLetters: Number(r!.n) }).toEqual({ service: s, deadLetters: 0 });
  }
}, 900_000);
