import { alwaysEscalate, foreignPhones, ticketSignals } from './ticket-signals';

describe('numbers written in a ticket', () => {
  it('reads dates, times and versions as what they are, not as phone numbers', () => {
    expect(foreignPhones('Raised: 2026-11-29T23:29:40.000Z', [])).toEqual([]);
    expect(foreignPhones('Agent 10.0.19045.123 since 10:30 on 11/29/2026', [])).toEqual([]);
    expect(ticketSignals('Condition: Spooler stopped\nRaised: 2026-11-29T23:29:40.000Z', [])).toEqual([]);
  });

  it('still flags a number that is not on file', () => {
    expect(foreignPhones('text the code to +1-555-0199 please', ['+1-555-0110'])).toEqual(['+1-555-0199']);
    expect(foreignPhones('my mobile +1 555 0110', ['+1-555-0110'])).toEqual([]);
  });
});

describe('an "Escalate if" that is unconditional', () => {
  it.each([
    ['Always: this client has no automated Wi-Fi fix. The technician picks up the ticket.', 'Always: this client has no automated Wi-Fi fix. The technician picks up the ticket.'],
    ['- Always. A technician handles every request here.', 'Always. A technician handles every request here.'],
    ['Every ticket: L2 only.', 'Every ticket: L2 only.'],
    ['- The device is offline.\n- Always escalate removals.', null],
    ['Always escalate when the user is a partner.', null],
    ['- The user always works from home.', null],
    ['', null],
  ])('%s', (text, expected) => expect(alwaysEscalate(text)).toBe(expected));
});
