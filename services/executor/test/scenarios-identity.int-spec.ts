import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { query, NATS_URL } from '../../../libs/platform/test/helpers';
import { Harness, admin, calls, lastReason, lastSeq, mutations, outbox, publishEnvelope, reply, resolvedEvent, startHarness, waitState } from './harness';
import { ent, TicketSpec } from './support/world';

let h: Harness;
beforeAll(async () => { h = await startHarness(); }, 90_000);
afterAll(async () => { await h?.stop(); }, 60_000);
beforeEach(async () => {
  await admin(h, '/reset', { method: 'POST', body: {} });
  await query(`DELETE FROM "${h.executorSchema}".action_attempt`);
});

const C = 'contoso-dental.example';
const digits = (p: string) => p.replace(/\D/g, '');

async function smsTo(mobile: string, since: string, re: RegExp): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const m = (await outbox(h)).filter((x) => x.channel === 'sms' && x.at >= since && digits(x.to).endsWith(digits(mobile).slice(-7))).map((x) => re.exec(x.body)?.[1]).find((x) => x);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no SMS to ${mobile} matching ${re}`);
}

/** Plays the user: reads the code from the sandbox SMS outbox and answers by SMS from the mobile on file. */
async function run(spec: TicketSpec, mobile: string | null): Promise<{ ticketId: string; since: string }> {
  const since = new Date(Date.now() - 1000).toISOString();
  const evt = resolvedEvent(spec);
  await publishEnvelope(h, evt);
  if (mobile) {
    const st = await waitState(h, evt.ticketId, ['awaiting_verification', 'escalated', 'resolved']);
    if (st !== 'awaiting_verification') throw new Error(`${st}: ${await lastReason(h, evt.ticketId)}`);
    const code = await smsTo(mobile, since, /verification code is (\d{6})/);
    await reply(h, evt.ticketId, spec.client, { channel: 'sms', fromPhone: `+1${digits(mobile).slice(-7)}`, body: `${code}` });
  }
  return { ticketId: evt.ticketId, since };
}

async function allStreamText(): Promise<string> {
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    const stream = process.env.NATS_STREAM!;
    const info = await jsm.streams.info(stream);
    const out: string[] = [];
    const consumer = await jetstream(nc).consumers.get(stream);
    const msgs = await consumer.fetch({ max_messages: info.state.messages, expires: 2000 });
    for await (const m of msgs) {
      out.push(m.string());
      if (out.length >= info.state.messages) break;
    }
    return out.join('\n');
  } finally {
    await nc.close();
  }
}

describe('reset_password', () => {
  it('code to the mobile on file, reset, temporary password only by SMS to that mobile, proven, resolved', async () => {
    const seq = await lastSeq(h);
    const { ticketId, since } = await run({ client: 'ContosoDental', category: 'password_reset', from: `raj.patel@${C}`, summary: 'Forgot my password', affectedUpn: `raj.patel@${C}` }, '+1-555-0111');
    expect(await waitState(h, ticketId, ['resolved', 'escalated'])).toBe('resolved');
    const password = await smsTo('+1-555-0111', since, /temporary password is (\S+) /);
    // Only the affected user's mobile got messages for this ticket.
    expect((await outbox(h)).filter((m) => m.at >= since).every((m) => digits(m.to).endsWith('5550111'))).toBe(true);
    // The password is in no NATS payload, no audit entry, no ledger row, no vendor call log entry.
    expect(await allStreamText()).not.toContain(password);
    const audit = await query<{ t: string }>(`SELECT string_agg(row_to_json(a)::text, '') AS t FROM "${h.ledger}".audit_entry a`);
    expect(audit[0]!.t).not.toContain(password);
    expect(JSON.stringify(await calls(h, seq))).not.toContain(password);
    expect(mutations(await calls(h, seq)).filter((c) => c.vendor === 'graph')).toHaveLength(1);
  }, 60_000);

  it('Graph 503 during the reset, then recovery: one accepted reset, resolved', async () => {
    await admin(h, '/faults', { method: 'POST', body: { vendor: 'graph', kind: 'server_error', value: 503, count: 2, pathContains: 'users' } });
    const seq = await lastSeq(h);
    const { ticketId } = await run({ client: 'ContosoDental', category: 'password_reset', from: `nora.feldman@${C}`, summary: 'Forgot my password', affectedUpn: `nora.feldman@${C}` }, '+1-555-0117');
    expect(await waitState(h, ticketId, ['resolved', 'escalated'])).toBe('resolved');
    expect(mutations(await calls(h, seq)).filter((c) => c.vendor === 'graph' && c.status < 300)).toHaveLength(1);
  }, 60_000);
});

describe('identity actions', () => {
  it('unlock (cloud): manager asks for a report, code to the user, lockout cleared', async () => {
    const { ticketId } = await run({ client: 'ContosoDental', category: 'account_unlock', from: `maria.gonzalez@${C}`, summary: 'Brittany locked out', affectedUpn: `brittany.lowe@${C}` }, '+1-555-0118');
    expect(await waitState(h, ticketId, ['resolved', 'escalated'])).toBe('resolved');
  }, 60_000);

  it('unlock (hybrid AD): Unlock-ADAccount on WC-DC01, proven by lockedOut false', async () => {
    const seq = await lastSeq(h);
    const { ticketId } = await run({ client: 'WhitfieldCrane', category: 'account_unlock', from: 'ethan.marsh@whitfieldcrane-law.example', summary: 'Locked out', affectedUpn: 'ethan.marsh@whitfieldcrane-law.example' }, '+1-555-0132');
    expect(await waitState(h, ticketId, ['resolved', 'escalated'])).toBe('resolved');
    expect(JSON.stringify(mutations(await calls(h, seq)))).toMatch(/quickjob|Unlock/);
  }, 60_000);

  it('MFA re-enrolment asked by the manager on file: methods removed, sessions revoked, resolved', async () => {
    const { ticketId } = await run({ client: 'ContosoDental', category: 'mfa_reenroll', from: `maria.gonzalez@${C}`, summary: 'MFA reset for Hannah', description: 'Hannah got a new iPhone (same number); Authenticator did not transfer.', affectedUpn: `hannah.price@${C}` }, '+1-555-0121');
    expect(await waitState(h, ticketId, ['resolved', 'escalated'])).toBe('resolved');
  }, 60_000);

  it('add_to_group (self-service), code to the requester, membership proven', async () => {
    const { ticketId } = await run({ client: 'ContosoDental', category: 'group_membership', from: `raj.patel@${C}`, summary: 'Scan to folder', affectedUpn: `raj.patel@${C}`, entities: [ent('group', 'CDG-Scan-to-Folder')] }, '+1-555-0111');
    expect(await waitState(h, ticketId, ['resolved', 'escalated'])).toBe('resolved');
  }, 60_000);

  it('add_to_distribution_list (self-service list)', async () => {
    const { ticketId } = await run({ client: 'ContosoDental', category: 'distribution_list', from: `aisha.rahman@${C}`, summary: 'Lakeview list', affectedUpn: `aisha.rahman@${C}`, entities: [ent('group', 'CDG-Lakeview-Staff')] }, '+1-555-0115');
    expect(await waitState(h, ticketId, ['resolved', 'escalated'])).toBe('resolved');
  }, 60_000);

  it('remove_from_group (global runbook, Tailspin), the user asks for their own membership', async () => {
    const { ticketId } = await run({ client: 'TailspinMfg', category: 'group_membership', from: 'kyle.brandt@tailspin-mfg.example', summary: 'Remove me from Engineering', description: 'Please remove me from TSP-Engineering, I moved to quality.', affectedUpn: 'kyle.brandt@tailspin-mfg.example', entities: [ent('group', 'TSP-Engineering')] }, '+1-555-0143');
    const final = await waitState(h, ticketId, ['resolved', 'escalated']);
    expect([final, await lastReason(h, ticketId)]).toEqual(['resolved', expect.any(String)]);
  }, 60_000);

  it('disable_account: manager on file, person already left, code to the manager', async () => {
    const { ticketId } = await run({ client: 'ContosoDental', category: 'offboarding', from: `kevin.oneil@${C}`, summary: 'Nora has left', description: 'Nora Feldman has already left the practice; please disable her account. Her mailbox goes to me.', affectedUpn: `nora.feldman@${C}` }, '+1-555-0116');
    expect(await waitState(h, ticketId, ['resolved', 'escalated'])).toBe('resolved');
  }, 60_000);
});

describe('install_software', () => {
  it('Zoom on the requester\'s own laptop: code to the owner, install script, inventory refresh, resolved', async () => {
    const seq = await lastSeq(h);
    const { ticketId } = await run({ client: 'ContosoDental', category: 'software_install', from: `kevin.oneil@${C}`, summary: 'Zoom please', description: 'Can I get Zoom on my laptop?', entities: [ent('software', 'Zoom Workplace'), ent('device', 'CDG-LT-KONEIL')] }, '+1-555-0116');
    expect(await waitState(h, ticketId, ['resolved', 'escalated'])).toBe('resolved');
    const runs = mutations(await calls(h, seq)).filter((c) => /script\/run|quickjob/.test(c.path));
    expect(runs).toHaveLength(2); // Install-ZoomWorkplace, then the verifier's Refresh-SoftwareInventory
  }, 60_000);

  it('install script fails at the vendor (device drops before the job is due): escalated with evidence', async () => {
    await admin(h, '/rmm/config', { method: 'POST', body: { jobMs: 3000 } });
    try {
      const evt = resolvedEvent({ client: 'ContosoDental', category: 'software_install', from: `kevin.oneil@${C}`, summary: 'Zoom please', entities: [ent('software', 'Zoom Workplace'), ent('device', 'CDG-LT-KONEIL')] });
      const since = new Date(Date.now() - 1000).toISOString();
      await publishEnvelope(h, evt);
      await waitState(h, evt.ticketId, ['awaiting_verification']);
      const code = await smsTo('+1-555-0116', since, /verification code is (\d{6})/);
      await reply(h, evt.ticketId, 'ContosoDental', { channel: 'sms', fromPhone: '+15550116', body: code });
      await waitState(h, evt.ticketId, ['verifying', 'escalated', 'resolved']);
      await admin(h, '/devices/CDG-LT-KONEIL/online', { method: 'POST', body: { online: false } });
      expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('escalated');
      expect(await lastReason(h, evt.ticketId)).toMatch(/^verification_failed:/);
    } finally {
      await admin(h, '/rmm/config', { method: 'POST', body: { jobMs: 400 } });
    }
  }, 60_000);
});

describe('housekeeping', () => {
  const thanks: TicketSpec = { client: 'AlderBrooksCPA', category: 'other', from: 'olga.petrova@alderbrooks-cpa.example', summary: 'Re: [Ticket #48177] Printer not print', description: 'It is working now, thank you very much!\nOlga' };

  it('a thank-you that did not thread onto its ticket is closed with a short note, nothing changed, nobody paged', async () => {
    const seq = await lastSeq(h);
    const evt = resolvedEvent({ ...thanks, housekeeping: true });
    await publishEnvelope(h, evt);
    expect([await waitState(h, evt.ticketId, ['resolved', 'escalated']), await lastReason(h, evt.ticketId)]).toEqual(['resolved', expect.stringMatching(/closed with a note/)]);
    expect(mutations(await calls(h, seq))).toHaveLength(0);
  }, 60_000);

  it('the same text in shadow mode still goes to a technician', async () => {
    const evt = resolvedEvent({ ...thanks, housekeeping: true, route: 'shadow' });
    await publishEnvelope(h, evt);
    expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('escalated');
  }, 60_000);
});

describe('a removal that already holds', () => {
  const removal: TicketSpec = {
    client: 'ContosoDental', category: 'group_membership', from: `nora.feldman@${C}`, summary: 'remove me from social committee',
    description: 'pls take me off the social committee team, too many notifications', affectedUpn: `nora.feldman@${C}`, entities: [ent('group', 'CDG-Social-Committee')],
  };

  it('the user is not in the group: answered and closed, the directory untouched, no code asked', async () => {
    const seq = await lastSeq(h);
    const evt = resolvedEvent(removal);
    await publishEnvelope(h, evt);
    expect([await waitState(h, evt.ticketId, ['resolved', 'escalated', 'awaiting_verification']), await lastReason(h, evt.ticketId)])
      .toEqual(['resolved', expect.stringMatching(/closed with a note: .*not a member of CDG-Social-Committee/)]);
    expect(mutations(await calls(h, seq))).toHaveLength(0);
  }, 60_000);

  it('in shadow mode a technician confirms', async () => {
    const evt = resolvedEvent({ ...removal, route: 'shadow' });
    await publishEnvelope(h, evt);
    expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('escalated');
  }, 60_000);
});

describe('a runbook that always escalates', () => {
  it('Riverbend Wi-Fi ("Escalate if: Always"): no guidance to the user, escalated with the runbook\'s reason', async () => {
    const evt = resolvedEvent({ client: 'RiverbendFdn', category: 'wifi_connectivity', from: 'jamie.lee@riverbend-foundation.example', summary: 'Event Wi-Fi password?', description: 'Hi, what is the guest Wi-Fi password for the volunteers at Saturday\'s food pantry? Thanks, Jamie' });
    await publishEnvelope(h, evt);
    expect(await waitState(h, evt.ticketId, ['waiting_on_client', 'escalated', 'resolved'])).toBe('escalated');
    expect(await lastReason(h, evt.ticketId)).toMatch(/^out_of_scope: runbook "Escalate if": Always/);
  }, 60_000);
});

describe('shadow mode and audit', () => {
  it('a shadow proposal runs only after a technician approves it through the API', async () => {
    const seq = await lastSeq(h);
    const evt = resolvedEvent({ client: 'TailspinMfg', category: 'service_restart', from: 'rmm-alerts@harborline-it.example', channel: 'alert', alertDevice: 'TSP-WS-ENG01', summary: "[NinjaOne] TSP-WS-ENG01: Windows service 'Spooler' is stopped", route: 'shadow' });
    await publishEnvelope(h, evt);
    await waitState(h, evt.ticketId, ['proposed']);
    const list = await (await fetch(`${h.executor.url}/proposals`)).json() as Array<{ ticketId: string }>;
    expect(list.map((p) => p.ticketId)).toContain(evt.ticketId);
    expect(mutations(await calls(h, seq))).toHaveLength(0);
    const refused = await fetch(`${h.executor.url}/proposals/${evt.ticketId}/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ member: 'not-a-technician' }) });
    expect(refused.status).toBe(403);
    const ok = await fetch(`${h.executor.url}/proposals/${evt.ticketId}/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ member: 'JReyes' }) });
    expect(ok.status).toBe(202);
    expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('resolved');
  }, 60_000);

  it('GET /audit/verify recomputes the chain and detects a tampered row', async () => {
    const before = await (await fetch(`${h.executor.url}/audit/verify`)).json() as { ok: boolean; checked: number };
    expect(before.ok).toBe(true);
    expect(before.checked).toBeGreaterThan(0);
    // The table is append-only (a trigger refuses updates): tampering means going around it, as an intruder would.
    await query(`SET session_replication_role = replica; UPDATE "${h.ledger}".audit_entry SET decision = 'tampered' WHERE id = (SELECT min(id) FROM "${h.ledger}".audit_entry)`);
    const after = await (await fetch(`${h.executor.url}/audit/verify`)).json() as { ok: boolean };
    expect(after.ok).toBe(false);
  }, 30_000);
});
