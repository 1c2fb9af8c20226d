import { currentOpening, localDate, previousClose } from '../dispatch/business-time';
import { buildMorningSummary, composeMorningMessage, type DigestTicket } from './morning-summary';
import { digestOf } from './ticket-digest';

// Contoso: Chicago, Mon–Fri 07:30–17:30.
const HOURS = { timezone: 'America/Chicago', days: [1, 2, 3, 4, 5], start: '07:30', end: '17:30' };
const at = (iso: string) => new Date(iso);

describe('the business day and the overnight window, in the client\'s zone', () => {
  it('opens at 07:30 local; before that and at weekends there is no business day', () => {
    expect(currentOpening(HOURS, at('2026-12-01T13:45:00Z'))?.toISOString()).toBe('2026-12-01T13:30:00.000Z'); // Tue 07:45 CST
    expect(currentOpening(HOURS, at('2026-12-01T13:00:00Z'))).toBeNull(); // Tue 07:00
    expect(currentOpening(HOURS, at('2026-11-28T16:00:00Z'))).toBeNull(); // Saturday
    expect(localDate(HOURS, at('2026-12-01T03:00:00Z'))).toBe('2026-11-30'); // Monday 21:00 CST
  });
  it('the window starts at the previous close: last evening, or Friday evening on a Monday', () => {
    expect(previousClose(HOURS, at('2026-12-01T13:30:00Z')).toISOString()).toBe('2026-11-30T23:30:00.000Z'); // Mon 17:30 CST
    expect(previousClose(HOURS, at('2026-11-30T13:30:00Z')).toISOString()).toBe('2026-11-27T23:30:00.000Z'); // Fri 17:30 CST
  });
});

describe('the morning queue', () => {
  const base = { summary: 'x', psaNumber: null, detail: null };
  const tickets: DigestTicket[] = [
    { ...base, ticketId: 'a', summary: 'Printer offline', psaNumber: '101', receivedAt: at('2026-12-01T02:00:00Z'), priorityLevel: 3, state: 'resolved' },
    { ...base, ticketId: 'b', summary: 'Server down', psaNumber: '102', receivedAt: at('2026-12-01T04:00:00Z'), priorityLevel: 1, state: 'escalated', detail: 'outage' },
    { ...base, ticketId: 'c', summary: 'Laptop cracked', psaNumber: '103', receivedAt: at('2026-12-01T01:00:00Z'), priorityLevel: 3, state: 'escalated' },
    { ...base, ticketId: 'd', summary: 'New monitor', psaNumber: '104', receivedAt: at('2026-11-30T23:40:00Z'), priorityLevel: 3, state: 'escalated' },
    { ...base, ticketId: 'e', summary: 'Reset password', receivedAt: at('2026-12-01T05:00:00Z'), priorityLevel: 3, state: 'waiting', detail: 'waiting for the user\'s identity verification' },
    { ...base, ticketId: 'f', summary: 'Install Zoom', receivedAt: at('2026-12-01T06:00:00Z'), priorityLevel: 4, state: 'in_progress' },
  ];
  const s = buildMorningSummary({
    client: 'ContosoDental', businessDay: '2026-12-01', windowStart: at('2026-11-30T23:30:00Z'), windowEnd: at('2026-12-01T13:30:00Z'), hours: HOURS, slaMinutes: 60, tickets,
  });

  it('sorts each section by priority, then by SLA due time (the oldest waits longest)', () => {
    expect(s.escalated.map((l) => l.ticketId)).toEqual(['b', 'd', 'c']);
    expect(s.waiting.map((l) => l.ticketId)).toEqual(['e', 'f']);
    expect(s.worked.map((l) => l.ticketId)).toEqual(['a']);
    // Everything that came in overnight has its first response due 60 business minutes after the opening.
    expect(s.escalated[0]!.slaDueAt).toBe('2026-12-01T14:30:00.000Z');
  });

  it('reads as a queue: counts first, technician work first, nothing internal', () => {
    const m = composeMorningMessage(s, 'Contoso Dental Group');
    expect(m.subject).toBe('Overnight at Contoso Dental Group (2026-12-01): 6 ticket(s) — 3 for a technician, 2 waiting, 1 resolved');
    const lines = m.body.split('\n');
    expect(lines.indexOf('For a technician first:')).toBeLessThan(lines.indexOf('Waiting:'));
    expect(lines.indexOf('Waiting:')).toBeLessThan(lines.indexOf('Resolved by the desk:'));
    expect(m.body).toContain('- P1 #102 Server down (outage); first response due 14:30 UTC');
    expect(m.body).toContain('- P3 no PSA number yet Reset password (waiting for the user\'s identity verification)');
    expect(m.body).not.toMatch(/\b[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});

describe('ticket state from pipeline events', () => {
  const evt = (type: string, payload: unknown) => ({ type, payload }) as never;
  it.each([
    ['desk.ticket.planned.v1', { stage: 'awaiting_approval' }, 'waiting'],
    ['desk.ticket.planned.v1', { stage: 'executing' }, 'in_progress'],
    ['desk.ticket.resolved.v1', {}, 'resolved'],
    ['desk.ticket.escalated.v1', { reasons: ['outage'], reason: 'out_of_scope', priorityLevel: 1 }, 'escalated'],
    ['desk.ticket.conversation.v1', { waitingOnClient: true }, 'waiting'],
  ])('%s %j → %s', (type, payload, state) => expect(digestOf(evt(type, payload))?.state).toBe(state));
  it('takes the priority from triage and escalation, and ignores what says nothing about the state', () => {
    expect(digestOf(evt('desk.ticket.triaged.v1', { triage: { priority: { level: 2 } } }))).toMatchObject({ state: 'in_progress', priorityLevel: 2 });
    expect(digestOf(evt('desk.ticket.runbook-resolved.v1', {}))).toBeNull();
    expect(digestOf(evt('desk.ticket.conversation.v1', { waitingOnClient: false }))).toBeNull();
  });
});
