import type { PsaNote, PsaTicket } from '@desk/adapters';
import { decidePsaFollowUp } from './psa-follow-up';
import type { PsaCallback } from './psa-webhooks';

const ticket = (over: Partial<PsaTicket> = {}): PsaTicket => ({
  id: '101', number: null, summary: 'Locked out', description: 'I am locked out', companyIdentifier: 'ContosoDental',
  contact: { id: '7', email: 'amy@contoso-dental.example', name: 'Amy Lee' }, board: 'Service Desk', status: 'New', priority: null,
  closed: false, ownerIdentifier: null, parentId: null, createdAt: null, updatedAt: null, ...over,
});
const cb = (over: Partial<PsaCallback> = {}): PsaCallback => ({ system: 'connectwise', psaTicketId: '101', action: 'updated', deliveryId: 'd1', actor: 'L1Agent', eventTime: null, ticketNumber: null, ...over });
const note = (id: string, createdBy: string, text = 'hello', internal = false): PsaNote => ({ id, text, internal, resolution: false, createdBy, createdAt: null });
const link = { deskTicketId: '0b6f0c39-1d55-4d4f-9b0e-6d0e3b8a9f11', clientIdentifier: 'ContosoDental', lastStatus: 'Waiting on Verification', seenNoteIds: ['1'] };
const base = { agentIdentifier: 'L1Agent', deskStatuses: ['Waiting on Verification', 'Awaiting Approval', 'In Progress', 'Resolved'], rawRef: 'r', now: new Date('2026-11-30T15:00:00Z') };

describe('decidePsaFollowUp', () => {
  it('turns an unknown open ticket into a new desk ticket (whatever member the PSA names)', () => {
    const d = decidePsaFollowUp({ ...base, callback: cb({ action: 'added' }), ticket: ticket(), notes: [note('1', 'L1Agent')], link: null });
    expect(d.kind).toBe('new');
    if (d.kind !== 'new') return;
    expect(d.ticket).toMatchObject({ channel: 'psa_webhook', psa: { system: 'connectwise', id: '101' }, clientIdentifier: 'ContosoDental', fromEmail: 'amy@contoso-dental.example' });
    expect(d.seenNoteIds).toEqual(['1']);
  });

  it('ignores a ticket the desk itself opened', () => {
    expect(decidePsaFollowUp({ ...base, callback: cb({ action: 'added' }), ticket: ticket(), notes: [], link: null, createdByDesk: true }).kind).toBe('ignore');
  });

  it('ignores closed and deleted tickets', () => {
    expect(decidePsaFollowUp({ ...base, callback: cb({ action: 'added' }), ticket: ticket({ closed: true }), notes: [], link: null }).kind).toBe('ignore');
    expect(decidePsaFollowUp({ ...base, callback: cb({ action: 'deleted' }), ticket: ticket(), notes: [], link }).kind).toBe('ignore');
  });

  it('forwards a technician\'s approval status as a status_change reply', () => {
    const d = decidePsaFollowUp({ ...base, callback: cb(), ticket: ticket({ status: 'Approved' }), notes: [note('1', 'L1Agent')], link });
    expect(d).toMatchObject({ kind: 'replies', replies: [{ kind: 'status_change', status: 'Approved' }], lastStatus: 'Approved' });
  });

  it('does not echo the desk\'s own status writes back', () => {
    const d = decidePsaFollowUp({ ...base, callback: cb(), ticket: ticket({ status: 'In Progress' }), notes: [note('1', 'L1Agent')], link });
    expect(d.kind).toBe('ignore');
  });

  it('forwards a desk status when a human member is named as the actor', () => {
    const d = decidePsaFollowUp({ ...base, callback: cb({ actor: 'jreyes' }), ticket: ticket({ status: 'In Progress' }), notes: [], link });
    expect(d).toMatchObject({ kind: 'replies', replies: [{ kind: 'status_change', fromMember: 'jreyes' }] });
  });

  it('forwards new notes by the contact or a technician, never the desk\'s own notes', () => {
    const d = decidePsaFollowUp({
      ...base, callback: cb(), ticket: ticket({ status: 'Waiting on Verification' }), link,
      notes: [note('1', 'L1Agent'), note('2', 'L1Agent', 'desk note'), note('3', 'Amy Lee', 'my code is 123456'), note('4', 'jreyes', 'approved', true)],
    });
    expect(d.kind).toBe('replies');
    if (d.kind !== 'replies') return;
    expect(d.replies).toEqual([
      expect.objectContaining({ kind: 'message', body: 'my code is 123456', fromEmail: 'amy@contoso-dental.example', fromMember: null }),
      expect.objectContaining({ kind: 'message', body: 'approved', fromMember: 'jreyes', fromEmail: null }),
    ]);
    expect(d.seenNoteIds).toEqual(['1', '2', '3', '4']);
  });

  it('takes Autotask and Halo contact notes as the contact\'s', () => {
    const d = decidePsaFollowUp({ ...base, callback: cb(), ticket: ticket({ status: 'Waiting on Verification' }), link, notes: [note('1', 'L1Agent'), note('8', 'contact:29'), note('9', 'user')] });
    expect(d.kind === 'replies' && d.replies.map((r) => [r.fromEmail, r.fromMember])).toEqual([['amy@contoso-dental.example', null], ['amy@contoso-dental.example', null]]);
  });

  it('recognises the desk\'s member however the PSA spells it', () => {
    const d = decidePsaFollowUp({ ...base, callback: cb(), ticket: ticket({ status: 'Waiting on Verification' }), link,
      notes: [note('1', 'L1Agent'), note('5', 'l1-agent'), note('6', 'L1Agent@harborline-it.example'), note('7', 'l1_agent')] });
    expect(d.kind).toBe('ignore');
  });

  it('sends nothing twice: notes already seen stay seen', () => {
    const d = decidePsaFollowUp({ ...base, callback: cb(), ticket: ticket({ status: 'Waiting on Verification' }), link: { ...link, seenNoteIds: ['1', '3'] }, notes: [note('1', 'L1Agent'), note('3', 'Amy Lee')] });
    expect(d.kind).toBe('ignore');
  });
});
