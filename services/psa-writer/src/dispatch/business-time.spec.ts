import { addBusinessMinutes, businessMinutesBetween, inWindow, toMinutes } from './business-time';
import { atRiskByClient, composeSlaPage, firstHumanResponse, slaStatus } from './sla';

const CHI = { timezone: 'America/Chicago', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' };
const at = (iso: string) => new Date(iso);

describe('business time', () => {
  it('reads the window in its own zone', () => {
    expect(inWindow(CHI, at('2026-11-30T14:00:00Z'))).toBe(true); // Mon 08:00 CST
    expect(inWindow(CHI, at('2026-11-30T13:59:00Z'))).toBe(false);
    expect(inWindow(CHI, at('2026-11-28T16:00:00Z'))).toBe(false); // Saturday
    expect(toMinutes('08:30')).toBe(510);
    expect(() => toMinutes('8h')).toThrow(/HH:MM/);
  });
  it('counts only working minutes across nights and weekends', () => {
    // Friday 17:30 CST → Monday 08:30 CST: 30 min Friday + 30 min Monday.
    expect(businessMinutesBetween(CHI, at('2026-11-27T23:30:00Z'), at('2026-11-30T14:30:00Z'))).toBe(60);
    expect(businessMinutesBetween(CHI, at('2026-11-30T15:00:00Z'), at('2026-11-30T15:00:00Z'))).toBe(0);
  });
  it('adds working minutes from the next opening', () => {
    // Friday 17:30 + 60 business minutes = Monday 08:30 CST.
    expect(addBusinessMinutes(CHI, at('2026-11-27T23:30:00Z'), 60).toISOString()).toBe('2026-11-30T14:30:00.000Z');
    // Saturday noon + 0 = Monday opening.
    expect(addBusinessMinutes(CHI, at('2026-11-28T18:00:00Z'), 0).toISOString()).toBe('2026-11-30T14:00:00.000Z');
    // One business day (600 min) from Monday 09:00 = Tuesday 09:00.
    expect(addBusinessMinutes(CHI, at('2026-11-30T15:00:00Z'), 600).toISOString()).toBe('2026-12-01T15:00:00.000Z');
  });
  it('follows the wall clock over a DST change', () => {
    // Sunday 2026-03-08 clocks go forward: Monday 08:01 CDT is 13:01Z (it was 14:01Z the week before).
    expect(addBusinessMinutes(CHI, at('2026-03-07T00:00:00Z'), 1).toISOString()).toBe('2026-03-09T13:01:00.000Z'); // Fri 18:00 CST + 1 min
  });
  it('refuses a window with no working days', () => {
    expect(() => addBusinessMinutes({ ...CHI, days: [] }, at('2026-11-30T15:00:00Z'), 1)).toThrow(/never opens/);
  });
});

describe('first-response SLA', () => {
  const policy = { firstResponseMinutes: 60, warnAt: 0.75 };
  const t = { ticketId: 't1', clientIdentifier: 'ContosoDental', receivedAt: at('2026-11-30T15:00:00Z'), respondedAt: null, closed: false };
  it.each([
    ['2026-11-30T15:30:00Z', 'on_track'], ['2026-11-30T15:45:00Z', 'at_risk'], ['2026-11-30T16:00:00Z', 'breached'],
  ])('unanswered at %s → %s', (now, state) => expect(slaStatus(t, CHI, policy, at(now)).state).toBe(state));
  it('counts business time only: received Friday 17:50, still on track Saturday', () => {
    const fri = { ...t, receivedAt: at('2026-11-27T23:50:00Z') };
    const s = slaStatus(fri, CHI, policy, at('2026-11-28T20:00:00Z'));
    expect(s).toMatchObject({ state: 'on_track', usedMinutes: 10 });
    expect(s.dueAt.toISOString()).toBe('2026-11-30T14:50:00.000Z');
  });
  it('a response in time is met, a late one missed; both leave the at-risk count', () => {
    expect(slaStatus({ ...t, respondedAt: at('2026-11-30T15:20:00Z') }, CHI, policy, at('2026-11-30T18:00:00Z')).state).toBe('met');
    const late = slaStatus({ ...t, respondedAt: at('2026-11-30T16:30:00Z') }, CHI, policy, at('2026-11-30T18:00:00Z'));
    expect(late.state).toBe('missed');
    const now = at('2026-11-30T15:50:00Z');
    const counts = atRiskByClient([late, slaStatus(t, CHI, policy, now), slaStatus({ ...t, ticketId: 't2' }, CHI, policy, now)], ['ContosoDental', 'AlderBrooks']);
    expect(Object.fromEntries(counts)).toEqual({ ContosoDental: 2, AlderBrooks: 0 });
  });
});

describe('first human response and the page', () => {
  const humans = new Set(['jreyes', 'aokafor']);
  const received = at('2026-11-30T15:00:00Z');
  it('skips the automation, contacts and notes from before receipt', () => {
    const notes = [
      { createdBy: 'L1Agent', createdAt: '2026-11-30T15:00:05Z' }, { createdBy: 'contact:12', createdAt: '2026-11-30T15:05:00Z' },
      { createdBy: 'AOkafor', createdAt: '2026-11-30T15:40:00Z' }, { createdBy: 'jreyes', createdAt: '2026-11-30T15:30:00Z' },
      { createdBy: 'jreyes', createdAt: '2026-11-30T14:00:00Z' }, { createdBy: null, createdAt: '2026-11-30T15:01:00Z' },
    ];
    expect(firstHumanResponse(notes, humans, received)?.toISOString()).toBe('2026-11-30T15:30:00.000Z');
    expect(firstHumanResponse(notes.slice(0, 2), humans, received)).toBeNull();
  });
  it('says late or at risk with the numbers', () => {
    const s = slaStatus({ ticketId: 't', clientIdentifier: 'AlderBrooks', receivedAt: received, respondedAt: null, closed: false },
      CHI, { firstResponseMinutes: 60, warnAt: 0.75 }, at('2026-11-30T16:10:00Z'));
    const p = composeSlaPage(s, '1042', 60);
    expect(p.subject).toBe('First-response SLA missed: AlderBrooks ticket #1042');
    expect(p.body).toContain('after 70 of 60 business minutes');
  });
});
