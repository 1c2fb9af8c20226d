import type { TicketReplyV1 } from '@desk/contracts';
import { onAnswer, type ConversationState } from './conversation';
import { readReplyByRules } from './reply-intent';

const NOW = new Date('2026-11-30T18:00:00Z');
const state = (over: Partial<ConversationState> = {}): ConversationState => ({
  ticketId: '0b6f0c39-1d55-4d4f-9b0e-6d0e3b8a9f11', status: 'waiting', round: 1, maxRounds: 2,
  turns: [{ from: 'desk', at: NOW.toISOString(), text: 'Hi Jamie, it is on the table cards.' }],
  requesterEmails: ['jamie.lee@riverbend-foundation.example'],
  prose: {
    prerequisites: 'Applies to: Wi-Fi at the office.', steps: '', escalateIf: 'Always.',
    notes: 'Common requests: 1. "What is the guest Wi-Fi password?" - it is on the table cards and at the front desk. Point the requester to Thomas Reed.',
  },
  documents: ['Riverbend - Wi-Fi'], ...over,
});
const reply = (body: string, over: Partial<TicketReplyV1> = {}): TicketReplyV1 => ({
  psa: null, channel: 'email', kind: 'message', fromEmail: 'Jamie.Lee@riverbend-foundation.example', fromPhone: null, fromMember: null, body, status: null,
  receivedAt: NOW.toISOString(), ...over,
});
const step = (s: ConversationState, r: TicketReplyV1) => onAnswer(s, r, readReplyByRules(r.body), NOW);

describe('the guidance conversation', () => {
  it('"that worked" from the requester resolves; the thread keeps the answer', () => {
    const x = step(state(), reply('That worked, thanks!'));
    expect(x.effect.kind).toBe('resolve');
    expect(x.state).toMatchObject({ status: 'resolved', turns: [{ from: 'desk' }, { from: 'user', text: 'That worked, thanks!' }] });
  });
  it('a failure escalates with the reason; an unclear reply goes to a human as unclear_reply', () => {
    expect(step(state(), reply('still not working')).effect).toMatchObject({ kind: 'escalate', reason: 'other' });
    expect(step(state(), reply('It worked yesterday but today it is not working')).effect).toMatchObject({ kind: 'escalate', reason: 'unclear_reply' });
  });
  it('only thanks: with praise it closes, bare it keeps waiting; never an escalation', () => {
    expect(step(state(), reply('great thank you!'))).toMatchObject({ effect: { kind: 'resolve' }, state: { status: 'resolved' } });
    const ok = step(state(), reply('ok, thanks'));
    expect(ok).toMatchObject({ effect: { kind: 'none' }, state: { status: 'waiting', round: 1 } });
    expect(ok.state.turns.at(-1)).toMatchObject({ from: 'user', text: 'ok, thanks' });
  });
  it('a question the runbook answers is answered, within the round limit; then a human', () => {
    const first = step(state(), reply('Sorry, what is the guest Wi-Fi password again?'));
    expect(first.effect).toMatchObject({ kind: 'answer', text: expect.stringMatching(/table cards/) });
    expect(first.state.round).toBe(2);
    expect(step(first.state, reply('What is the guest Wi-Fi password for the other room?')).effect).toMatchObject({ kind: 'escalate', why: expect.stringMatching(/after 2 round/) });
    expect(step(state(), reply('Can I bring my own router to the event?')).effect).toMatchObject({ kind: 'escalate', why: expect.stringMatching(/does not answer/) });
  });
  it('someone else\'s "it worked" is not the answer; a technician\'s note ends the conversation', () => {
    expect(step(state(), reply('It worked', { fromEmail: 'thomas.reed@riverbend-foundation.example' })).effect.kind).toBe('none');
    const tech = step(state(), reply('I will call her', { fromEmail: null, fromMember: 'tcallahan', channel: 'psa_webhook' }));
    expect(tech.state.status).toBe('handed_over');
    expect(step(tech.state, reply('That worked')).effect.kind).toBe('none');
  });
});
