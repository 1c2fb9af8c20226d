import { randomUUID } from 'node:crypto';
import { makeEvent, Subjects, type Envelope, type TicketEscalatedV1, type PayloadInput } from '@desk/contracts';
import { composeEscalationCustomerNote, composeEscalationSummary, composeFirstResponse, composePage, composeResolutionCustomer, SUMMARY_SECTIONS } from './composers';
import { isCustomerSafe, redactCustomerText } from './redact';
import { planEscalated, planResolved, planTriaged } from './write-plan';

const ticketId = randomUUID();
const ticket = {
  channel: 'email' as const, psa: null, clientIdentifier: 'ContosoDental', summary: 'Phishing mail clicked', description: 'I clicked a link',
  fromEmail: 'amy@contoso-dental.example', fromName: 'Amy Lee', receivedAt: '2026-11-30T14:00:00Z',
};
const origin = { ticketId, mspClientId: 'ContosoDental', correlationId: ticketId };

function escalation(over: Partial<PayloadInput<typeof Subjects.ticketEscalated>> = {}): Envelope<TicketEscalatedV1> {
  return makeEvent(Subjects.ticketEscalated, origin, {
    ticket, category: 'security_incident', stage: 'triage', reason: 'security_incident', reasons: ['user clicked a link in a suspicious mail', `event ${randomUUID()}`],
    summary: {
      asked: 'User reports clicking a link in an invoice mail', tried: ['Checked sign-in logs'], learned: ['No MFA prompt seen'],
      context: { client: 'Contoso Dental Group', requester: 'Amy Lee', affectedUser: 'amy.lee@contoso-dental.example', assets: ['CDG-LT-ALEE'], relatedTickets: [], documents: ['Phishing report handling'] },
      suggestedNextStep: 'Revoke sessions and reset the password after a call with the user', confidence: 0.82,
    },
    priorityLevel: 2, security: true, ...over,
  }) as Envelope<TicketEscalatedV1>;
}

describe('escalation summary', () => {
  it('has every section, in order', () => {
    const text = composeEscalationSummary(escalation().payload);
    let at = -1;
    for (const s of SUMMARY_SECTIONS) {
      const i = text.indexOf(`${s}:`);
      expect(i).toBeGreaterThan(at);
      at = i;
    }
    expect(text).toContain('Documents used: Phishing report handling');
    expect(text).toContain('Confidence: 82%');
  });

  it('keeps every section when the stage had little to say', () => {
    const e = escalation({ summary: { asked: '', tried: [], learned: [], context: { client: null, requester: null, affectedUser: null, assets: [], relatedTickets: [], documents: [] }, suggestedNextStep: 'Call the user', confidence: null } });
    const text = composeEscalationSummary(e.payload);
    for (const s of SUMMARY_SECTIONS) expect(text).toContain(`${s}:`);
    expect(text).toContain('What was asked: Phishing mail clicked');
    expect(text).toContain('Confidence: not rated');
  });
});

