import { ExtractedNewUser, mergeExtraction } from './new-user-extraction';
import { parseNewUserRequest } from './onboarding-request';

const NOW = new Date('2026-11-30T15:00:00Z');
const none: ExtractedNewUser = { fullName: null, preferredName: null, startDate: null, jobTitle: null, department: null, manager: null, office: null, sameAccessAs: null, except: null, licences: [], groups: [] };

describe('a language model\'s reading of a new-user request is checked against the text', () => {
  const text = 'Hey team, Sam will be our new bookkeeper (Samantha Ortiz on her passport) from the 14th of December, working for Gary Novak in Finance. Give her what Tom Becker has.';

  it('fills gaps with values the text contains; the rules\' reading wins where it has one', () => {
    const rules = parseNewUserRequest(text, NOW);
    const merged = mergeExtraction(rules, {
      ...none, fullName: 'Samantha Ortiz', preferredName: 'Sam', startDate: '2026-12-14', jobTitle: 'bookkeeper', department: 'Finance', manager: 'Gary Novak', sameAccessAs: 'Tom Becker',
    }, text, NOW);
    expect(merged).toMatchObject({ fullName: 'Samantha Ortiz', preferredName: 'Sam', startDate: '2026-12-14', jobTitle: 'bookkeeper', department: 'Finance', manager: 'Gary Novak', sameAccessAs: 'Tom Becker' });
  });

  it('drops invented values: a name, a date, a group or a manager that the text does not contain', () => {
    const merged = mergeExtraction(parseNewUserRequest(text, NOW), {
      ...none, fullName: 'Samantha Ortiz-Lopez', startDate: '2026-12-15', manager: 'me', sameAccessAs: 'Tom Baker', groups: ['Domain Admins'], licences: ['Microsoft 365 E5'],
    }, text, NOW);
    expect(merged.fullName).toBeNull();
    expect(merged.startDate).toBeNull();
    expect(merged.manager).toBeNull();
    expect(merged.sameAccessAs).toBeNull();
    expect(merged.groups).toEqual([]);
    expect(merged.licences).toEqual([]);
  });

  it('no model answer: the rules alone', () => {
    const rules = parseNewUserRequest(text, NOW);
    expect(mergeExtraction(rules, null, text, NOW)).toBe(rules);
  });

  it('answers that break the schema are refused', () => {
    expect(ExtractedNewUser.safeParse({ ...none, startDate: 'next Monday' }).success).toBe(false);
    expect(ExtractedNewUser.safeParse({ ...none, admin: true }).success).toBe(false);
  });
});
