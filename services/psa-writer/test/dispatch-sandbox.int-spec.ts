import { AdapterRegistry, loadDeskConfig } from '@desk/adapters';
import type { TicketEscalatedV1 } from '@desk/contracts';
import { join } from 'node:path';
import { startTestSandbox } from '../../../sandbox/test/sandbox-harness';
import { AgreementService } from '../src/agreements/agreement.service';
import { loadDispatchEnv } from '../src/dispatch/dispatch-config';
import { DispatchService } from '../src/dispatch/dispatch.service';

/**
 * Dispatch and agreements against the sandbox PSAs (ConnectWise, HaloPSA, Autotask), through the real
 * adapters: the team and its load come from the PSA, the owner lands on the ticket, agreements decide billing.
 */
let sb: Awaited<ReturnType<typeof startTestSandbox>>;
let registry: AdapterRegistry;
const MON_0900 = new Date('2026-11-30T15:00:00Z'); // Monday 09:00 in Chicago
const SUN_0300 = new Date('2026-11-29T09:00:00Z');
let now = MON_0900;
const env = loadDispatchEnv({ DESK_DISPATCH_ON_CALL: 'pnguyen,aokafor,kwatanabe', DESK_DISPATCH_CACHE_MS: '0', DESK_DISPATCH_TIMEZONE: 'America/Chicago' });

beforeAll(async () => {
  sb = await startTestSandbox();
  process.env.SANDBOX_URL = sb.url;
  registry = new AdapterRegistry(loadDeskConfig(join(__dirname, '../../../config/desk.sandbox.yaml')));
}, 90_000);
afterAll(async () => {
  await sb?.stop();
}, 60_000);

const service = () => new DispatchService(registry, env, () => now);

function escalation(over: Partial<TicketEscalatedV1> = {}): TicketEscalatedV1 {
  return {
    ticket: {
      channel: 'email', psa: null, clientIdentifier: 'ContosoDental', summary: 'Suspicious sign-in', description: 'I got an MFA prompt I did not ask for',
      fromEmail: 'kevin.oneil@contoso-dental.example', fromName: 'Kevin ONeil', contactId: null, receivedAt: MON_0900.toISOString(),
      attachments: [], alert: null, rawRef: null,
    },
    category: 'security_incident', stage: 'triage', reason: 'security_incident', reasons: ['unexpected MFA prompt'],
    summary: {
      asked: 'unexpected MFA prompt', tried: [], learned: [], suggestedNextStep: 'review sign-in logs', confidence: 0.9,
      context: { client: 'ContosoDental', requester: 'Kevin ONeil', affectedUser: null, assets: [], relatedTickets: [], documents: [] },
    },
    priorityLevel: 2, security: true, ...over,
  };
}

test('reads the team from ConnectWise: roles from member titles, on-call from the roster', async () => {
  const techs = await service().technicians('ContosoDental');
  const by = Object.fromEntries(techs.map((t) => [t.identifier, t]));
  expect(by.aokafor).toMatchObject({ role: 'l2', onCall: true });
  expect(by.sfarrell).toMatchObject({ role: 'l3', onCall: false });
  expect(by.kwatanabe).toMatchObject({ role: 'security', onCall: true });
  expect(by.dmercer).toMatchObject({ role: 'manager' });
}, 30_000);

test('load from the PSA\'s open tickets moves the next routine ticket to another L1', async () => {
  now = MON_0900;
  const svc = service();
  const req = { category: 'printer', reason: 'no_runbook', priorityLevel: 3, security: false, monitoring: false, infrastructure: false, at: MON_0900 };
  const first = await svc.decide('ContosoDental', req);
  expect(first.ownerIdentifier).not.toBeNull();
  const techs = await svc.technicians('ContosoDental');
  const l1 = techs.filter((t) => t.role === 'l1' && t.identifier !== 'L1Agent');
  const mine = l1.find((t) => t.identifier === first.ownerIdentifier)!;
  const busiestOther = Math.max(...l1.filter((t) => t !== mine).map((t) => t.openTickets));
  const psa = registry.psa('ContosoDental');
  for (let i = 0; i <= busiestOther - mine.openTickets; i++) {
    const t = await psa.createTicket({ companyIdentifier: 'ContosoDental', summary: `Load ${i}`, description: 'load for dispatch' });
    await psa.route(t.id, { board: 'Service Desk', ownerIdentifier: mine.identifier });
  }
  const second = await svc.decide('ContosoDental', req);
  expect(second.ownerIdentifier).not.toBe(first.ownerIdentifier);
  expect(l1.map((t) => t.identifier)).toContain(second.ownerIdentifier);
}, 60_000);

test('assign(): a security escalation lands on the Security board at priority 1, owned by the security analyst, with why', async () => {
  now = SUN_0300;
  const psa = registry.psa('ContosoDental');
  const t = await psa.createTicket({ companyIdentifier: 'ContosoDental', summary: 'Suspicious sign-in', description: 'unexpected MFA prompt' });
  const d = await service().assign('ContosoDental', t.id, escalation());
  expect(d).toMatchObject({ board: 'Security', ownerIdentifier: 'kwatanabe', page: true });
  const after = await psa.getTicket(t.id);
  expect(after).toMatchObject({ board: 'Security', ownerIdentifier: 'kwatanabe', priority: 'Priority 1 - Critical' });
  const notes = await psa.listNotes(t.id);
  expect(notes.some((n) => n.internal && n.text.startsWith('Dispatch') && n.text.includes('outside working hours'))).toBe(true);
}, 30_000);

test('assign(): a failed action at night goes to the on-call L2 on Escalations', async () => {
  now = SUN_0300;
  const psa = registry.psa('ContosoDental');
  const t = await psa.createTicket({ companyIdentifier: 'ContosoDental', summary: 'Reset failed', description: 'password reset failed' });
  const d = await service().assign('ContosoDental', t.id, escalation({ category: 'password_reset', reason: 'action_failed', security: false, priorityLevel: 3 }));
  expect(d.ownerIdentifier).toBe('aokafor');
  expect(await psa.getTicket(t.id)).toMatchObject({ board: 'Escalations', ownerIdentifier: 'aokafor' });
}, 30_000);

describe.each([['ContosoDental', 'connectwise'], ['TailspinMfg', 'halopsa'], ['RiverbendFdn', 'autotask']])('agreements of %s (%s)', (client) => {
  const agreements = () => new AgreementService(registry, env, () => now);
  test('covered categories are not billable, hardware break/fix is, a purchase escalates', async () => {
    const svc = agreements();
    const list = await svc.agreements(client);
    expect(list.filter((a) => a.active).length).toBeGreaterThan(0);
    expect(await svc.coverage(client, { category: 'password_reset', summary: 'Forgot my password', description: '' }))
      .toMatchObject({ kind: 'covered', billable: false, workType: 'Automation' });
    expect(await svc.coverage(client, { category: 'hardware', summary: 'Laptop hinge broken', description: '' }))
      .toMatchObject({ kind: 'billable', billable: true, workType: 'Remote Support' });
    const out = await svc.coverage(client, { category: 'hardware', summary: 'Please order two new laptops', description: 'for new hires' });
    expect(out).toMatchObject({ kind: 'out_of_scope', exclusion: 'hardware_purchase' });
    expect(out.reason).toContain('Managed Services');
  }, 30_000);
});
