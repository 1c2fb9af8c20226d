import { matches, parseConditions, ConditionError } from '../../src/vendors/connectwise/conditions';

const t = {
  id: 7, summary: 'VPN test broken', closedFlag: false, parentTicketId: null,
  board: { id: 1, name: 'Service Desk' }, contact: { name: 'Fred Flint' }, company: { identifier: 'ContosoDental' },
  _info: { lastUpdated: '2026-11-30T10:00:00Z', dateEntered: '2026-11-29T10:00:00Z' },
};
const m = (c: string) => matches(parseConditions(c), t);

describe('ConnectWise conditions', () => {
  it('handles the documented operators and literals', () => {
    expect(m('id = 7')).toBe(true);
    expect(m('id != 7')).toBe(false);
    expect(m('id < 8 and id > 6 and id <= 7 and id >= 7')).toBe(true);
    expect(m('summary like "VPN%"')).toBe(true);
    expect(m('summary like "%broken"')).toBe(true);
    expect(m('summary not like "x%"')).toBe(true);
    expect(m('summary contains "TEST"')).toBe(true);
    expect(m('closedFlag = false')).toBe(true);
    expect(m('closedFlag = true')).toBe(false);
    expect(m('parentTicketId = null')).toBe(true);
    expect(m('company/identifier = "contosodental"')).toBe(true);
    expect(m('board/id in (2,3)')).toBe(false);
    expect(m('board/id not in (2,3)')).toBe(true);
  });

  it('compares datetimes in brackets, also against _info fields', () => {
    expect(m('lastUpdated > [2026-11-30T09:00:00Z]')).toBe(true);
    expect(m('dateEntered > [2026-11-30T09:00:00Z]')).toBe(false);
  });

  it('gives and precedence over or, and honours parentheses', () => {
    expect(m('(contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z] or summary contains "zzz"')).toBe(true);
    expect(m('id = 1 and id = 2 or id = 7')).toBe(true);
    expect(m('id = 1 and (id = 2 or id = 7)')).toBe(false);
    expect(m('not (id = 7)')).toBe(false);
  });

  it('rejects malformed input', () => {
    expect(() => parseConditions('id = ')).toThrow(ConditionError);
    expect(() => parseConditions('(id = 1')).toThrow(ConditionError);
    expect(() => parseConditions('summary = "open')).toThrow(ConditionError);
  });
});
