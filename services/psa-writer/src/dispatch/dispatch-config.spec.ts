import { loadDispatchEnv, parseHours } from './dispatch-config';

describe('dispatch settings', () => {
  it('has defaults: Mon–Fri 08:00–18:00, 60-minute first response', () => {
    const env = loadDispatchEnv({});
    expect(env.DESK_DISPATCH_HOURS).toEqual({ days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' });
    expect(env.DESK_SLA_FIRST_RESPONSE_MINUTES).toBe(60);
    expect(env.DESK_DISPATCH_ON_CALL).toEqual([]);
  });
  it('parses rosters, roles and per-client SLAs', () => {
    const env = loadDispatchEnv({
      DESK_DISPATCH_ON_CALL: 'pnguyen, aokafor', DESK_DISPATCH_ROLES: 'dmercer=manager', DESK_SLA_CLIENT_MINUTES: 'ContosoDental=30,AlderBrooks=120',
      DESK_DISPATCH_HOURS: '1-6 07:30-19:00',
    });
    expect(env.DESK_DISPATCH_ON_CALL).toEqual(['pnguyen', 'aokafor']);
    expect(env.DESK_DISPATCH_ROLES).toEqual({ dmercer: 'manager' });
    expect(env.DESK_SLA_CLIENT_MINUTES).toEqual({ ContosoDental: 30, AlderBrooks: 120 });
    expect(parseHours('1-6 07:30-19:00').days).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it.each([
    [{ DESK_DISPATCH_HOURS: 'weekdays' }, /DESK_DISPATCH_HOURS/], [{ DESK_DISPATCH_ROLES: 'x=boss' }, /DESK_DISPATCH_ROLES/],
    [{ DESK_SLA_CLIENT_MINUTES: 'A=-1' }, /DESK_SLA_CLIENT_MINUTES/], [{ DESK_SLA_WARN_AT: '2' }, /DESK_SLA_WARN_AT/],
  ])('refuses %j naming the setting', (env, msg) => expect(() => loadDispatchEnv(env)).toThrow(msg));
});
