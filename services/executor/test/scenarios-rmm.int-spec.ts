import { randomUUID } from 'node:crypto';
import { AdapterRegistry } from '@desk/adapters';
import { query, waitFor } from '../../../libs/platform/test/helpers';
import { Harness, admin, calls, lastReason, lastSeq, mutations, publishEnvelope, resolvedEvent, startHarness, waitState } from './harness';
import { ent, TicketSpec } from './support/world';

let h: Harness;
beforeAll(async () => { h = await startHarness(); }, 90_000);
afterAll(async () => { await h?.stop(); }, 60_000);
beforeEach(async () => {
  await admin(h, '/reset', { method: 'POST', body: {} });
  // Each scenario starts without history (the restart-loop rule reads the executor's own attempts).
  await query(`DELETE FROM "${h.executorSchema}".action_attempt`);
});

const spoolerAlert = (host: string, client = 'TailspinMfg'): TicketSpec => ({
  client, category: 'service_restart', from: 'rmm-alerts@harborline-it.example', channel: 'alert', alertDevice: host,
  summary: `[NinjaOne] ${host}: Windows service 'Spooler' is stopped`,
});

const scriptRuns = (cs: Awaited<ReturnType<typeof calls>>) => mutations(cs).filter((c) => /script\/run|quickjob/.test(c.path));

async function evidenceOf(ticketId: string): Promise<string> {
  const rows = await query<{ evidence: unknown; why: unknown }>(`SELECT evidence, why FROM "${h.ledger}".audit_entry WHERE ticket_id = $1 ORDER BY seq`, [ticketId]);
  return JSON.stringify(rows);
}

