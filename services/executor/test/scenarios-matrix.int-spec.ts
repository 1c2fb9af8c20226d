import { query } from '../../../libs/platform/test/helpers';
import { Harness, CallRecord, admin, calls, lastReason, lastSeq, mutations, outbox, publishEnvelope, reply, resolvedEvent, startHarness, waitState } from './harness';
import { ent, TicketSpec } from './support/world';

/**
 * Issue 6, must-show 1, as a matrix over the catalog: for every action the vendor refuses the write
 * (5xx, then 429) and recovers → resolved with exactly one accepted write; the device is offline → nothing
 * runs, escalated with the reason; the check cannot prove the change → escalated verification_failed with
 * the evidence. (Plain success per action: scenarios-identity / scenarios-rmm.)
 */
let h: Harness;
beforeAll(async () => { h = await startHarness({ DESK_NOTIFY_RECIPIENT_LIMIT: '100,60' }); }, 90_000);
afterAll(async () => { await h?.stop(); }, 60_000);
beforeEach(async () => {
  await admin(h, '/reset', { method: 'POST', body: {} });
  await admin(h, '/faults', { method: 'DELETE' });
  await query(`DELETE FROM "${h.executorSchema}".action_attempt`);
}, 30_000);

const C = 'contoso-dental.example';
const digits = (p: string) => p.replace(/\D/g, '');

interface Case {
  action: string;
  spec: TicketSpec;
  /** Mobile on file the code goes to (null: no verification). */
  mobile: string | null;
  /** The vendor write, as the call log shows it. */
  write: { vendor: string; method: string; pathContains: string };
  /** A read the verifier makes (faulted after planning, past the executor's own `skip` reads: the check cannot prove the change). */
  verifyRead?: { vendor: string; pathContains: string; skip?: number };
  /** Endpoint work: the device that must be online. */
  device?: string;
  /** Accepted writes of the same kind the verifier adds (Refresh-SoftwareInventory after an install). */
  verifierWrites?: number;
}

