import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { InboundTicket, Subjects } from '@desk/contracts';
import { createDeskApp, DeskApp } from '@desk/platform';
import { TriageModule } from '../src/triage.module';
import { cleanup, isolatedEnv, query, streamEvents, waitFor } from './int-helpers';

jest.setTimeout(60_000);

describe('triage service on real NATS + PostgreSQL', () => {
  const iso = isolatedEnv();
  let desk: DeskApp;
  const ledger = `${iso.schemaPrefix}desk_ledger`;

  beforeAll(async () => {
    desk = await createDeskApp({ name: 'triage', module: TriageModule, port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await desk?.close();
    await cleanup(iso);
  });

  const send = async (t: Partial<InboundTicket> & { summary: string; description: string }): Promise<string> => {
    const ticketId = randomUUID();
    const ticket = InboundTicket.parse({ channel: 'email', psa: null, clientIdentifier: null, fromEmail: 'hannah.price@contoso-dental.example', receivedAt: '2026-11-30T16:00:00Z', ...t });
    await desk.core.uow.run((ctx) => ctx.publish(Subjects.ticketReceived, { ticketId, mspClientId: null, correlationId: ticketId }, { ticket }));
    return ticketId;
  };
  const stateOf = (ticketId: string) => waitFor(async () => (await query<{ state: string; reason: string }>(`SELECT state, reason FROM "${ledger}".ticket_state WHERE ticket_id = $1`, [ticketId]))[0], 20_000, `state of ${ticketId}`);
  const published = (ticketId: string, subject: string) => waitFor(async () => {
    const evts = await streamEvents<{ ticketId: string; payload: unknown }>(iso.stream, `${iso.prefix}${subject}`);
    const e = evts.find((x) => x.ticketId === ticketId);
    return e ? { body: JSON.stringify(e) } : null;
  }, 20_000, subject);

  it('imports the policy file at first start', async () => {
    const res = await request(desk.url).get('/policy').expect(200);
    expect(res.body.defaults.mode).toBe('shadow');
    expect(res.body.rules.length).toBeGreaterThan(5);
  });

  it('triages an L1 ticket: ticket.triaged, ledger state and audit entry', async () => {
    const id = await send({ summary: 'Password reset', description: 'I forgot my password, can you reset it? Thanks, Hannah' });
    expect((await stateOf(id)).state).toBe('triaged');
    const evt = JSON.parse((await published(id, Subjects.ticketTriaged)).body) as { payload: { triage: { category: string; clientIdentifier: string; route: { decision: string } } } };
    expect(evt.payload.triage).toMatchObject({ category: 'password_reset', clientIdentifier: 'ContosoDental', route: { decision: 'autonomous' } });
    const audit = await query<{ actor: string; decision: string }>(`SELECT actor, decision FROM "${ledger}".audit_entry WHERE ticket_id = $1`, [id]);
    expect(audit).toEqual([expect.objectContaining({ actor: 'triage', decision: 'autonomous' })]);
  });

  it('escalates a security incident with ticket.escalated', async () => {
    const id = await send({ summary: 'Ransom note', description: 'All files on the share are encrypted and there is a HOW_TO_RESTORE.txt asking for bitcoin.' });
    expect((await stateOf(id)).state).toBe('escalated');
    const evt = JSON.parse((await published(id, Subjects.ticketEscalated)).body) as { payload: { reason: string; security: boolean; stage: string } };
    expect(evt.payload).toMatchObject({ reason: 'security_incident', security: true, stage: 'triage' });
  });

  it('marks a repeat of the same person + issue as a duplicate of the open ticket', async () => {
    const first = await send({ summary: 'Printer offline', description: 'My printer shows offline and jobs are stuck in the queue.' });
    await stateOf(first);
    const second = await send({ summary: 'Printer still offline', description: 'Printer shows offline, jobs stuck in the queue again.' });
    const s = await stateOf(second);
    expect(s.state).toBe('duplicate');
    expect(s.reason).toContain(first);
  });

  it('changes policy through the API with an audit trail, and the kill switch takes effect', async () => {
    await request(desk.url).put('/policy/kill-switch/ContosoDental').set('x-desk-actor', 'jordan.reyes').send({ engaged: true, reason: 'incident review' }).expect(200);
    const trail = await request(desk.url).get('/policy/audit?limit=5').expect(200);
    expect(trail.body[0]).toMatchObject({ actor: 'jordan.reyes', action: 'engage_kill_switch', target: 'ContosoDental', reason: 'incident review' });
    const id = await send({ summary: 'Unlock please', description: 'My account is locked, I know my password. Please unlock. Hannah', receivedAt: '2026-11-30T18:00:00Z' });
    await stateOf(id);
    const evt = JSON.parse((await published(id, Subjects.ticketTriaged)).body) as { payload: { triage: { route: { decision: string; reasons: string[] } } } };
    expect(evt.payload.triage.route.decision).toBe('shadow');
    expect(evt.payload.triage.route.reasons[0]).toMatch(/kill switch/);
    await request(desk.url).put('/policy/kill-switch/ContosoDental').send({ engaged: false }).expect(200);
  });

  it('validates policy changes and imports YAML', async () => {
    await request(desk.url).put('/policy/rules/ContosoDental/password_reset').send({ mode: 'sometimes' }).expect(400);
    await request(desk.url).put('/policy/rules/ContosoDental/password_reset').send({ mode: 'shadow', minConfidence: 0.95 }).expect(200);
    const eff = await request(desk.url).get('/policy/effective?client=ContosoDental&category=password_reset').expect(200);
    expect(eff.body).toMatchObject({ mode: 'shadow', minConfidence: 0.95, source: 'ContosoDental:password_reset' });
    const imp = await request(desk.url).post('/policy/import').send({ yaml: 'rules:\n  - { client: TailspinMfg, category: printer, mode: "off" }\n', replace: true }).expect(201);
    expect(imp.body).toMatchObject({ imported: 1, replace: true });
    const doc = await request(desk.url).get('/policy').expect(200);
    expect(doc.body.rules).toEqual([{ client: 'TailspinMfg', category: 'printer', mode: 'off' }]);
  });
});
