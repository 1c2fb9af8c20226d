import { hashCode } from '@desk/contracts';
import { routeCodeReply, type WaitingCode } from './code-reply';

const waiting = (ticketId: string, code: string): WaitingCode => ({ ticketId, clientIdentifier: 'RiverbendFdn', salt: `salt-${ticketId}`, hash: hashCode(code, `salt-${ticketId}`) });
// Newest first, as the store lists them.
const TWO = [waiting('newer', '111111'), waiting('older', '482913')];

describe('routing an SMS answer to the ticket waiting for its code', () => {
  it('two tickets wait on one phone: the code goes to the ticket it belongs to, not the newest', () => {
    expect(routeCodeReply('482913', TWO)).toMatchObject({ kind: 'one', ticketId: 'older' });
    expect(routeCodeReply('my code is 111 111, thanks', TWO)).toMatchObject({ kind: 'one', ticketId: 'newer' });
  });

  it('digits that are neither code: not guessed, every waiting ticket gets it (each counts a wrong code and asks again)', () => {
    const r = routeCodeReply('999999', TWO);
    expect(r).toMatchObject({ kind: 'each', why: expect.stringMatching(/matches none/) });
    expect(r?.kind === 'each' && r.targets.map((t) => t.ticketId)).toEqual(['newer', 'older']);
    expect(routeCodeReply('which code do you need?', TWO)?.kind).toBe('each');
  });

  it('one waiting ticket takes the answer whatever it says (the executor judges the code); none: no route', () => {
    expect(routeCodeReply('999999', [TWO[1]!])).toMatchObject({ kind: 'one', ticketId: 'older' });
    expect(routeCodeReply('482913', [])).toBeNull();
  });
});
