import { AdapterRegistry } from '@desk/adapters';
import pino from 'pino';
import { VendorDirectorySource } from './vendor-directory';

const client = { identifier: 'Acme', name: 'Acme', domains: ['acme.example'], timezone: 'America/Chicago', businessHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00' } };

function fakeRegistry(opts: { psaFails?: boolean; identityThrows?: boolean }): { registry: AdapterRegistry; calls: { psa: number } } {
  const calls = { psa: 0 };
  const psa = {
    listContacts: async () => {
      calls.psa++;
      if (opts.psaFails) throw new Error('PSA down');
      return [{ id: '1', companyIdentifier: 'Acme', firstName: 'Ana', lastName: 'Ruiz', email: 'ana.ruiz@acme.example', phone: null, mobile: null, title: null, vip: true, active: true }];
    },
    listConfigurations: async () => [{ id: 'c1', name: 'ACME-LT-01', serial: 'SN123456', assetTag: null, type: 'laptop', companyIdentifier: 'Acme', contactEmail: 'ana.ruiz@acme.example' }],
  };
  const rmm = { listDevices: async () => [{ id: 'r1', hostname: 'ACME-LT-01', clientIdentifier: 'Acme', serial: null, assetTag: 'ACME-9', os: null, type: 'laptop', online: false, lastSeen: null }] };
  const identity = {
    getUser: async (upn: string) => ({ id: 'u1', upn, displayName: 'Ana Ruiz', accountEnabled: false, lockedOut: false, lastPasswordChangeDateTime: null, jobTitle: null, department: null, managerUpn: null }),
    listUserGroups: async () => [{ id: 'g1', displayName: 'ACME-Finance', mailEnabled: false, securityEnabled: true }, { id: 'g2', displayName: 'ACME-Payroll-Approvers', mailEnabled: false, securityEnabled: true }],
  };
  const registry = {
    clients: () => [client],
    client: () => client,
    psa: () => psa,
    rmm: () => rmm,
    identity: () => {
      if (opts.identityThrows) throw new Error('identity adapter not configured');
      return identity;
    },
  } as unknown as AdapterRegistry;
  return { registry, calls };
}

const log = pino({ level: 'silent' });

describe('vendor directory', () => {
  it('merges PSA contacts and configurations, RMM devices and Graph accounts and groups', async () => {
    const { registry } = fakeRegistry({});
    const [dir] = await new VendorDirectorySource(registry, [], 60_000, log).all();
    expect(dir!.contacts[0]).toMatchObject({ upn: 'ana.ruiz@acme.example', vip: true });
    expect(dir!.devices).toEqual([expect.objectContaining({ hostname: 'ACME-LT-01', serial: 'SN123456', assetTag: 'ACME-9', online: false, ownerUpn: 'ana.ruiz@acme.example' })]);
    expect(dir!.users[0]).toMatchObject({ upn: 'ana.ruiz@acme.example', enabled: false });
    expect(dir!.groups).toEqual(expect.arrayContaining([{ name: 'ACME-Finance', type: 'security', privileged: false }, { name: 'ACME-Payroll-Approvers', type: 'security', privileged: true }]));
  });

  it('caches per client for the TTL', async () => {
    const { registry, calls } = fakeRegistry({});
    const src = new VendorDirectorySource(registry, [], 60_000, log);
    await src.all(1000);
    await src.all(2000);
    expect(calls.psa).toBe(1);
    await src.all(70_000);
    expect(calls.psa).toBe(2);
  });

  it('builds a client once for a burst of concurrent tickets', async () => {
    const { registry, calls } = fakeRegistry({});
    const src = new VendorDirectorySource(registry, [], 60_000, log);
    await Promise.all([src.all(1000), src.all(1000), src.all(1000)]);
    expect(calls.psa).toBe(1);
  });

  it('keeps working when a vendor is down or an adapter cannot be built', async () => {
    const { registry } = fakeRegistry({ psaFails: true, identityThrows: true });
    const [dir] = await new VendorDirectorySource(registry, [], 0, log).all();
    expect(dir!.contacts).toEqual([]);
    expect(dir!.devices).toHaveLength(1);
  });
});