describe('restart_service (NinjaOne)', () => {
  it('success: one script run, verified running, resolved', async () => {
    const seq = await lastSeq(h);
    const evt = resolvedEvent(spoolerAlert('TSP-WS-ENG02'));
    await publishEnvelope(h, evt);
    expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('resolved');
    const runs = scriptRuns(await calls(h, seq));
    expect(runs).toHaveLength(1);
    expect(JSON.stringify(runs[0]!.body)).toContain('Spooler');
    expect(await evidenceOf(evt.ticketId)).toMatch(/Spooler is running on TSP-WS-ENG02/);
  }, 60_000);

  it('vendor 5xx then recovery: still exactly one accepted run, resolved', async () => {
    await admin(h, '/faults', { method: 'POST', body: { vendor: 'ninjaone', kind: 'server_error', value: 503, count: 3, pathContains: 'script/run' } });
    const seq = await lastSeq(h);
    const evt = resolvedEvent(spoolerAlert('TSP-WS-ENG02'));
    await publishEnvelope(h, evt);
    expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('resolved');
    const runs = scriptRuns(await calls(h, seq));
    expect(runs.filter((c) => c.status < 300)).toHaveLength(1);
    expect(runs.filter((c) => c.status >= 500).length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('429 then recovery: resolved with one accepted run', async () => {
    await admin(h, '/faults', { method: 'POST', body: { vendor: 'ninjaone', kind: 'rate_limit', value: 1, count: 1, pathContains: 'script/run' } });
    const seq = await lastSeq(h);
    const evt = resolvedEvent(spoolerAlert('TSP-WS-ENG02'));
    await publishEnvelope(h, evt);
    expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('resolved');
    expect(scriptRuns(await calls(h, seq)).filter((c) => c.status < 300)).toHaveLength(1);
  }, 60_000);

  it('device offline: nothing runs, escalated with the reason', async () => {
    await admin(h, '/devices/TSP-WS-ENG02/online', { method: 'POST', body: { online: false } });
    const seq = await lastSeq(h);
    const evt = resolvedEvent(spoolerAlert('TSP-WS-ENG02'));
    await publishEnvelope(h, evt);
    expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('escalated');
    expect(await lastReason(h, evt.ticketId)).toMatch(/offline/);
    expect(mutations(await calls(h, seq))).toHaveLength(0);
  }, 60_000);

  it('verification fails (device drops before the job runs): escalated verification_failed with evidence', async () => {
    await admin(h, '/rmm/config', { method: 'POST', body: { jobMs: 3000 } });
    try {
      const evt = resolvedEvent(spoolerAlert('TSP-WS-ENG02'));
      await publishEnvelope(h, evt);
      await waitState(h, evt.ticketId, ['verifying', 'escalated', 'resolved']);
      await admin(h, '/devices/TSP-WS-ENG02/online', { method: 'POST', body: { online: false } });
      expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('escalated');
      expect(await lastReason(h, evt.ticketId)).toMatch(/verification_failed/);
      expect(await evidenceOf(evt.ticketId)).toMatch(/job/i);
    } finally {
      await admin(h, '/rmm/config', { method: 'POST', body: { jobMs: 400 } });
    }
  }, 60_000);
});

describe('clear_print_queue and reinstall_software (Datto and NinjaOne)', () => {
  it('Alder: clear the stuck queue on the requester\'s own laptop (Datto), verified Spooler running', async () => {
    const seq = await lastSeq(h);
    const evt = resolvedEvent({ client: 'AlderBrooksCPA', category: 'printer', from: 'olga.petrova@alderbrooks-cpa.example', summary: 'Printer not printing', description: 'My documents are stuck in the queue for the Ricoh.', entities: [ent('device', 'AB-LT-OPETROVA'), ent('printer', 'AB-PRN-01')] });
    await publishEnvelope(h, evt);
    expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('resolved');
    expect(scriptRuns(await calls(h, seq))).toHaveLength(1);
  }, 60_000);

  it('Contoso: FortiClient reinstall on the owner\'s laptop, inventory at 7.2.4 after a refresh', async () => {
    const seq = await lastSeq(h);
    const evt = resolvedEvent({ client: 'ContosoDental', category: 'vpn_connectivity', from: 'kevin.oneil@contoso-dental.example', summary: 'VPN -7200 error', description: 'FortiClient says Credential or SSLVPN configuration is wrong (-7200) since the upgrade.', entities: [ent('device', 'CDG-LT-KONEIL')] });
    await publishEnvelope(h, evt);
    expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('resolved');
    const runs = scriptRuns(await calls(h, seq));
    expect(runs.length).toBe(2); // the reinstall, then the verifier's Refresh-SoftwareInventory
    expect(await evidenceOf(evt.ticketId)).toMatch(/FortiClient VPN 7\.2\.4/);
  }, 60_000);
});

describe('exactly once', () => {
  it('the same execute message delivered five times runs the action once', async () => {
    const seq = await lastSeq(h);
    const evt = resolvedEvent(spoolerAlert('TSP-WS-ENG02'));
    // Five deliveries of the execute trigger (a redelivered one and four copies), all at once.
    await Promise.all(Array.from({ length: 5 }, (_, i) => publishEnvelope(h, { ...evt, eventId: i === 0 ? evt.eventId : randomUUID() })));
    await publishEnvelope(h, evt);
    expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('resolved');
    await new Promise((r) => setTimeout(r, 1500));
    expect(scriptRuns(await calls(h, seq))).toHaveLength(1);
  }, 60_000);
});

describe('crash between the vendor call and our record', () => {
  it('the next delivery reads the vendor state and does not run the action again', async () => {
    const evt = resolvedEvent(spoolerAlert('TSP-WS-ENG02'));
    const key = `${evt.ticketId}:restart_service:tsp-ws-eng02>spooler`;
    // What a process killed right after the vendor call leaves behind: a committed `started` row…
    await query(`INSERT INTO "${h.executorSchema}".action_attempt (idempotency_key, ticket_id, client_identifier, action, target, status) VALUES ($1, $2, 'TailspinMfg', 'restart_service', 'tsp-ws-eng02>spooler', 'started')`, [key, evt.ticketId]);
    // …and a job the vendor did run.
    const rmm = h.executor.app.get(AdapterRegistry).rmm('TailspinMfg');
    const device = (await rmm.findDevice('TSP-WS-ENG02'))!;
    const job = await rmm.runScript(device.id, 'Restart-WindowsService', { serviceName: 'Spooler' });
    await waitFor(async () => (await rmm.getJob(job.id, device.id)).status === 'succeeded', 10_000, 'job');
    const seq = await lastSeq(h);
    await publishEnvelope(h, evt);
    expect(await waitState(h, evt.ticketId, ['resolved', 'escalated'])).toBe('resolved');
    expect(scriptRuns(await calls(h, seq))).toHaveLength(0);
    const rows = await query<{ status: string; detail: string }>(`SELECT status, detail FROM "${h.executorSchema}".action_attempt WHERE idempotency_key = $1`, [key]);
    expect(rows[0]).toMatchObject({ status: 'succeeded', detail: 'service already running' });
  }, 60_000);
});
