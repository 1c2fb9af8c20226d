import { AdapterRegistry } from '../../src/registry';
import type { DeskConfig } from '../../src/config/desk-config';
import type { PsaConnection } from '../../src/config/connections';
import { startPsaSandbox, type PsaSandbox } from './psa-harness';

/**
 * Every client exists in each sandbox PSA, so one client can be moved from ConnectWise to HaloPSA or
 * Autotask by swapping its `psa` block in the configuration, and the same calls give the same answers.
 */
describe('switching a client between PSAs is configuration only', () => {
  let env: PsaSandbox;
  beforeAll(async () => {
    env = await startPsaSandbox();
  });
  afterAll(async () => env?.stop());

  it.each(['connectwise', 'halopsa', 'autotask'] as const)('ContosoDental on %s', async (system) => {
    const psaBlock: PsaConnection = env.conn(system);
    const config: DeskConfig = { ...env.config, clients: env.config.clients.map((c) => (c.identifier === 'ContosoDental' ? { ...c, psa: psaBlock } : c)) };
    const psa = new AdapterRegistry(config).psa('ContosoDental');
    expect(psa.system).toBe(system);
    const t = await psa.createTicket({ companyIdentifier: 'ContosoDental', summary: 'Cannot open DentaChart', description: 'Error 42', contactEmail: 'maria.chen@contoso-dental.example' });
    const got = await psa.getTicket(t.id);
    expect(got).toMatchObject({ companyIdentifier: 'ContosoDental', summary: 'Cannot open DentaChart', description: 'Error 42', contact: { email: 'maria.chen@contoso-dental.example' }, status: 'New', board: 'Service Desk' });
    await psa.setStatus(t.id, 'Resolved');
    expect((await psa.getTicket(t.id)).closed).toBe(true);
    expect((await psa.findContactByEmail('elena.vasquez@contoso-dental.example'))?.vip).toBe(true);
    expect((await psa.listConfigurations('ContosoDental')).map((c) => c.name)).toContain('CDG-LV-OP2');
  });
});
