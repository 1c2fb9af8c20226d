import { shouldPage, withinBusinessHours } from './business-hours';
import { statusForStage } from './status-map';
import { nextAttemptDelayMs, parseRateLimits, TokenBucket } from './token-bucket';

describe('status mapping', () => {
  it.each([
    ['awaiting_verification', 'Waiting on Verification'], ['awaiting_approval', 'Awaiting Approval'], ['executing', 'In Progress'], ['proposed', null],
  ] as const)('%s → %s', (stage, status) => expect(statusForStage(stage)).toBe(status));
});

describe('business hours and paging', () => {
  const contoso = { timezone: 'America/Chicago', days: [1, 2, 3, 4, 5], start: '07:30', end: '17:30' };
  it('uses the client\'s time zone', () => {
    expect(withinBusinessHours(contoso, new Date('2026-11-30T15:00:00Z'))).toBe(true); // Mon 09:00 CST
    expect(withinBusinessHours(contoso, new Date('2026-11-30T13:00:00Z'))).toBe(false); // Mon 07:00 CST
    expect(withinBusinessHours(contoso, new Date('2026-11-29T18:00:00Z'))).toBe(false); // Sunday
  });
  it('pages for security at any hour, for urgent work only after hours', () => {
    expect(shouldPage({ security: true, priorityLevel: 3, afterHours: false })).toBe(true);
    expect(shouldPage({ security: false, priorityLevel: 1, afterHours: false })).toBe(false);
    expect(shouldPage({ security: false, priorityLevel: 2, afterHours: true })).toBe(true);
    expect(shouldPage({ security: false, priorityLevel: 3, afterHours: true })).toBe(false);
  });
});

describe('token bucket', () => {
  it('allows a burst, then the sustained rate', () => {
    let t = 0;
    const b = new TokenBucket(2, 3, () => t);
    expect([b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([0, 0, 0]);
    expect(b.tryTake()).toBe(500);
    t += 500;
    expect(b.tryTake()).toBe(0);
  });
  it('holds every caller after a 429', () => {
    let t = 0;
    const b = new TokenBucket(10, 10, () => t);
    b.pause(3000);
    expect(b.tryTake()).toBe(3000);
    t = 3000;
    expect(b.tryTake()).toBe(0);
  });
  it('parses overrides and refuses nonsense', () => {
    expect(parseRateLimits('autotask=1.5/4').autotask).toEqual({ ratePerSecond: 1.5, burst: 4 });
    expect(() => parseRateLimits('autotask=fast')).toThrow(/PSA_RATE_LIMITS/);
  });
  it('backs off exponentially, never below Retry-After', () => {
    expect([1, 2, 3, 10].map((a) => nextAttemptDelayMs(a, 500, 15000))).toEqual([500, 1000, 2000, 15000]);
    expect(nextAttemptDelayMs(1, 500, 15000, 7000)).toBe(7000);
  });
});
