import type { PsaConnection } from '../../src/config/connections';
import { createPsaClient } from '../../src/psa/create-psa-client';
import { VendorAuthError, VendorNotFoundError, VendorRequestError, VendorUnavailableError } from '../../src/http/errors';
import { sameIdentifier } from '../../src/psa/shared';
import { CLIENT_OF, FAST_RETRY, startPsaSandbox, type PsaSandbox } from './psa-harness';

/** The same contract for every PSA adapter, against the sandbox speaking that vendor's API. */
export function psaContract(system: PsaConnection['system']): void {
  const who = CLIENT_OF[system];
  describe(`${system} PSA adapter against the sandbox`, () => {
    let env: PsaSandbox;
    const client = (over: Partial<PsaConnection> = {}, pageSize?: number) =>
      createPsaClient({ ...env.conn(system), ...over } as PsaConnection, undefined, { retry: FAST_RETRY, timeoutMs: 5000, pageSize });
    beforeAll(async () => {
      env = await startPsaSandbox();
    });
    afterAll(async () => env?.stop());
    beforeEach(async () => env.sb.reset());

    it('creates a ticket linked to the contact and reads it back', async () => {
      const psa = client();
      const t = await psa.createTicket({ companyIdentifier: who.identifier, summary: 'Outlook keeps asking for password', description: 'Since this morning.', contactEmail: who.email });
      expect(t).toMatchObject({ summary: 'Outlook keeps asking for password', companyIdentifier: who.identifier, closed: false, board: 'Service Desk', status: 'New' });
      const got = await psa.getTicket(t.id);
      expect(got).toMatchObject({ id: t.id, description: 'Since this morning.', contact: { email: who.email } });
      await expect(psa.getTicket('987654')).rejects.toBeInstanceOf(VendorNotFoundError);
    });

    it('changes status by name, routes, writes notes and time, links a child ticket', async () => {
      const psa = client();
      const t = await psa.createTicket({ companyIdentifier: who.identifier, summary: 'VPN drops', description: 'every hour', contactEmail: who.email });
      await psa.setStatus(t.id, 'In Progress');
      expect((await psa.getTicket(t.id)).status).toBe('In Progress');
      const members = await psa.listMembers();
      const tech = members.find((m) => sameIdentifier(m.identifier, 'aokafor'));
      expect(tech).toBeDefined();
      expect(members.some((m) => sameIdentifier(m.identifier, 'L1Agent'))).toBe(true);
      await psa.route(t.id, { board: 'Escalations', priority: 'Priority 2 - High', ownerIdentifier: tech?.identifier });
      expect(await psa.getTicket(t.id)).toMatchObject({ board: 'Escalations', priority: 'Priority 2 - High', ownerIdentifier: tech?.identifier });
      await expect(psa.setStatus(t.id, 'No Such Status')).rejects.toBeInstanceOf(VendorRequestError);
      await psa.addNote(t.id, { text: 'Checked the tunnel logs.', internal: true });
      const n = await psa.addNote(t.id, { text: 'We are on it.', internal: false });
      expect(n).toMatchObject({ text: 'We are on it.', internal: false });
      const notes = await psa.listNotes(t.id);
      expect(notes.filter((x) => x.text === 'Checked the tunnel logs.' && x.internal)).toHaveLength(1);
      expect(notes.filter((x) => x.text === 'We are on it.' && !x.internal)).toHaveLength(1);
      // The combined read intake makes on every callback: the same ticket and notes as the two reads.
      const both = await psa.getTicketWithNotes(t.id);
      expect(both.ticket).toEqual(await psa.getTicket(t.id));
      expect(both.notes).toEqual(notes);
      expect(both.ticket.description).toBe('every hour');
      const te = await psa.addTimeEntry(t.id, { memberIdentifier: 'L1Agent', start: '2026-11-30T15:00:00Z', end: '2026-11-30T15:12:00Z', hours: 0.2, workType: 'Automation', billable: false, notes: 'Automated triage' });
      expect(te.id).toBeTruthy();
      const child = await psa.createChildTicket(t.id, { companyIdentifier: who.identifier, summary: 'Replace VPN token', description: 'child' });
      expect((await psa.getTicket(child.id)).parentId).toBe(t.id);
      await psa.setStatus(t.id, 'Resolved');
      const open = await psa.findTickets({ companyIdentifier: who.identifier, openOnly: true });
      expect(open.map((x) => x.id)).toEqual([child.id]);
      expect((await psa.getTicket(t.id)).closed).toBe(true);
    });

    it('pages through ticket lists', async () => {
      const psa = client({}, 2);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await psa.createTicket({ companyIdentifier: who.identifier, summary: `Paging ${i}`, description: 'x' })).id);
      const since = await env.mark();
      const found = await psa.findTickets({ companyIdentifier: who.identifier, summaryContains: 'Paging' });
      expect(found.map((t) => t.id).sort()).toEqual([...ids].sort());
      const listPath = { connectwise: '/service/tickets?', halopsa: '/api/Tickets?', autotask: '/Tickets/query' }[system];
      const listCalls = await env.sb.calls.list({ vendor: system, sinceSeq: since, pathContains: listPath });
      expect(listCalls.length).toBeGreaterThanOrEqual(3);
      expect((await psa.findTickets({ companyIdentifier: who.identifier, limit: 3 })).length).toBe(3);
    });

    it('reads contacts, configurations and agreements of the client', async () => {
      const psa = client();
      const c = await psa.findContactByEmail(who.email);
      expect(c).toMatchObject({ email: who.email, companyIdentifier: who.identifier, active: true });
      expect(await psa.getContact(String(c?.id))).toMatchObject({ id: c?.id, email: who.email });
      expect(await psa.findContactByEmail('nobody@nowhere.example')).toBeNull();
      const contacts = await psa.listContacts(who.identifier);
      expect(contacts.map((x) => x.email)).toEqual(expect.arrayContaining([who.email, who.otherEmail]));
      const configs = await psa.listConfigurations(who.identifier);
      expect(configs.length).toBeGreaterThan(3);
      expect(configs.every((x) => x.companyIdentifier === who.identifier)).toBe(true);
      const [agreement] = await psa.listAgreements(who.identifier);
      expect(agreement.active).toBe(true);
      expect(agreement.coveredWork).toEqual(expect.arrayContaining(['password_reset', 'software_install']));
      expect(agreement.coveredWork).not.toContain('hardware');
    });

    it('maps wrong credentials to VendorAuthError without retrying', async () => {
      const bad: Partial<PsaConnection> = system === 'connectwise' ? { privateKey: 'wrong' } : system === 'halopsa' ? { clientSecret: 'wrong' } : { secret: 'wrong' };
      const since = await env.mark();
      await expect(client(bad).listMembers()).rejects.toBeInstanceOf(VendorAuthError);
      expect((await env.sb.calls.list({ vendor: system, sinceSeq: since })).length).toBe(1);
    });

    it('waits out a 429 with Retry-After, then succeeds', async () => {
      const psa = client();
      await psa.listMembers(); // warm caches and tokens so the fault hits the call under test
      env.sb.ctx.faults.add({ vendor: system, kind: 'rate_limit', value: 1, count: 1 });
      const since = await env.mark();
      const started = Date.now();
      const members = await psa.listMembers();
      expect(members.length).toBeGreaterThan(5);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      const calls = await env.sb.calls.list({ vendor: system, sinceSeq: since });
      expect(calls.map((c) => c.status)).toEqual([429, 200]);
    });

    it('gives up on persistent 5xx after bounded retries with a typed error', async () => {
      const psa = client();
      await psa.listMembers();
      env.sb.ctx.faults.add({ vendor: system, kind: 'server_error', value: 503, count: 50 });
      const since = await env.mark();
      const err = await psa.listMembers().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VendorUnavailableError);
      expect((err as VendorUnavailableError).status).toBe(503);
      expect((await env.sb.calls.list({ vendor: system, sinceSeq: since })).length).toBe(FAST_RETRY.attempts);
      env.sb.ctx.faults.clear(system);
    });

    it('times out a hung request and reports the vendor unavailable', async () => {
      const psa = createPsaClient(env.conn(system), undefined, { retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 }, timeoutMs: 300 });
      await psa.listMembers().catch(() => undefined);
      env.sb.ctx.faults.add({ vendor: system, kind: 'timeout', value: 3000, count: 2 });
      await expect(psa.listMembers()).rejects.toBeInstanceOf(VendorUnavailableError);
      env.sb.ctx.faults.clear(system);
    });

    it('does not repeat a create after a 500 that may have been applied', async () => {
      const psa = client();
      await psa.createTicket({ companyIdentifier: who.identifier, summary: 'Warm-up', description: 'loads caches and tokens', contactEmail: who.email });
      env.sb.ctx.faults.add({ vendor: system, kind: 'server_error', value: 500, count: 5, pathContains: system === 'connectwise' ? '/service/tickets' : '/Tickets' });
      const since = await env.mark();
      await expect(psa.createTicket({ companyIdentifier: who.identifier, summary: 'Once only', description: 'x' })).rejects.toBeInstanceOf(VendorUnavailableError);
      const posts = (await env.sb.calls.list({ vendor: system, sinceSeq: since, method: 'POST' })).filter((c) => /tickets$/i.test(c.path.split('?')[0]));
      expect(posts).toHaveLength(1);
      env.sb.ctx.faults.clear(system);
    });
  });
}
