import { randomUUID } from 'node:crypto';
import { AdapterRegistry } from '@desk/adapters';
import { Subjects, type PayloadInput } from '@desk/contracts';
import { waitFor } from '../../../libs/platform/test/helpers';
import { useSandboxDesk } from './sandbox-desk';

/**
 * Child tickets a runbook asks for (header `childTickets`), opened through each PSA's own linkage against
 * the sandbox — ConnectWise `attachChildren` (the child's `parentTicketId`), HaloPSA `parent_id`, Autotask
 * `problemTicketId` (an Incident under a Problem) — once each, however often the resolution arrives.
 */
const sd = useSandboxDesk();

const CHILDREN = [
  { summary: 'New hire: laptop, phone and peripherals', board: 'Service Desk', description: 'Prepare the laptop and phone before the start date.' },
  { summary: 'New hire: line-of-business application accounts', board: null, description: null },
];

test.each([
  { system: 'connectwise', client: 'ContosoDental', from: 'kevin.oneil@contoso-dental.example', name: 'Kevin ONeil' },
  { system: 'halopsa', client: 'TailspinMfg', from: 'michael.torres@tailspin-mfg.example', name: 'Michael Torres' },
  { system: 'autotask', client: 'RiverbendFdn', from: 'thomas.reed@riverbend-foundation.example', name: 'Thomas Reed' },
])('$system: the runbook\'s child tickets are opened under the ticket, once each, even when the resolution comes twice', async (c) => {
  const ticketId = randomUUID();
  const summary = `New starter Dana Whitlock ${ticketId.slice(0, 6)}`;
  const ticket = { channel: 'email' as const, psa: null, clientIdentifier: c.client, summary, description: 'Starts Monday as office coordinator, same access as Kim.', fromEmail: c.from, fromName: c.name, receivedAt: new Date().toISOString() };
  const triage = {
    category: 'onboarding' as const, confidence: 0.9, classifier: 'embedded' as const, clientIdentifier: c.client,
    requester: { contactId: null, email: c.from, name: c.name, upn: null }, affectedUpn: null,
    priority: { level: 3, name: 'Priority 3 - Medium', reasons: [] }, security: { flagged: false, signals: [] },
    route: { decision: 'autonomous' as const, reasons: [], policyMode: 'autonomous' as const, threshold: 0.7 },
  };
  const runbook: PayloadInput<typeof Subjects.runbookResolved>['runbook'] = {
    category: 'onboarding', automations: [], documents: [], prose: { prerequisites: '', steps: '', escalateIf: '', notes: '' }, usable: false, reasons: ['test'], gaps: [], childTickets: CHILDREN,
  };
  const origin = { ticketId, mspClientId: c.client, correlationId: ticketId };
  await sd.desk.core.uow.run((ctx) => ctx.publish(Subjects.ticketTriaged, origin, { ticket, triage }));
  // The resolution may reach psa-writer before its PSA ticket exists: the children wait in the ticket's lane.
  await sd.desk.core.uow.run((ctx) => ctx.publish(Subjects.runbookResolved, origin, { ticket, triage, runbook }));
  const parent = await waitFor(() => sd.psaId(ticketId), 30_000, 'PSA ticket');
  await waitFor(async () => (await sd.pendingOf(ticketId)) === 0, 60_000, 'writes');
  // A second resolution of the same ticket (a new event) asks for the same children.
  await sd.desk.core.uow.run((ctx) => ctx.publish(Subjects.runbookResolved, origin, { ticket, triage, runbook }));
  await new Promise((r) => setTimeout(r, 1500));
  await waitFor(async () => (await sd.pendingOf(ticketId)) === 0, 60_000, 'writes after the repeat');
  expect(await sd.failedOf(ticketId)).toEqual([]);

  const psa = sd.desk.app.get(AdapterRegistry).psa(c.client);
  const found = await psa.findTickets({ companyIdentifier: c.client, summaryContains: summary.slice(0, 30), limit: 50 });
  const children = found.filter((t) => t.id !== parent);
  expect(children.map((t) => t.summary).sort()).toEqual(CHILDREN.map((x) => `${x.summary} - ${summary}`).sort());
  for (const child of children) {
    expect(child.parentId).toBe(parent);
    expect((await psa.getTicket(child.id)).parentId).toBe(parent);
  }
  expect(children.find((t) => t.summary.startsWith('New hire: laptop'))!.description).toContain('Prepare the laptop and phone');
}, 120_000);
