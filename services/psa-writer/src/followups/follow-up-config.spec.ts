import { loadFollowUpEnv, parseSchedules } from './follow-up-config';

describe('follow-up settings', () => {
  it('defaults to reminders after 1 and 3 business days, close after 5', () => {
    expect(loadFollowUpEnv({}).DESK_FOLLOWUP_DEFAULT).toEqual({ reminderBusinessDays: [1, 3], closeAfterBusinessDays: 5 });
  });
  it('reads per-client schedules', () => {
    expect(parseSchedules('TailspinMfg=1,2/4; RiverbendFdn=2/3')).toEqual({
      TailspinMfg: { reminderBusinessDays: [1, 2], closeAfterBusinessDays: 4 }, RiverbendFdn: { reminderBusinessDays: [2], closeAfterBusinessDays: 3 },
    });
  });
  it.each([['X=1,3'], ['X=1,3/2'], ['nonsense']])('refuses %s', (spec) => {
    expect(() => loadFollowUpEnv({ DESK_FOLLOWUP_SCHEDULES: spec })).toThrow(/DESK_FOLLOWUP_SCHEDULES/);
  });
});