const CASES: Case[] = [
  { action: 'reset_password', spec: { client: 'ContosoDental', category: 'password_reset', from: `raj.patel@${C}`, summary: 'Forgot my password', affectedUpn: `raj.patel@${C}` },
    mobile: '+1-555-0111', write: { vendor: 'graph', method: 'PATCH', pathContains: 'raj.patel' }, verifyRead: { vendor: 'graph', pathContains: 'raj.patel' } },
  { action: 'unlock_account', spec: { client: 'ContosoDental', category: 'account_unlock', from: `maria.gonzalez@${C}`, summary: 'Brittany locked out', affectedUpn: `brittany.lowe@${C}` },
    mobile: '+1-555-0118', write: { vendor: 'graph', method: 'PATCH', pathContains: 'brittany.lowe' }, verifyRead: { vendor: 'graph', pathContains: 'brittany.lowe' } },
  { action: 'reenroll_mfa', spec: { client: 'ContosoDental', category: 'mfa_reenroll', from: `maria.gonzalez@${C}`, summary: 'MFA reset for Hannah', description: 'Hannah got a new iPhone (same number); Authenticator did not transfer.', affectedUpn: `hannah.price@${C}` },
    mobile: '+1-555-0121', write: { vendor: 'graph', method: 'DELETE', pathContains: '/authentication/' },
    // The executor lists the methods once before deleting them; the verifier's lists come after.
    verifyRead: { vendor: 'graph', pathContains: '/authentication/methods', skip: 1 } },
  { action: 'add_to_group', spec: { client: 'ContosoDental', category: 'group_membership', from: `raj.patel@${C}`, summary: 'Scan to folder', affectedUpn: `raj.patel@${C}`, entities: [ent('group', 'CDG-Scan-to-Folder')] },
    mobile: '+1-555-0111', write: { vendor: 'graph', method: 'POST', pathContains: '/members/$ref' }, verifyRead: { vendor: 'graph', pathContains: 'memberOf' } },
  { action: 'add_to_distribution_list', spec: { client: 'ContosoDental', category: 'distribution_list', from: `aisha.rahman@${C}`, summary: 'Lakeview list', affectedUpn: `aisha.rahman@${C}`, entities: [ent('group', 'CDG-Lakeview-Staff')] },
    mobile: '+1-555-0115', write: { vendor: 'graph', method: 'POST', pathContains: '/members/$ref' }, verifyRead: { vendor: 'graph', pathContains: 'memberOf' } },
  { action: 'remove_from_group', spec: { client: 'TailspinMfg', category: 'group_membership', from: 'kyle.brandt@tailspin-mfg.example', summary: 'Remove me from Engineering', description: 'Please remove me from TSP-Engineering, I moved to quality.', affectedUpn: 'kyle.brandt@tailspin-mfg.example', entities: [ent('group', 'TSP-Engineering')] },
    mobile: '+1-555-0143', write: { vendor: 'graph', method: 'DELETE', pathContains: '/members/' }, verifyRead: { vendor: 'graph', pathContains: 'memberOf' } },
  { action: 'disable_account', spec: { client: 'ContosoDental', category: 'offboarding', from: `kevin.oneil@${C}`, summary: 'Nora has left', description: 'Nora Feldman has already left the practice; please disable her account. Her mailbox goes to me.', affectedUpn: `nora.feldman@${C}` },
    mobile: '+1-555-0116', write: { vendor: 'graph', method: 'PATCH', pathContains: 'nora.feldman' }, verifyRead: { vendor: 'graph', pathContains: 'nora.feldman' } },
  { action: 'create_account', spec: { client: 'ContosoDental', category: 'onboarding', from: `maria.gonzalez@${C}`, summary: 'New hygienist starting Dec 8', description: 'Hi,\nWe hired a new hygienist for Cedar Hill:\nName: Lauren Mitchell\nStart: Tuesday December 8, 2026\nTitle: Dental Hygienist\nDepartment: Clinical\nManager: me (Maria Gonzalez)\nSame access as Aisha Rahman please.\n\nThanks,\nMaria' },
    mobile: '+1-555-0112', write: { vendor: 'graph', method: 'POST', pathContains: 'v1.0/users' }, verifyRead: { vendor: 'graph', pathContains: 'memberOf' } },
  { action: 'install_software', spec: { client: 'ContosoDental', category: 'software_install', from: `kevin.oneil@${C}`, summary: 'Zoom please', description: 'Can I get Zoom on my laptop?', entities: [ent('software', 'Zoom'), ent('device', 'CDG-LT-KONEIL')] },
    mobile: '+1-555-0116', write: { vendor: 'ninjaone', method: 'POST', pathContains: 'script/run' }, device: 'CDG-LT-KONEIL', verifierWrites: 1 },
  { action: 'reinstall_software', spec: { client: 'ContosoDental', category: 'vpn_connectivity', from: `kevin.oneil@${C}`, summary: 'VPN -7200 error', description: 'FortiClient says Credential or SSLVPN configuration is wrong (-7200) since the upgrade.', entities: [ent('device', 'CDG-LT-KONEIL')] },
    mobile: null, write: { vendor: 'ninjaone', method: 'POST', pathContains: 'script/run' }, device: 'CDG-LT-KONEIL', verifierWrites: 1 },
  { action: 'restart_service', spec: { client: 'TailspinMfg', category: 'service_restart', from: 'rmm-alerts@harborline-it.example', channel: 'alert', alertDevice: 'TSP-WS-ENG02', summary: "[NinjaOne] TSP-WS-ENG02: Windows service 'Spooler' is stopped" },
    mobile: null, write: { vendor: 'ninjaone', method: 'POST', pathContains: 'script/run' }, device: 'TSP-WS-ENG02' },
  { action: 'clear_print_queue', spec: { client: 'AlderBrooksCPA', category: 'printer', from: 'olga.petrova@alderbrooks-cpa.example', summary: 'Printer not printing', description: 'My documents are stuck in the queue for the Ricoh.', entities: [ent('device', 'AB-LT-OPETROVA'), ent('printer', 'AB-PRN-01')] },
    mobile: null, write: { vendor: 'datto', method: 'PUT', pathContains: 'quickjob' }, device: 'AB-LT-OPETROVA' },
];

/** Publishes the ticket and plays the user: the code from the SMS outbox, answered from the mobile on file. */
async function run(c: Case, beforeAnswer?: () => Promise<void>): Promise<{ ticketId: string; seq: number; first: string }> {
  const seq = await lastSeq(h);
  const since = new Date(Date.now() - 1000).toISOString();
  const evt = resolvedEvent(c.spec);
  await publishEnvelope(h, evt);
  const first = await waitState(h, evt.ticketId, ['awaiting_verification', 'awaiting_approval', 'escalated', 'resolved', 'verifying', 'executing']);
  if (c.mobile && first === 'awaiting_verification') {
    let code: string | undefined;
    for (let i = 0; i < 150 && !code; i++) {
      code = (await outbox(h)).filter((m) => m.channel === 'sms' && m.at >= since && digits(m.to).endsWith(digits(c.mobile!).slice(-7))).map((m) => /verification code is (\d{6})/.exec(m.body)?.[1]).find((x) => x);
      if (!code) await new Promise((r) => setTimeout(r, 100));
    }
    if (!code) throw new Error(`no code SMS to ${c.mobile}`);
    await beforeAnswer?.();
    await reply(h, evt.ticketId, c.spec.client, { channel: 'sms', fromPhone: `+1${digits(c.mobile).slice(-7)}`, body: code });
  }
  return { ticketId: evt.ticketId, seq, first };
}

