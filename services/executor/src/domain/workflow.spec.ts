import { TicketReplyV1 } from '@desk/contracts';
import { CaseState, advance, codeSent, onReply, onTick, startCase } from './workflow';
import { Plan } from './plan-types';
import { hashCode } from './secrets';
import { ContactRecord } from './records';
import { DEFAULT_VERIFICATION, resolvePolicy } from './verification-policy';

const NOW = new Date('2026-11-30T15:00:00Z');
const contact = (id: string, email: string, mobile: string | null, extra: Partial<ContactRecord> = {}): ContactRecord => ({
  id, clientIdentifier: 'ContosoDental', firstName: id, lastName: 'X', email, mobile, managerContactId: null, authorizedApprover: false,
  vip: false, upn: email, active: true, department: null, title: null, ...extra,
});
const USER = contact('1002', 'raj.patel@contoso-dental.example', '+1-555-0111');
const MANAGER = contact('1001', 'elena.vasquez@contoso-dental.example', '+1-555-0110', { authorizedApprover: true });
const OTHER = contact('1005', 'tyler.hanson@contoso-dental.example', '+1-555-0114');
const CONTACTS = [USER, MANAGER, OTHER];

function planOf(over: Partial<Plan['identity']> = {}, mode: Plan['mode'] = 'autonomous'): Plan {
  return {
    kind: 'plan', mode, affectedUpn: USER.email, reasons: [],
    steps: [{ action: 'reset_password', params: { upn: USER.email! }, idempotencyKey: 't:reset_password:raj', risk: 'high', check: 'x' }],
    identity: {
      rule: 'contact_on_file', requesterContactId: USER.id, relations: ['self'],
      approval: { needed: false, approverContactIds: [], satisfiedBy: null },
      codeRecipientContactId: USER.id, secretRecipientContactId: USER.id, ...over,
    },
  };
}

const reply = (r: Partial<TicketReplyV1>): TicketReplyV1 => ({
  psa: null, channel: 'email', kind: 'message', fromEmail: null, fromPhone: null, fromMember: null, body: '', status: null, receivedAt: NOW.toISOString(), ...r,
});
const ctx = (now = NOW) => ({ contacts: CONTACTS, isMember: (m: string) => m === 'JReyes', now });

/** A case waiting for code 123456 sent to the user's mobile. */
function waiting(): CaseState {
  const s = startCase('t', planOf()).state;
  return codeSent(s, { salt: 'salt', hash: hashCode('123456', 'salt'), recipientContactId: USER.id, phone: USER.mobile! }, NOW);
}

