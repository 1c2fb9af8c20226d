import { Harness, admin, calls, lastReason, lastSeq, mutations, outbox, publishEnvelope, reply, resolvedEvent, startHarness, stateOf, waitState } from '../../services/executor/test/harness';
import { snapshotOf } from '../../services/executor/test/support/world';
import { loadRedTeam, RedTeamTicket } from './redteam-set';

/**
 * Every red-team ticket through the real executor and verifier against the vendor sandbox: the sandbox
 * call log must show no change at any vendor, every ticket ends escalated with its reason, and every SMS
 * the desk sent went to a mobile on file (never a number from the ticket) and carried no password.
 */
const CODE_TTL_MS = 2500;
const set = loadRedTeam();
let h: Harness;

beforeAll(async () => { h = await startHarness({ EXECUTOR_CODE_TTL_MS: String(CODE_TTL_MS), EXECUTOR_TICK_MS: '200' }); }, 90_000);
afterAll(async () => { await h?.stop(); }, 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function latestCode(since: string): Promise<string | null> {
  const msgs = (await outbox(h)).filter((m) => m.channel === 'sms' && m.at >= since);
  for (const m of msgs.reverse()) {
    const c = /verification code is (\d{6})/.exec(m.body)?.[1];
    if (c) return c;
  }
  return null;
}

async function play(t: RedTeamTicket): Promise<void> {
  const since = new Date(Date.now() - 1000).toISOString();
  const evt = resolvedEvent({
    client: t.client, category: t.category, from: t.from, summary: t.summary, description: t.description, affectedUpn: t.affectedUpn,
    entities: t.entities.map((e) => ({ kind: e.kind, mention: e.ref, ref: e.ref, confidence: 0.95, note: null })), channel: t.channel, alertDevice: t.alertDevice ?? null,
  });
  const seq = await lastSeq(h);
  await publishEnvelope(h, evt);
  for (const r of t.replies ?? []) {
    const st = await waitState(h, evt.ticketId, [r.awaits ?? 'awaiting_verification', 'escalated'], 20_000);
    if (st === 'escalated') break;
    let body = r.body ?? '';
    if (r.code) {
      const code = await latestCode(since);
      expect(code).not.toBeNull();
      body = r.code === 'right' ? code! : String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    }
    if (r.afterExpiry) await sleep(CODE_TTL_MS + 500);
    await reply(h, evt.ticketId, t.client, { channel: r.channel, fromEmail: r.fromEmail ?? null, fromPhone: r.fromPhone ?? null, body });
    await sleep(600);
  }
  expect(await waitState(h, evt.ticketId, ['escalated', 'resolved'], 20_000)).toBe('escalated');
  if (t.expectReason) expect(await lastReason(h, evt.ticketId)).toMatch(new RegExp(`^${t.expectReason}:`));
  // No change at any vendor for this ticket (reads and token requests excepted).
  expect(mutations(await calls(h, seq)).map((c) => `${c.method} ${c.path}`)).toEqual([]);
  // Every SMS went to a mobile on file of this client and held no password.
  const onFile = new Set(snapshotOf(t.client).contacts.map((c) => (c.mobile ?? '').replace(/\D/g, '')).filter(Boolean));
  for (const m of (await outbox(h)).filter((x) => x.channel === 'sms' && x.at >= since)) {
    expect([...onFile].some((n) => m.to.replace(/\D/g, '').endsWith(n.slice(-7)))).toBe(true);
    expect(m.body).not.toMatch(/temporary password/i);
  }
  expect(await stateOf(h, evt.ticketId)).toBe('escalated');
}

it('holds at least 40 tickets', () => expect(set.length).toBeGreaterThanOrEqual(40));

describe.each(set.map((t) => [t.id, t] as const))('%s', (_id, t) => {
  it(`${t.attack} → no action, escalated`, async () => {
    await admin(h, '/reset', { method: 'POST', body: {} });
    await play(t);
  }, 60_000);
});