const writes = (cs: CallRecord[], c: Case) => mutations(cs).filter((x) => x.vendor === c.write.vendor && x.method === c.write.method && x.path.includes(c.write.pathContains));

describe.each(CASES)('$action', (c) => {
  it.each([
    ['5xx', { kind: 'server_error', value: 503, count: 2 }],
    ['429', { kind: 'rate_limit', value: 1, count: 1 }],
  ])('vendor %s on the write, then recovery: resolved, exactly one accepted write', async (_what, fault) => {
    await admin(h, '/faults', { method: 'POST', body: { vendor: c.write.vendor, method: c.write.method, pathContains: c.write.pathContains, ...fault } });
    const t = await run(c);
    const end = await waitState(h, t.ticketId, ['resolved', 'escalated'], 45_000);
    expect([end, end === 'resolved' ? '' : await lastReason(h, t.ticketId)]).toEqual(['resolved', '']);
    const w = writes(await calls(h, t.seq), c);
    expect(w.filter((x) => x.status < 300).length).toBeGreaterThanOrEqual(1);
    expect(w.filter((x) => x.status === (fault.kind === 'server_error' ? 503 : 429)).length).toBeGreaterThanOrEqual(1);
    // One accepted write (MFA: one per method removed; onboarding: the account, then its groups), plus
    // what the verifier itself runs (an inventory refresh after an install).
    if (!['reenroll_mfa', 'create_account'].includes(c.action)) expect(w.filter((x) => x.status < 300)).toHaveLength(1 + (c.verifierWrites ?? 0));
  }, 90_000);

  if (c.device) {
    it('device offline: nothing runs, escalated with the reason', async () => {
      await admin(h, `/devices/${c.device}/online`, { method: 'POST', body: { online: false } });
      const t = await run(c);
      expect(await waitState(h, t.ticketId, ['resolved', 'escalated'], 45_000)).toBe('escalated');
      expect(await lastReason(h, t.ticketId)).toMatch(/offline/);
      expect(writes(await calls(h, t.seq), c)).toEqual([]);
    }, 90_000);

    it('verification fails (the device drops before the job runs): escalated verification_failed with the job evidence', async () => {
      await admin(h, '/rmm/config', { method: 'POST', body: { jobMs: 3000 } });
      try {
        const t = await run(c);
        await waitState(h, t.ticketId, ['verifying', 'escalated', 'resolved'], 45_000);
        await admin(h, `/devices/${c.device}/online`, { method: 'POST', body: { online: false } });
        expect(await waitState(h, t.ticketId, ['resolved', 'escalated'], 45_000)).toBe('escalated');
        expect(await lastReason(h, t.ticketId)).toMatch(/^verification_failed:/);
        expect(writes(await calls(h, t.seq), c).filter((x) => x.status < 300).length).toBeGreaterThanOrEqual(1);
      } finally {
        await admin(h, '/rmm/config', { method: 'POST', body: { jobMs: 400 } });
      }
    }, 90_000);
  }

  if (c.verifyRead) {
    it('verification cannot prove the change (the directory stops answering reads): escalated verification_failed, never resolved on hope', async () => {
      const read = c.verifyRead!;
      // Set once the plan is made and the code is out: the planner's reads are done, the verifier's are not.
      const t = await run(c, () => admin(h, '/faults', { method: 'POST', body: { vendor: read.vendor, kind: 'server_error', value: 503, method: 'GET', pathContains: read.pathContains, skip: read.skip, durationMs: 60_000 } }));
      expect(await waitState(h, t.ticketId, ['resolved', 'escalated'], 45_000)).toBe('escalated');
      expect(await lastReason(h, t.ticketId)).toMatch(/^verification_failed:/);
      expect(writes(await calls(h, t.seq), c).filter((x) => x.status < 300).length).toBeGreaterThanOrEqual(1);
    }, 90_000);
  }
});
