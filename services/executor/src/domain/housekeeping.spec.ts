import { ticketOf } from '../../test/support/world';
import { housekeepingClose } from './housekeeping';

describe('housekeeping close', () => {
  const thanks = { client: 'AlderBrooksCPA', category: 'other' as const, from: 'olga.petrova@alderbrooks-cpa.example', summary: 'Re: [Ticket #48177] Printer not print', description: 'It is working now, thank you very much!', housekeeping: true };

  it('a thank-you triage let run on its own is closed with a short note', () => {
    const { ticket, triage } = ticketOf(thanks);
    expect(housekeepingClose(ticket, triage)).toMatchObject({ customerMessage: expect.stringMatching(/thank you for letting us know/i), why: expect.stringMatching(/reply/) });
    const { ticket: t2, triage: tr2 } = ticketOf({ ...thanks, summary: 'Thank you!' });
    expect(housekeepingClose(t2, tr2)?.why).toMatch(/thank-you note/);
  });

  it('not when triage did not mark it, another category, shadow mode, a security signal or an alert', () => {
    for (const spec of [{ ...thanks, housekeeping: false }, { ...thanks, category: 'printer' as const }, { ...thanks, route: 'shadow' as const }, { ...thanks, security: true }, { ...thanks, channel: 'alert' as const }]) {
      const { ticket, triage } = ticketOf(spec);
      expect(housekeepingClose(ticket, triage)).toBeNull();
    }
  });
});
