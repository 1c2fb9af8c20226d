import { randomUUID } from 'node:crypto';
import { AdapterRegistry } from '@desk/adapters';
import { Subjects, type PayloadInput } from '@desk/contracts';
import { waitFor } from '../../../libs/platform/test/helpers';
import { PsaSandbox, type PsaSystem } from '../../../test/e2e/psa-sandbox';
import { useSandboxDesk } from './sandbox-desk';

/**
 * Agreement billing through the real adapters against the sandbox PSAs: covered work is logged against the
 * client's agreement (ConnectWise agreement, HaloPSA contract, Autotask contract) with the desk's work type,
 * other work as billable with the billable work type, and a request outside the agreement is escalated.
 */
const sd = useSandboxDesk();
let psa: PsaSandbox;
beforeAll(() => { psa = new PsaSandbox(sd.sandbox.url); });

const CLIENTS: Array<{ system: PsaSystem; client: string; from: string; name: string }> = [
  { system: 'connectwise', client: 'ContosoDental', from: 'kevin.oneil@contoso-dental.example', name: 'Kevin ONeil' },
  { system: 'halopsa', client: 'TailspinMfg', from: 'michael.torres@tailspin-mfg.example', name: 'Michael Torres' },
  { system: 'autotask', client: 'RiverbendFdn', from: 'thomas.reed@riverbend-foundation.example', name: 'Thomas Reed' },
];
type Client = (typeof CLIENTS)[number];

function inbound(c: Client, summary: string, description: string) {
  return { channel: 'email' as const, psa: null, clientIdentifier: c.client, summary, description, fromEmail: c.from, fromName: c.name, receivedAt: new Date(Date.now() - 95_000).toISOString() };
}
function triageOf(c: Client, category: 'printer' | 'email_issue' | 'hardware') {
  return {
    category, confidence: 0.9, classifier: 'embedded' as const, clientIdentifier: c.client,
    requester: { contactId: null, email: c.from, name: c.name, upn: null }, affectedUpn: null,
    priority: { level: 3, name: 'Priority 3 - Medium', reasons: [] }, security: { flagged: false, signals: [] },
    route: { decision: 'autonomous' as const, reasons: [], policyMode: 'autonomous' as const, threshold: 0.7 },
  };
}
async function publish<S extends (typeof Subjects)[keyof typeof Subjects]>(c: Client, subject: S, ticketId: string, payload: PayloadInput<S>): Promise<void> {
  await sd.desk.core.uow.run((ctx) => ctx.publish(subject, { ticketId, mspClientId: c.client, correlationId: ticketId }, payload));
}
describe.each(CLIENTS)('agreements through $system ($client)', (c) => {
  let agreementId: string;
  beforeAll(async () => {
    const agreements = await sd.desk.app.get(AdapterRegistry).psa(c.client).listAgreements(c.client);
    expect(agreements.filter((a) => a.active)).toHaveLength(1);
    agreementId = agreements[0]!.id;
  });

  test('covered work: the time entry is logged against the agreement, not billed, with the desk\'s work type and real handling time', async () => {
    const ticketId = randomUUID();
    const t = inbound(c, 'Front desk printer queue stuck', 'Jobs sit in the queue since this morning.');
    await publish(c, Subjects.ticketTriaged, ticketId, { ticket: t, triage: triageOf(c, 'printer') });
    await publish(c, Subjects.ticketResolved, ticketId, { ticket: t, category: 'printer', actions: ['clear_print_queue'], evidence: [], customerMessage: 'The print queue was cleared.', internalNote: 'Queue empty', handlingSeconds: 540 });
    const id = await sd.settled(ticketId);
    const times = await psa.timeEntries({ system: c.system, id });
    expect(times).toHaveLength(1);
    expect(times[0]).toMatchObject({ agreementId, billable: false, workType: 'Automation' });
    expect(times[0]!.hours).toBeCloseTo(0.15, 3); // 540 s
  }, 90_000);

  test('work the agreement does not cover (hardware) is billable, with the billable work type and no agreement', async () => {
    const ticketId = randomUUID();
    const t = inbound(c, 'Monitor flickers', 'My second monitor keeps flickering and going black.');
    await publish(c, Subjects.ticketEscalated, ticketId, {
      ticket: t, category: 'hardware', stage: 'triage', reason: 'out_of_scope', reasons: ['hardware fault: a technician looks at it'],
      summary: { asked: 'Second monitor flickers', tried: [], learned: [], context: { client: c.client, requester: c.name, affectedUser: null, assets: [], relatedTickets: [], documents: [] }, suggestedNextStep: 'Check the cable and the monitor', confidence: 0.8 },
      priorityLevel: 3, security: false,
    });
    const id = await sd.settled(ticketId);
    const times = await psa.timeEntries({ system: c.system, id });
    expect(times).toHaveLength(1);
    expect(times[0]).toMatchObject({ agreementId: null, billable: true, workType: 'Remote Support' });
  }, 90_000);

  test('a request outside the agreement\'s scope (project work) is escalated to a technician with that reason', async () => {
    const ticketId = randomUUID();
    const t = inbound(c, 'Mailbox migration', 'We want to migrate all our mailboxes to a new tenant next month. Can you plan it?');
    await publish(c, Subjects.ticketTriaged, ticketId, { ticket: t, triage: triageOf(c, 'email_issue') });
    const id = await sd.settled(ticketId);
    // The escalation psa-writer raised comes back through the pipeline: summary, route, customer note, time entry.
    await waitFor(async () => (await psa.view({ system: c.system, id })).notes.some((n) => n.text.startsWith('ESCALATION SUMMARY')), 30_000, 'escalation summary');
    await waitFor(async () => (await sd.pendingOf(ticketId)) === 0, 60_000, 'escalation writes');
    const view = await psa.view({ system: c.system, id });
    const summary = view.notes.find((n) => n.text.startsWith('ESCALATION SUMMARY'))!;
    expect(summary.internal).toBe(true);
    expect(summary.text).toMatch(/request for project work: outside the scope of ".+ - Managed Services"/);
    expect(summary.text).toMatch(/quote the project work/);
    if (c.system !== 'autotask') expect(view.board).toBe('Escalations'); // Autotask shows the queue id
    const customer = view.notes.filter((n) => !n.internal).map((n) => n.text);
    expect(customer.some((x) => /passed to one of our technicians/.test(x))).toBe(true);
    const times = await psa.timeEntries({ system: c.system, id });
    expect(times).toEqual([expect.objectContaining({ billable: true, agreementId: null, workType: 'Remote Support' })]);
  }, 120_000);
});