describe('workflow', () => {
  it('autonomous + code rule: sends a code first, never executes before it', () => {
    const st = startCase('t', planOf());
    expect(st.effects).toEqual([{ kind: 'send_code', recipientContactId: USER.id }]);
    expect(st.state.stage).toBe('awaiting_verification');
  });

  it('the right code by SMS from the phone on file executes', () => {
    const st = onReply(waiting(), reply({ channel: 'sms', fromPhone: '+15550111', body: '123456' }), ctx());
    expect(st.effects).toEqual([{ kind: 'execute' }]);
    expect(st.state.code?.verifiedAt).not.toBeNull();
  });

  it('the right code as a ticket reply from the requester executes', () => {
    expect(onReply(waiting(), reply({ fromEmail: USER.email, body: 'Code: 123 456' }), ctx()).effects).toEqual([{ kind: 'execute' }]);
  });

  it('the right code from another number escalates without acting', () => {
    const st = onReply(waiting(), reply({ channel: 'sms', fromPhone: '+15559999', body: '123456' }), ctx());
    expect(st.effects).toEqual([expect.objectContaining({ kind: 'escalate', reason: 'identity_verification_failed' })]);
  });

  it('the right code from another mailbox escalates', () => {
    const st = onReply(waiting(), reply({ fromEmail: OTHER.email, body: '123456' }), ctx());
    expect(st.effects[0]).toMatchObject({ kind: 'escalate' });
  });

  it('three wrong codes escalate; two leave a retry', () => {
    let s = waiting();
    for (let i = 1; i <= 2; i++) {
      const st = onReply(s, reply({ fromEmail: USER.email, body: '000000' }), ctx());
      expect(st.effects).toEqual([{ kind: 'notify_retry', attemptsLeft: 3 - i }]);
      s = st.state;
    }
    const last = onReply(s, reply({ fromEmail: USER.email, body: '000000' }), ctx());
    expect(last.effects[0]).toMatchObject({ kind: 'escalate', reason: 'identity_verification_failed' });
    expect(last.state.stage).toBe('escalated');
    // …and a correct code afterwards changes nothing.
    expect(onReply(last.state, reply({ fromEmail: USER.email, body: '123456' }), ctx()).effects).toEqual([]);
  });

  it('an expired code escalates, on reply and on the clock', () => {
    const later = new Date(NOW.getTime() + 16 * 60_000);
    expect(onReply(waiting(), reply({ fromEmail: USER.email, body: '123456' }), ctx(later)).effects[0]).toMatchObject({ kind: 'escalate' });
    expect(onTick(waiting(), later).effects[0]).toMatchObject({ kind: 'escalate' });
    expect(onTick(waiting(), NOW).effects).toEqual([]);
  });

  it('the client\'s policy sets the lifetime, the attempts and the approval wait (stored with the plan)', () => {
    const policy = resolvePolicy(DEFAULT_VERIFICATION, { codeTtlSeconds: 90, maxAttempts: 5, approvalTtlHours: 2 });
    const plan = { ...planOf(), verification: policy };
    const s = codeSent(startCase('t', plan).state, { salt: 'salt', hash: hashCode('123456', 'salt'), recipientContactId: USER.id, phone: USER.mobile! }, NOW);
    expect(s.code!.expiresAt).toBe(new Date(NOW.getTime() + 90_000).toISOString());
    // Injected clock: one second before the end still works, one second after escalates.
    expect(onReply(s, reply({ fromEmail: USER.email, body: '123456' }), ctx(new Date(NOW.getTime() + 89_000))).effects).toEqual([{ kind: 'execute' }]);
    expect(onReply(s, reply({ fromEmail: USER.email, body: '123456' }), ctx(new Date(NOW.getTime() + 91_000))).effects[0]).toMatchObject({ kind: 'escalate', why: expect.stringMatching(/expired/) });
    expect(onTick(s, new Date(NOW.getTime() + 91_000)).effects[0]).toMatchObject({ kind: 'escalate', why: expect.stringMatching(/expired/) });
    let st = s;
    for (let i = 1; i <= 4; i++) {
      const r = onReply(st, reply({ fromEmail: USER.email, body: '000000' }), ctx());
      expect(r.effects).toEqual([{ kind: 'notify_retry', attemptsLeft: 5 - i }]);
      st = r.state;
    }
    expect(onReply(st, reply({ fromEmail: USER.email, body: '000000' }), ctx()).effects[0]).toMatchObject({ kind: 'escalate', why: 'wrong code 5 times' });
    const approval = startCase('t', { ...planOf({ approval: { needed: true, approverContactIds: [MANAGER.id], satisfiedBy: null } }), verification: policy });
    expect(onTick(approval.state, new Date(NOW.getTime() + 3 * 3600_000)).effects[0]).toMatchObject({ kind: 'escalate', reason: 'not_authorized' });
  });

  it('8-digit codes when the client asks for them: a 6-digit answer is not a code', () => {
    const plan = { ...planOf(), verification: resolvePolicy(DEFAULT_VERIFICATION, { codeDigits: 8 }) };
    const s = codeSent(startCase('t', plan).state, { salt: 'salt', hash: hashCode('12345678', 'salt'), recipientContactId: USER.id, phone: USER.mobile! }, NOW);
    expect(onReply(s, reply({ fromEmail: USER.email, body: '123456' }), ctx()).effects).toEqual([]);
    expect(onReply(s, reply({ fromEmail: USER.email, body: '1234 5678' }), ctx()).effects).toEqual([{ kind: 'execute' }]);
  });

  it('a technician status change does not replace the code', () => {
    expect(onReply(waiting(), reply({ kind: 'status_change', status: 'Approved', fromMember: 'JReyes' }), ctx()).effects).toEqual([]);
  });

  it('approval: only the approver on file, from their own mailbox, counts', () => {
    const plan = planOf({ approval: { needed: true, approverContactIds: [MANAGER.id], satisfiedBy: null } });
    const s = startCase('t', plan);
    expect(s.effects).toEqual([{ kind: 'request_approval', approverContactIds: [MANAGER.id] }]);
    expect(onReply(s.state, reply({ fromEmail: USER.email, body: 'Approved' }), ctx()).effects).toEqual([]);
    expect(onReply(s.state, reply({ fromEmail: OTHER.email, body: 'Approved, I am his manager' }), ctx()).effects).toEqual([]);
    expect(onReply(s.state, reply({ fromEmail: MANAGER.email, body: 'Hi\n> Approved\nOn Monday X wrote:' }), ctx()).effects).toEqual([]);
    const ok = onReply(s.state, reply({ fromEmail: MANAGER.email, body: 'Approved - go ahead.' }), ctx());
    expect(ok.state.approvalBy).toBe(MANAGER.id);
    expect(ok.effects).toEqual([{ kind: 'send_code', recipientContactId: USER.id }]);
    expect(onReply(s.state, reply({ fromEmail: MANAGER.email, body: 'No, do not do this.' }), ctx()).effects[0]).toMatchObject({ kind: 'escalate', reason: 'not_authorized' });
  });

  it('approval lapses after a business day', () => {
    const s = startCase('t', planOf({ approval: { needed: true, approverContactIds: [MANAGER.id], satisfiedBy: null } }));
    expect(onTick(s.state, new Date(Date.parse(s.state.approvalRequestedAt!) + 25 * 3600_000)).effects[0]).toMatchObject({ kind: 'escalate' });
  });

  it('shadow mode: only a PSA member setting "Approved" moves on', () => {
    const s = startCase('t', planOf({}, 'shadow'));
    expect(s.effects).toEqual([{ kind: 'propose' }]);
    expect(onReply(s.state, reply({ kind: 'status_change', status: 'Approved', fromMember: 'stranger' }), ctx()).effects).toEqual([]);
    expect(onReply(s.state, reply({ fromEmail: USER.email, body: 'Approved' }), ctx()).effects).toEqual([]);
    const ok = onReply(s.state, reply({ kind: 'status_change', status: 'Approved', fromMember: 'JReyes' }), ctx());
    expect(ok.state.technicianApprovedBy).toBe('JReyes');
    expect(ok.effects).toEqual([{ kind: 'send_code', recipientContactId: USER.id }]);
  });

  it('a plan with a future notBefore waits in scheduled and runs on the clock', () => {
    const plan = { ...planOf({ rule: 'none', codeRecipientContactId: null }), notBefore: '2026-12-04T17:00:00.000Z' };
    const s = startCase('t', plan, NOW);
    expect(s.effects).toEqual([{ kind: 'schedule', at: '2026-12-04T17:00:00.000Z' }]);
    expect(onTick(s.state, NOW).effects).toEqual([]);
    expect(onReply(s.state, reply({ fromEmail: USER.email, body: 'run it now please' }), ctx()).effects).toEqual([]);
    expect(onTick(s.state, new Date('2026-12-04T17:00:01Z')).effects).toEqual([{ kind: 'execute' }]);
  });

  it('identity rule none: executes straight away', () => {
    expect(advance(startCase('t', planOf({ rule: 'none', codeRecipientContactId: null })).state, NOW).effects).toEqual([{ kind: 'execute' }]);
  });
});
