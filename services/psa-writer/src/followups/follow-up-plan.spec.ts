import { composeClosing, composeReminder, fireAt, onClientAnswer, planFollowUps } from './follow-up-plan';

// Tailspin's plant: Chicago, Mon–Fri 06:00–18:00 (a 12-hour business day).
const HOURS = { timezone: 'America/Chicago', days: [1, 2, 3, 4, 5], start: '06:00', end: '18:00' };
const POLICY = { reminderBusinessDays: [1, 3], closeAfterBusinessDays: 5 };

describe('follow-up timers', () => {
  it('reminds after 1 and 3 business days at the same local time, closes after 5', () => {
    const t = planFollowUps(new Date('2026-11-26T16:00:00Z'), HOURS, POLICY); // Thursday 10:00 CST
    expect(t.map((x) => [x.name, x.dueAt.toISOString()])).toEqual([
      ['reminder_1', '2026-11-27T16:00:00.000Z'], // Friday 10:00
      ['reminder_2', '2026-12-01T16:00:00.000Z'], // Tuesday 10:00 (weekend skipped)
      ['close', '2026-12-03T16:00:00.000Z'], // Thursday 10:00
    ]);
  });
  it('a wait that starts at night counts from the next opening', () => {
    const t = planFollowUps(new Date('2026-11-28T03:00:00Z'), HOURS, POLICY); // Friday 21:00 CST
    expect(t[0]!.dueAt.toISOString()).toBe('2026-12-01T12:00:00.000Z'); // Tuesday 06:00 = Monday's whole day used
  });
  it('refuses a close before the last reminder', () => {
    expect(() => planFollowUps(new Date(), HOURS, { reminderBusinessDays: [1, 3], closeAfterBusinessDays: 3 })).toThrow(/after the last reminder/);
  });
  it.each([
    ['due later: keeps its time', '2026-11-30T20:00:00Z', '2026-11-30T15:00:00Z', '2026-11-30T20:00:00.000Z'],
    ['due and open: now', '2026-11-30T14:00:00Z', '2026-11-30T15:00:00Z', '2026-11-30T15:00:00.000Z'],
    ['due during the night (catch-up): next opening', '2026-11-30T20:00:00Z', '2026-12-01T05:00:00Z', '2026-12-01T12:00:00.000Z'],
  ])('%s', (_n, due, now, expected) => expect(fireAt(HOURS, new Date(due), new Date(now)).toISOString()).toBe(expected));
  it('an answer stops the timers, or reopens a ticket the desk closed', () => {
    expect(onClientAnswer({ closedByDesk: false })).toBe('cancel_timers');
    expect(onClientAnswer({ closedByDesk: true })).toBe('reopen');
  });
  it('writes polite notes', () => {
    expect(composeReminder(1, 2, 'Kevin')).toMatch(/^Hi Kevin,[\s\S]*still waiting/);
    expect(composeReminder(2, 2, null)).toMatch(/^Hello,[\s\S]*close the ticket soon/);
    expect(composeClosing('Kevin')).toMatch(/closing this ticket[\s\S]*reopened/);
  });
});
