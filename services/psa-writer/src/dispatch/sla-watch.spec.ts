import { slaWatchDecision, warnPoint, type SlaWatchMemory } from './sla-watch';

const CHI = { timezone: 'America/Chicago', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' };
const policy = { firstResponseMinutes: 60, warnAt: 0.75 };
const at = (iso: string) => new Date(iso);
// Friday 17:30 CST: 30 business minutes that evening, the rest from Monday 08:00.
const ticket = { ticketId: 't1', clientIdentifier: 'ContosoDental', receivedAt: at('2026-11-27T23:30:00Z') };
const fresh: SlaWatchMemory = { settledState: null, respondedAt: null, settledAt: null, nextCheckAt: null };
const MINUTE = 60_000;

describe('slaWatchDecision', () => {
  it('puts the warn point in business time: Friday evening + 45 business minutes = Monday 08:15', () => {
    expect(warnPoint(ticket.receivedAt, CHI, policy).toISOString()).toBe('2026-11-30T14:15:00.000Z');
  });

  it('does not read a ticket before its warn point (on track whatever the PSA says) and says when to look', () => {
    const d = slaWatchDecision(ticket, fresh, CHI, policy, at('2026-11-29T12:00:00Z')); // Sunday
    expect(d).toMatchObject({ fetch: false, status: { state: 'on_track' }, checkAt: at('2026-11-30T14:15:00Z') });
  });

  it('reads it once the warn point has come', () => {
    expect(slaWatchDecision(ticket, fresh, CHI, policy, at('2026-11-30T14:15:00Z'))).toEqual({ fetch: true });
    expect(slaWatchDecision(ticket, fresh, CHI, policy, at('2026-11-30T14:14:59Z')).fetch).toBe(false);
  });

  it('after a look, not again before the next check (at risk meanwhile, then late), within the tolerance', () => {
    const looked = { ...fresh, nextCheckAt: at('2026-11-30T14:21:00Z') };
    expect(slaWatchDecision(ticket, looked, CHI, policy, at('2026-11-30T14:20:00Z'))).toMatchObject({ fetch: false, status: { state: 'at_risk' }, checkAt: looked.nextCheckAt });
    expect(slaWatchDecision(ticket, looked, CHI, policy, at('2026-11-30T14:20:00Z'), 2 * MINUTE)).toEqual({ fetch: true });
    expect(slaWatchDecision(ticket, looked, CHI, policy, at('2026-11-30T14:21:00Z'))).toEqual({ fetch: true });
    const later = { ...fresh, nextCheckAt: at('2026-11-30T15:00:00Z') };
    expect(slaWatchDecision(ticket, later, CHI, policy, at('2026-11-30T14:40:00Z'))).toMatchObject({ fetch: false, status: { state: 'breached' } });
  });

  it('never reads a settled ticket again, and it no longer counts as needing attention', () => {
    const answered = { ...fresh, settledState: 'met' as const, respondedAt: at('2026-11-30T14:20:00Z'), settledAt: at('2026-11-30T14:21:00Z'), nextCheckAt: at('2026-11-30T14:22:00Z') };
    const d = slaWatchDecision(ticket, answered, CHI, policy, at('2026-12-02T12:00:00Z'));
    expect(d).toMatchObject({ fetch: false, checkAt: null, status: { state: 'met', usedMinutes: 50 } });
    const closedLate = { ...fresh, settledState: 'missed' as const, settledAt: at('2026-11-30T15:00:00Z') };
    expect(slaWatchDecision(ticket, closedLate, CHI, policy, at('2026-12-05T12:00:00Z'))).toMatchObject({ fetch: false, checkAt: null, status: { state: 'missed', usedMinutes: 90 } });
  });
});
