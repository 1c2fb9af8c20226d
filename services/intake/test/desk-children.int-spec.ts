import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { CreatePsaTicket, PsaTicket } from '@desk/adapters';
import { Subjects, type PayloadInput } from '@desk/contracts';
import type { DeskApp } from '@desk/platform';
import { cleanup, isolatedEnv, NATS_URL, query, startApp, waitFor } from '../../../libs/platform/test/helpers';
import { FakePsa, serveFakePsa } from '../../psa-writer/test/fake-psa';
import { PsaWriterModule } from '../../psa-writer/src/psa-writer.module';
import { IntakeModule } from '../src/intake.module';
import { cwSign, startKeyServer, streamEvents } from './helpers';

/**
 * The child tickets the desk opens (a runbook's `childTickets`) are the desk's own: the PSA's "added"
 * callback for one — even one that arrives while psa-writer is still creating it — is ignored by intake,
 * not taken in as a new request. psa-writer and intake run side by side on one database, as deployed.
 */
const iso = isolatedEnv({ INTAKE_FETCH_POLL_MS: '50', INTAKE_ADDED_SETTLE_MS: '15000', PSA_WRITER_POLL_MS: '50', DESK_DISPATCH_POLL_MS: '0', DESK_SLA_POLL_MS: '0', DESK_FOLLOWUP_POLL_MS: '0' });
const intakeSchema = `${iso.schemaPrefix}intake`;
const SIGNING_KEY = 'cw-children-test-key';
let keys: Awaited<ReturnType<typeof startKeyServer>>;
let intake: DeskApp;
let writer: DeskApp;

async function callback(id: string): Promise<string> {
  const body = JSON.stringify({ MessageId: randomUUID(), FromUrl: 'x', CompanyId: 'harborline', MemberId: 'L1Agent', Action: 'added', Type: 'ticket', ID: Number(id), Entity: null, Metadata: { key_url: keys.url } });
  const res = await request(intake.url).post('/webhooks/connectwise').set('content-type', 'application/json').set('x-content-signature', cwSign(SIGNING_KEY, body)).send(body);
  expect(res.status).toBe(202);
  return (res.body as { deliveryId: string }).deliveryId;
}

/** A PSA whose "added" callback for a child reaches intake before the create call returns (as ConnectWise's can). */
class CallbackPsa extends FakePsa {
  readonly deliveries = new Map<string, string>();
  override async createChildTicket(parentId: string, input: CreatePsaTicket): Promise<PsaTicket> {
    const child = await super.createChildTicket(parentId, input);
    this.deliveries.set(child.id, await callback(child.id));
    // Long enough for intake to have fetched and decided, had it not waited for psa-writer's bookkeeping.
    await new Promise((r) => setTimeout(r, 600));
    return child;
  }
}
const psa = new CallbackPsa();

beforeAll(async () => {
  keys = await startKeyServer(SIGNING_KEY);
  writer = await startApp('psa-writer', PsaWriterModule);
  intake = await startApp('intake', IntakeModule);
  // Test seam: every client's PSA is the in-memory one, for both services.
  for (const app of [writer, intake]) serveFakePsa(app, psa);
}, 90_000);

afterAll(async () => {
  await intake?.close();
  await writer?.close();
  await keys?.close();
  await cleanup(iso);
}, 60_000);

test('a child ticket the desk opens is ignored by intake as created by the desk itself, though its callback came first', async () => {
  const ticketId = randomUUID();
  const from = 'kevin.oneil@contoso-dental.example';
  const ticket = { channel: 'email' as const, psa: null, clientIdentifier: 'ContosoDental', summary: 'New starter Dana Whitlock', description: 'Starts Monday.', fromEmail: from, fromName: 'Kevin ONeil', receivedAt: new Date().toISOString() };
  const triage = {
    category: 'onboarding' as const, confidence: 0.9, classifier: 'embedded' as const, clientIdentifier: 'ContosoDental',
    requester: { contactId: null, email: from, name: 'Kevin ONeil', upn: null }, affectedUpn: null,
    priority: { level: 3, name: 'Priority 3 - Medium', reasons: [] }, security: { flagged: false, signals: [] },
    route: { decision: 'autonomous' as const, reasons: [], policyMode: 'autonomous' as const, threshold: 0.7 },
  };
  const runbook: PayloadInput<typeof Subjects.runbookResolved>['runbook'] = {
    category: 'onboarding', automations: [], documents: [], prose: { prerequisites: '', steps: '', escalateIf: '', notes: '' }, usable: false, reasons: ['test'], gaps: [],
    childTickets: [{ summary: 'New hire: laptop', board: null, description: null }, { summary: 'New hire: accounts', board: null, description: null }],
  };
  const origin = { ticketId, mspClientId: 'ContosoDental', correlationId: ticketId };
  await writer.core.uow.run((ctx) => ctx.publish(Subjects.ticketTriaged, origin, { ticket, triage }));
  await writer.core.uow.run((ctx) => ctx.publish(Subjects.runbookResolved, origin, { ticket, triage, runbook }));

  await waitFor(() => (psa.deliveries.size === 2 ? true : null), 30_000, 'both children opened');
  const outcomes = await waitFor(async () => {
    const rows = await query<{ outcome: string | null; reason: string | null }>(`SELECT outcome, reason FROM "${intakeSchema}".raw_delivery WHERE id = ANY($1)`, [[...psa.deliveries.values()]]);
    return rows.length === 2 && rows.every((r) => r.outcome !== 'pending_fetch') ? rows : null;
  }, 30_000, 'intake decided on both callbacks');
  expect(outcomes).toEqual([{ outcome: 'ignored', reason: 'created by the desk itself' }, { outcome: 'ignored', reason: 'created by the desk itself' }]);
  const received = await streamEvents(NATS_URL, iso.stream, `${iso.prefix}${Subjects.ticketReceived}`);
  expect(received.filter((e) => psa.deliveries.has((e.payload as { ticket: { psa: { id: string } | null } }).ticket.psa?.id ?? ''))).toEqual([]);
}, 90_000);
