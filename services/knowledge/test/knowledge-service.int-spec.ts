import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { connect } from '@nats-io/transport-node';
import type { Msg, NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import { Envelope, InboundTicket, RpcSubjects, RunbookResolvedV1, Subjects, TicketCategory, TriageResult } from '@desk/contracts';
import { createDeskApp, DeskApp } from '@desk/platform';
import { KnowledgeModule } from '../src/knowledge.module';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const id = randomBytes(4).toString('hex');
const iso = { prefix: `t${id}.`, stream: `DESK_T${id}`, schemaPrefix: `t${id}_` };
// The demo runbooks stay as shipped; this run's copy adds a childTickets header to the onboarding runbook.
const runbooks = mkdtempSync(join(tmpdir(), 'desk-runbooks-'));
cpSync(join(__dirname, '../../../sandbox/seed/demo-msp/runbooks'), runbooks, { recursive: true });
const onboarding = join(runbooks, '_global/onboarding-new-user.md');
writeFileSync(onboarding, readFileSync(onboarding, 'utf8').replace(/\nupdated:/, [
  '', 'childTickets:',
  '  - summary: "New hire: laptop, phone and peripherals"', '    board: "Service Desk"',
  '    description: "Prepare the laptop, phone and peripherals before the start date."',
  '  - summary: "New hire: line-of-business application accounts"', 'updated:',
].join('\n')));
Object.assign(process.env, {
  NATS_URL, DATABASE_URL, NATS_SUBJECT_PREFIX: iso.prefix, NATS_STREAM: iso.stream, DB_SCHEMA_PREFIX: iso.schemaPrefix,
  DESK_CONFIG: join(__dirname, '../../../config/desk.sandbox.yaml'), LOG_LEVEL: 'error', DB_POOL_SIZE: '4', PORT: '0',
  DESK_RETRY_BASE_MS: '50', DESK_OUTBOX_POLL_MS: '200',
  KNOWLEDGE_SOURCE: 'markdown', KNOWLEDGE_MARKDOWN_DIR: runbooks, KNOWLEDGE_NOW: '2026-11-30T15:00:00Z', KNOWLEDGE_SYNC_INTERVAL_MS: '0',
});

let desk: DeskApp;
let nc: NatsConnection;
const resolved = new Map<string, Envelope<RunbookResolvedV1>>();

async function waitFor<T>(fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function ticket(client: string, summary: string): InboundTicket {
  return InboundTicket.parse({ channel: 'email', psa: null, clientIdentifier: client, summary, description: summary, fromEmail: 'someone@example.com', receivedAt: new Date().toISOString() });
}

function triage(client: string, category: TicketCategory): TriageResult {
  return TriageResult.parse({
    category, confidence: 0.9, classifier: 'embedded', clientIdentifier: client,
    requester: { contactId: null, email: null, name: null, upn: null }, affectedUpn: null,
    priority: { level: 3, name: 'Normal', reasons: [] }, security: { flagged: false, signals: [] },
    route: { decision: 'autonomous', reasons: [], policyMode: 'autonomous', threshold: 0.8 },
  });
}

async function publishTriaged(client: string, category: TicketCategory, summary: string): Promise<string> {
  const ticketId = randomUUID();
  await desk.core.uow.run(async (ctx) => {
    await ctx.publish(Subjects.ticketTriaged, { ticketId, mspClientId: client, correlationId: ticketId }, { ticket: ticket(client, summary), triage: triage(client, category) });
  });
  return ticketId;
}

beforeAll(async () => {
  nc = await connect({ servers: NATS_URL });
  nc.subscribe(`${iso.prefix}${Subjects.runbookResolved}`, {
    callback: (_err: Error | null, msg: Msg) => {
      const evt = msg.json<Envelope<RunbookResolvedV1>>();
      resolved.set(evt.ticketId, evt);
    },
  });
  desk = await createDeskApp({ name: 'knowledge', module: KnowledgeModule, port: 0, host: '127.0.0.1' });
  await waitFor(async () => {
    const res = await request(desk.app.getHttpServer()).get('/sync');
    return res.body.scopes?.length === 6 && res.body.scopes.every((s: { lastSuccessAt: string | null }) => s.lastSuccessAt);
  });
}, 60_000);

afterAll(async () => {
  await desk?.close();
  rmSync(runbooks, { recursive: true, force: true });
  await nc?.drain();
  const pg = new Client({ connectionString: DATABASE_URL });
  await pg.connect();
  for (const r of (await pg.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${iso.schemaPrefix}%`])).rows) {
    await pg.query(`DROP SCHEMA "${r.nspname}" CASCADE`);
  }
  await pg.end();
  const nc2 = await connect({ servers: NATS_URL });
  await (await jetstreamManager(nc2)).streams.delete(iso.stream).catch(() => false);
  await nc2.close();
}, 30_000);

test('a triaged ticket gets the client runbook, with the documents used and why', async () => {
  const ticketId = await publishTriaged('RiverbendFdn', 'password_reset', 'Volunteer forgot password');
  const evt = await waitFor(() => resolved.get(ticketId));
  expect(evt.causationId).not.toBeNull();
  expect(evt.payload.runbook).toMatchObject({ category: 'password_reset', usable: true });
  expect(evt.payload.runbook.automations[0]).toMatchObject({ action: 'reset_password', identityVerification: 'manager_approval' });
  expect(evt.payload.runbook.documents[0]).toMatchObject({ docId: 'riverbend-foundation/password-reset.md', scope: 'client' });
  expect(evt.payload.runbook.prose.prerequisites).toMatch(/approv/i);
});

test('the runbook header\'s child tickets travel with the resolution (synced from the docs system, stored, resolved)', async () => {
  const ticketId = await publishTriaged('ContosoDental', 'onboarding', 'New hire starting Monday');
  const evt = await waitFor(() => resolved.get(ticketId));
  expect(evt.payload.runbook.childTickets?.map((c) => c.summary)).toEqual(['New hire: laptop, phone and peripherals', 'New hire: line-of-business application accounts']);
  expect(evt.payload.runbook.childTickets?.[0]).toMatchObject({ board: 'Service Desk' });
});

test('no runbook and stale runbooks are said, not hidden', async () => {
  const a = await publishTriaged('WhitfieldCrane', 'software_install', 'Please install Grammarly');
  const b = await publishTriaged('ContosoDental', 'service_restart', 'ClearView bridge stopped');
  expect((await waitFor(() => resolved.get(a))).payload.runbook).toMatchObject({ usable: false, gaps: ['no_runbook'] });
  expect((await waitFor(() => resolved.get(b))).payload.runbook.gaps).toContain('stale');
});

test('search over request/reply stays within the client', async () => {
  const reply = await desk.core.nats.request(RpcSubjects.knowledgeSearch, { clientIdentifier: 'ContosoDental', query: 'FortiClient VPN will not connect from home' });
  expect(reply.hits[0]).toMatchObject({ docId: 'contoso-dental/vpn-forticlient.md', scope: 'client' });
  const other = await desk.core.nats.request(RpcSubjects.knowledgeSearch, { clientIdentifier: 'ContosoDental', query: 'LexFile Outlook add-in GlobalProtect', limit: 50 });
  expect(other.hits.filter((h) => h.scope === 'client' && !h.docId.startsWith('contoso-dental/'))).toEqual([]);
});

test('a category hint travels over request/reply, validated by the schema', async () => {
  const query = { clientIdentifier: 'ContosoDental', query: 'cannot connect from home, says connection failed' };
  const hinted = await desk.core.nats.request(RpcSubjects.knowledgeSearch, { ...query, categoryHint: { category: 'vpn_connectivity', confidence: 0.95 } });
  expect(hinted.hits[0]).toMatchObject({ docId: 'contoso-dental/vpn-forticlient.md', category: 'vpn_connectivity' });
  await expect(desk.core.nats.request(RpcSubjects.knowledgeSearch, { ...query, categoryHint: { category: 'vpn_connectivity', confidence: 1.5 } })).rejects.toThrow();
  await expect(desk.core.nats.request(RpcSubjects.knowledgeSearch, { ...query, categoryHint: { category: 'not_a_category' as never, confidence: 0.5 } })).rejects.toThrow();
});

test('verification failures and lookups feed the gap report and the metrics', async () => {
  const ticketId = await publishTriaged('AlderBrooksCPA', 'software_install', 'Install AuditTrail Pro');
  await waitFor(() => resolved.get(ticketId));
  await desk.core.uow.run(async (ctx) => {
    await ctx.publish(Subjects.ticketEscalated, { ticketId, mspClientId: 'AlderBrooksCPA', correlationId: ticketId }, {
      ticket: ticket('AlderBrooksCPA', 'Install AuditTrail Pro'), category: 'software_install', stage: 'verifier', reason: 'verification_failed',
      reasons: ['title not in inventory after install'], priorityLevel: 3, security: false,
      summary: { asked: 'install', tried: ['install_software'], learned: [], context: { client: 'AlderBrooksCPA', requester: null, affectedUser: null, assets: [], relatedTickets: [], documents: [] }, suggestedNextStep: 'check', confidence: null },
    });
  });
  const http = request(desk.app.getHttpServer());
  const gaps = await waitFor(async () => {
    const res = await http.get('/gaps?client=AlderBrooksCPA').expect(200);
    return res.body.gaps.find((g: { kind: string }) => g.kind === 'verification_failed') ? res.body.gaps : null;
  });
  expect(gaps.find((g: { kind: string }) => g.kind === 'verification_failed')).toMatchObject({ category: 'software_install', count: 1, items: [ticketId] });
  await http.post('/sync').send({ mode: 'incremental' }).expect(200);
  const metrics = (await http.get('/metrics').expect(200)).text;
  expect(metrics).toMatch(/desk_knowledge_gaps\{[^}]*client="WhitfieldCrane"[^}]*category="vpn_connectivity"[^}]*kind="stale"[^}]*\} 1/);
  expect(metrics).toMatch(/desk_knowledge_lookups_total\{[^}]*\}/);
  expect(metrics).toMatch(/desk_knowledge_sync_runs_total\{[^}]*outcome="ok"/);
  await http.post('/sync').send({ mode: 'sideways' }).expect(400);
});
