import { missingFields, parseDate, parseNewUserRequest } from './onboarding-request';

const NOW = new Date('2026-11-30T15:00:00Z'); // a Monday

describe('new-user requests in free text', () => {
  it.each([
    ['a labelled form', 'Hi,\nWe hired a new hygienist for Cedar Hill:\nName: Lauren Mitchell\nStart: Tuesday December 8, 2026\nTitle: Dental Hygienist\nDepartment: Clinical\nManager: me (Maria Gonzalez)\nSame access as Aisha Rahman please.\n\nThanks,\nMaria',
      { fullName: 'Lauren Mitchell', startDate: '2026-12-08', jobTitle: 'Dental Hygienist', department: 'Clinical', manager: 'me', sameAccessAs: 'Aisha Rahman' }],
    ['one sentence, comma list', 'New associate: Natalie Quinn, Associate, Litigation, starting January 5, 2027, reporting to Olivia Grant. Same access as Daniel Kim, except matter groups - Henry will handle those after conflicts.\n\nThanks,\nPatricia Lang',
      { fullName: 'Natalie Quinn', startDate: '2027-01-05', jobTitle: 'Associate', department: 'Litigation', manager: 'Olivia Grant', sameAccessAs: 'Daniel Kim', except: 'matter groups - Henry will handle those after conflicts' }],
    ['"reports to", "Same as", no department', 'Seasonal preparer for 2027: Holly Anderson, Seasonal Tax Preparer, starting January 11, 2027, reports to Jennifer Alvarez. Same as Ian McAllister.\nDonna',
      { fullName: 'Holly Anderson', startDate: '2027-01-11', jobTitle: 'Seasonal Tax Preparer', department: null, manager: 'Jennifer Alvarez', sameAccessAs: 'Ian McAllister' }],
    ['weekday and date, shift, replacing', 'New hire: Erin Walsh, Quality Inspector, starts Monday December 7, 2026, 1st shift, reports to Sarah Whitaker. Replacing Paul Jennings. Same access as Tom Becker.\n\nDenise Fowler\nHR Manager',
      { fullName: 'Erin Walsh', startDate: '2026-12-07', jobTitle: 'Quality Inspector', manager: 'Sarah Whitaker', sameAccessAs: 'Tom Becker' }],
    ['prose with "as a … in the … team"', 'Please set up an account for Priya Shah. She will start on 14 December 2026 as a Sales Coordinator in the Marketing team, based at the Lakeview office. Her manager is Gary Novak. Please give her the same access as Tom Becker and add her to the Sales Leads group. She needs a Microsoft 365 Business Standard licence.',
      { fullName: 'Priya Shah', startDate: '2026-12-14', jobTitle: 'Sales Coordinator', department: 'Marketing', manager: 'Gary Novak', office: 'Lakeview', sameAccessAs: 'Tom Becker', groups: ['Sales Leads'], licences: ['Microsoft 365 Business Standard'] }],
    ['ISO date, "copy access from", bullet list', 'New starter details:\n- Full name: Jean-Luc Picard\n- Preferred name: JL\n- Start date: 2026-12-21\n- Role: Operations Analyst\n- Dept: Operations\n- Reports to: Beverly Crusher\n- Office: Denver\n- Copy access from: William Riker',
      { fullName: 'Jean-Luc Picard', preferredName: 'JL', startDate: '2026-12-21', jobTitle: 'Operations Analyst', department: 'Operations', manager: 'Beverly Crusher', office: 'Denver', sameAccessAs: 'William Riker' }],
    ['"joins us"', 'Good news - Marco Rossi joins us on Jan 4 as our new Staff Accountant in the Audit department, reporting to me. Mirror Ian McAllister.',
      { fullName: 'Marco Rossi', startDate: '2027-01-04', jobTitle: 'Staff Accountant', department: 'Audit', manager: 'me', sameAccessAs: 'Ian McAllister' }],
  ])('%s', (_what, text, want) => {
    expect(parseNewUserRequest(text, NOW)).toMatchObject(want);
  });

  it('what is missing is named, not guessed', () => {
    const r = parseNewUserRequest('We have a new person starting soon in accounting, can you set them up? Thanks', NOW);
    expect(missingFields(r)).toEqual(['full name (first and last)', 'start date', 'job title', 'manager', 'a "same access as" colleague']);
    const partial = parseNewUserRequest('New hire: Erin Walsh, Quality Inspector, starts next month. Same access as Tom Becker.', NOW);
    expect(missingFields(partial)).toEqual(['start date', 'manager']);
  });

  it('dates: unambiguous readings only', () => {
    expect(parseDate('Tuesday December 8, 2026', NOW)).toBe('2026-12-08');
    expect(parseDate('Jan 4', NOW)).toBe('2027-01-04');
    expect(parseDate('4th of January', NOW)).toBe('2027-01-04');
    expect(parseDate('12/14/2026', NOW)).toBe('2026-12-14');
    expect(parseDate('14/12/2026', NOW)).toBe('2026-12-14');
    expect(parseDate('03/04/2027', NOW)).toBeNull();
    expect(parseDate('Monday', NOW)).toBe('2026-12-07');
    expect(parseDate('next Wednesday', NOW)).toBe('2026-12-02');
    expect(parseDate('February 30, 2027', NOW)).toBeNull();
    expect(parseDate('soon', NOW)).toBeNull();
  });
});