describe('customer-facing notes', () => {
  const secretText = `Your temporary password is Xy7!pQ2z and your code: 482913. Ticket ${ticketId}, trace 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01, event id: ${randomUUID()}, api key: sk_live_abcdef1234567890`;

  it('redaction removes secrets and internal ids', () => {
    const out = redactCustomerText(secretText);
    expect(out).not.toMatch(/Xy7!pQ2z|482913|sk_live|0af7651916cd43dd8448eb211c80319c/);
    expect(out).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    expect(out).toContain('temporary password [removed]');
    expect(isCustomerSafe(out)).toBe(true);
    expect(isCustomerSafe(secretText)).toBe(false);
  });

  it('leaves ordinary text alone', () => {
    const t = 'Hi Amy,\n\nYour printer queue on CDG-FD-PRN01 was cleared at 9:05. Please try printing again.';
    expect(redactCustomerText(t)).toBe(t);
  });

  it('no escalation or resolution composer leaks secrets or uuids into customer notes', () => {
    const e = escalation();
    const writes = [...planEscalated(e, { afterHours: true, psaNumber: '1234', page: true }), ...planTriaged(makeEvent(Subjects.ticketTriaged, origin, { ticket, triage: triage() }) as never),
      ...planResolved(makeEvent(Subjects.ticketResolved, origin, { ticket, category: 'password_reset', actions: ['reset_password'], evidence: [], customerMessage: secretText, internalNote: secretText, handlingSeconds: 42 }) as never)];
    const customer = writes.filter((w) => (w.op.kind === 'note' && !w.op.internal) || w.op.kind === 'create_ticket' || w.op.kind === 'page');
    expect(customer.length).toBeGreaterThanOrEqual(5);
    for (const w of customer) {
      const text = JSON.stringify(w.op);
      expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
      expect(text).not.toMatch(/Xy7!pQ2z|482913|sk_live/);
    }
    expect(composeEscalationCustomerNote(e.payload, false)).toMatch(/security team/);
    expect(composeResolutionCustomer(makeEvent(Subjects.ticketResolved, origin, { ticket, category: 'printer', actions: [], evidence: [], customerMessage: 'Fixed.', internalNote: '', handlingSeconds: 1 }).payload as never)).toMatch(/^Hi Amy,/);
    expect(composePage(e.payload, '1234', true).subject).toBe('Security incident: ContosoDental ticket 1234');
  });
});

function triage() {
  return {
    category: 'password_reset' as const, confidence: 0.9, classifier: 'embedded' as const, clientIdentifier: 'ContosoDental',
    requester: { contactId: '7', email: 'amy@contoso-dental.example', name: 'Amy Lee', upn: 'amy@contoso-dental.example' }, affectedUpn: 'amy@contoso-dental.example',
    priority: { level: 3, name: 'Priority 3 - Medium', reasons: [] }, security: { flagged: false, signals: [] },
    route: { decision: 'autonomous' as const, reasons: ['runbook allows'], policyMode: 'autonomous' as const, threshold: 0.7 },
  };
}

describe('first response and write plans', () => {
  it('says what happens next in plain words', () => {
    const evt = makeEvent(Subjects.ticketTriaged, origin, { ticket, triage: triage() });
    const text = composeFirstResponse(evt.payload.ticket, evt.payload.triage);
    expect(text).toMatch(/^Hi Amy,/);
    expect(text).toMatch(/one-time code/);
  });

  it('plans the PSA ticket first, then the notes, each with its own idempotency key', () => {
    const evt = makeEvent(Subjects.ticketTriaged, origin, { ticket, triage: triage() });
    const w = planTriaged(evt as never);
    expect(w.map((x) => x.op.kind)).toEqual(['create_ticket', 'note', 'note', 'coverage_check']);
    expect(w[0]!.key).toBe(`${ticketId}:create_ticket`);
    expect(new Set(w.map((x) => x.key)).size).toBe(4);
    expect(planTriaged(evt as never).map((x) => x.key)).toEqual(w.map((x) => x.key));
  });

  it('escalates security incidents to the Security board at priority 1 and pages in its own lane', () => {
    const w = planEscalated(escalation(), { afterHours: false, psaNumber: null, page: true });
    expect(w.find((x) => x.op.kind === 'route')!.op).toEqual({ kind: 'route', board: 'Security', priority: 'Priority 1 - Critical' });
    const page = w.find((x) => x.op.kind === 'page')!;
    expect(page.lane).toBe(`page:${ticketId}`);
    const routine = planEscalated(escalation({ security: false, reason: 'no_runbook', priorityLevel: 3 }), { afterHours: false, psaNumber: null, page: false });
    expect(routine.find((x) => x.op.kind === 'route')!.op).toMatchObject({ board: 'Escalations', priority: 'Priority 3 - Medium' });
    expect(routine.some((x) => x.op.kind === 'page')).toBe(false);
  });
});
