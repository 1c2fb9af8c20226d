import type { AdapterRegistry, ClientConfig, CreatePsaTicket, PsaTicket } from '@desk/adapters';
import { FakePsa } from '../../test/fake-psa';
import { existingChild } from '../domain/child-ticket';
import { parseRateLimits } from '../domain/token-bucket';
import { PsaWriteExecutor, type RunOptions } from './psa-write-executor';
import { PsaRateLimiter } from './rate-limiter';
import type { WriteRow } from './write-store';

/** ConnectWise's two-call child creation (create, then attachChildren), with a crash between the two. */
class TwoStepPsa extends FakePsa {
  crashBeforeAttach = false;
  override async createChildTicket(parentId: string, input: CreatePsaTicket): Promise<PsaTicket> {
    const child = await this.createTicket(input);
    if (this.crashBeforeAttach) throw new Error('connection reset before attachChildren');
    await this.attachChildTicket(parentId, child.id);
    return { ...child, parentId };
  }
  async attachChildTicket(parentId: string, childId: string): Promise<void> {
    this.tickets.get(childId)!.parentId = parentId;
  }
}

const client = { identifier: 'ContosoDental', psa: { system: 'connectwise', baseUrl: 'http://psa.invalid', companyId: 'harborline' } } as ClientConfig;
const registryOf = (psa: FakePsa) => ({ findClient: () => client, clients: () => [client], psa: () => psa }) as unknown as AdapterRegistry;
const opts = {} as RunOptions;
const summary = 'New hire: laptop - New starter Dana';
const row = (attempts: number): WriteRow => ({
  id: '1', idempotencyKey: 'k', lane: 't', ticketId: 't', eventId: 'e', clientIdentifier: 'ContosoDental', psaSystem: 'connectwise', receivedAt: null, attempts,
  op: { kind: 'create_child', summary, description: 'Prepare the laptop', board: null, contactEmail: null },
});

describe('create_child', () => {
  test('reports the child it opened, to be recorded as opened by the desk', async () => {
    const psa = new TwoStepPsa();
    const parent = await psa.createTicket({ companyIdentifier: 'ContosoDental', summary: 'New starter Dana', description: 'x' });
    const r = await new PsaWriteExecutor(registryOf(psa), new PsaRateLimiter(parseRateLimits(''))).run(row(1), { ticketId: 't', clientIdentifier: 'ContosoDental', system: 'connectwise', psaTicketId: parent.id, psaNumber: parent.id }, opts);
    expect(r.child).toMatchObject({ system: 'connectwise', clientIdentifier: 'ContosoDental' });
    expect(psa.tickets.get(r.child!.id)!.parentId).toBe(parent.id);
  });

  test('a retry after a crash between create and attachChildren attaches the loose child instead of opening another', async () => {
    const psa = new TwoStepPsa();
    const exec = new PsaWriteExecutor(registryOf(psa), new PsaRateLimiter(parseRateLimits('')));
    const parent = await psa.createTicket({ companyIdentifier: 'ContosoDental', summary: 'New starter Dana', description: 'x' });
    const map = { ticketId: 't', clientIdentifier: 'ContosoDental', system: 'connectwise' as const, psaTicketId: parent.id, psaNumber: parent.id };
    psa.crashBeforeAttach = true;
    await expect(exec.run(row(1), map, opts)).rejects.toThrow(/attachChildren/);
    psa.crashBeforeAttach = false;
    const r = await exec.run(row(2), map, opts);
    expect(r.alreadyThere).toBe(true);
    const children = [...psa.tickets.values()].filter((t) => t.summary === summary);
    expect(children).toHaveLength(1);
    expect(children[0]!.parentId).toBe(parent.id);
    expect(r.child!.id).toBe(children[0]!.id);
  });
});

describe('existingChild', () => {
  const t = (id: string, s: string, parentId: string | null) => ({ id, summary: s, parentId }) as PsaTicket;
  test('the child already under the parent first, then (only where attaching is possible) a loose one of the same summary', () => {
    const found = [t('5', summary, null), t('6', summary, '9'), t('7', 'Other', '1')];
    expect(existingChild(found, summary, '1', true)).toEqual({ ticket: found[0], attach: true });
    expect(existingChild(found, summary, '1', false)).toBeNull();
    expect(existingChild([...found, t('8', ` ${summary.toUpperCase()} `, '1')], summary, '1', true)).toEqual({ ticket: expect.objectContaining({ id: '8' }), attach: false });
  });
  test('never a child of another parent, nor the parent itself', () => {
    expect(existingChild([t('6', summary, '9'), t('1', summary, null)], summary, '1', true)).toBeNull();
  });
});
