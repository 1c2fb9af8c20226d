import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdapterRegistry } from '@desk/adapters';
import { Subjects, type PayloadInput } from '@desk/contracts';
import { DeskLogger, DeskMetrics } from '@desk/platform';
import { query, waitFor } from '../../../libs/platform/test/helpers';
import { MorningSummaryService } from '../src/after-hours/morning-summary.service';
import { DISPATCH_ENV } from '../src/dispatch/tokens';
import type { DispatchEnv } from '../src/dispatch/dispatch-config';
import { useSandboxDesk } from './sandbox-desk';

/**
 * The morning queue with two replicas and a driven clock: at the start of Contoso's business day (Chicago
 * 07:30) what arrived overnight is summarized once, ordered, posted once to the desk's Teams channel (the
 * sandbox's outbox), and served over HTTP. The service's own poller is off (DESK_MORNING_SUMMARY_POLL_MS=0).
 */
const sd = useSandboxDesk({ DESK_MORNING_SUMMARY_POLL_MS: '0' });
const CLIENT = 'ContosoDental';
// Tuesday 2026-12-01: Contoso opens at 07:30 CST = 13:30Z; Monday closed at 17:30 CST = 23:30Z.
const OPENING_PLUS_5 = new Date('2026-12-01T13:35:00Z');

function replica(clock: () => Date): MorningSummaryService {
  const app = sd.desk.app;
  return new MorningSummaryService(app.get(DataSource), app.get(AdapterRegistry), app.get(DeskLogger), app.get(DeskMetrics), app.get<DispatchEnv>(DISPATCH_ENV), clock);
}

const triage = (level: number) => ({
  category: 'printer' as const, confidence: 0.9, classifier: 'embedded' as const, clientIdentifier: CLIENT,
  requester: { contactId: null, email: 'kevin.oneil@contoso-dental.example', name: 'Kevin ONeil', upn: null }, affectedUpn: null,
  priority: { level, name: `Priority ${level}`, reasons: [] }, security: { flagged: false, signals: [] },
  route: { decision: 'autonomous' as const, reasons: [], policyMode: 'autonomous' as const, threshold: 0.7 },
});
async function publish<S extends (typeof Subjects)[keyof typeof Subjects]>(subject: S, ticketId: string, payload: PayloadInput<S>): Promise<void> {
  await sd.desk.core.uow.run((ctx) => ctx.publish(subject, { ticketId, mspClientId: CLIENT, correlationId: ticketId }, payload));
}
const inbound = (summary: string, receivedAt: string) => ({
  channel: 'email' as const, psa: null, clientIdentifier: CLIENT, summary, description: summary, fromEmail: 'kevin.oneil@contoso-dental.example', fromName: 'Kevin ONeil', receivedAt,
});

test('two replicas at the opening: one summary, ordered by priority and SLA, posted once to the desk channel and served over HTTP', async () => {
  const resolved = randomUUID();
  const escalated = randomUUID();
  const waiting = randomUUID();
  const daytime = randomUUID();
  const t1 = inbound('Front desk printer offline', '2026-12-01T02:10:00Z');
  await publish(Subjects.ticketTriaged, resolved, { ticket: t1, triage: triage(3) });
  await publish(Subjects.ticketResolved, resolved, { ticket: t1, category: 'printer', actions: ['clear_print_queue'], evidence: [], customerMessage: 'Cleared.', internalNote: 'ok', handlingSeconds: 60 });
  const t2 = inbound('Imaging server unreachable', '2026-12-01T04:00:00Z');
  await publish(Subjects.ticketEscalated, escalated, {
    ticket: t2, category: 'hardware', stage: 'triage', reason: 'out_of_scope', reasons: ['server hardware: a technician looks at it'],
    summary: { asked: 'Imaging server down', tried: [], learned: [], context: { client: CLIENT, requester: 'Kevin ONeil', affectedUser: null, assets: [], relatedTickets: [], documents: [] }, suggestedNextStep: 'Check the server', confidence: 0.8 },
    priorityLevel: 2, security: false,
  });
  const t3 = inbound('Password expired', '2026-12-01T05:30:00Z');
  await publish(Subjects.ticketTriaged, waiting, { ticket: t3, triage: triage(3) });
  await publish(Subjects.ticketPlanned, waiting, { ticket: t3, category: 'password_reset', stage: 'awaiting_verification', plan: [], customerMessage: null, internalNote: 'code sent' });
  const t4 = inbound('Arrived during Monday business hours', '2026-11-30T18:00:00Z');
  await publish(Subjects.ticketTriaged, daytime, { ticket: t4, triage: triage(3) });
  for (const id of [resolved, escalated, waiting, daytime]) await sd.settled(id);

  // Before the opening nothing happens; then two replicas race at 07:35 local.
  expect((await replica(() => new Date('2026-12-01T13:00:00Z')).tick()).filter((s) => s.client === CLIENT)).toEqual([]);
  const a = replica(() => OPENING_PLUS_5);
  const b = replica(() => OPENING_PLUS_5);
  const runs = await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
  const mine = runs.flat().filter((s) => s.client === CLIENT);
  expect(mine).toHaveLength(1);
  const s = mine[0]!;
  expect(s.escalated.map((l) => l.ticketId)).toEqual([escalated]);
  expect(s.waiting.map((l) => l.ticketId)).toEqual([waiting]);
  expect(s.worked.map((l) => l.ticketId)).toEqual([resolved]);
  expect(JSON.stringify(s)).not.toContain(daytime); // arrived in business hours: not overnight

  const outbox = async () => ((await (await fetch(`${sd.sandbox.url}/admin/outbox?channel=teams`)).json()) as Array<{ body: string }>).filter((m) => /Overnight at Contoso/.test(m.body));
  const posted = await waitFor(async () => ((await outbox()).length > 0 ? outbox() : null), 30_000, 'the chat message');
  expect(posted).toHaveLength(1);
  expect(posted[0]!.body).toMatch(/3 ticket\(s\) — 1 for a technician, 1 waiting, 1 resolved/);
  expect(posted[0]!.body.indexOf('Imaging server unreachable')).toBeLessThan(posted[0]!.body.indexOf('Password expired'));

  // Later the same day, and after a restart (a new replica): nothing more.
  expect((await replica(() => new Date('2026-12-01T20:00:00Z')).tick()).filter((x) => x.client === CLIENT)).toEqual([]);
  expect(await query(`SELECT count(*)::int AS n FROM "${sd.schema}".psa_write WHERE kind = 'chat'`)).toEqual([{ n: 1 }]);
  await new Promise((r) => setTimeout(r, 500));
  expect(await outbox()).toHaveLength(1);

  const http = request(sd.desk.app.getHttpServer());
  const served = await http.get(`/morning-summaries/${CLIENT}?day=2026-12-01`).expect(200);
  expect(served.body.summary).toMatchObject({ client: CLIENT, businessDay: '2026-12-01', windowStart: '2026-11-30T23:30:00.000Z', windowEnd: '2026-12-01T13:30:00.000Z' });
  expect(served.body.summary.escalated[0]).toMatchObject({ ticketId: escalated, priorityLevel: 2, slaDueAt: expect.any(String) });
  await http.get(`/morning-summaries/${CLIENT}`).expect(200);
  await http.get(`/morning-summaries/${CLIENT}?day=2026-12-02`).expect(404);
  await http.get(`/morning-summaries/${CLIENT}?day=tomorrow`).expect(400);
  await http.get('/morning-summaries/NoSuchClient').expect(404);
}, 120_000);
