import { WORLD } from '../../../test/fixtures';
import { resolveEntities, EntityInput } from './resolve';

const input = (over: Partial<EntityInput> & { description: string }): EntityInput => ({
  summary: '', fromEmail: null, fromName: null, contactId: null, clientIdentifier: null, alertDevice: null, alertCondition: null, isAlert: false, category: 'password_reset', ...over,
});

describe('entity resolution (demo world directories)', () => {
  it('resolves the client from the sender domain and the requester from the contact list', () => {
    const r = resolveEntities(input({ fromEmail: 'hannah.price@contoso-dental.example', description: 'I forgot my password' }), WORLD);
    expect(r.client.client?.identifier).toBe('ContosoDental');
    expect(r.requester?.email).toBe('hannah.price@contoso-dental.example');
    expect(r.affected.upn).toBe('hannah.price@contoso-dental.example');
  });

  it('separates the affected user from the requester ("reset Nora\'s password")', () => {
    const r = resolveEntities(input({ fromEmail: 'kevin.oneil@contoso-dental.example', summary: 'Password for Nora', description: "Please reset Nora Feldman's password, she is back from leave." }), WORLD);
    expect(r.affected.upn).toBe('nora.feldman@contoso-dental.example');
  });

  it('never takes the requester for a shared login the directory cannot name', () => {
    // The directory of a vendor-only deployment: account kinds unknown, so the shared login is not recognised.
    const dirs = WORLD.map((d) => ({ ...d, users: d.users.filter((u) => u.accountType === 'member') }));
    const r = resolveEntities(input({ fromEmail: 'brittany.lowe@contoso-dental.example', summary: 'Front desk shared login - password expired',
      description: 'The shared front desk login on CDG-LV-FD01 says the password has expired. Please reset it.' }), dirs);
    expect(r.affected.upn).toBeNull();
    expect(r.affected.ambiguous).toBe(true);
  });

  it('reports a first name shared by two people as ambiguous instead of guessing', () => {
    const r = resolveEntities(input({ fromEmail: 'kevin.oneil@contoso-dental.example', summary: 'Locked out', description: 'Maria is locked out, can you unlock her account?', category: 'account_unlock' }), WORLD);
    expect(r.affected.upn).toBeNull();
    expect(r.affected.ambiguous).toBe(true);
    expect(r.entities.find((e) => e.kind === 'user')).toMatchObject({ ref: null, mention: 'Maria' });
  });

  it('leaves an unknown sender unresolved and never treats it as a contact', () => {
    const r = resolveEntities(input({ fromEmail: 'someone@gmail.example', clientIdentifier: 'ContosoDental', description: 'reset my password' }), WORLD);
    expect(r.client.client?.identifier).toBe('ContosoDental');
    expect(r.requester).toBeNull();
    expect(r.entities[0]).toMatchObject({ kind: 'contact', ref: null });
  });

  it('matches devices by hostname and serial, and reports unknown hostnames as unresolved', () => {
    const dev = WORLD.find((d) => d.identifier === 'ContosoDental')!.devices[0]!;
    const r = resolveEntities(input({ fromEmail: 'maria.gonzalez@contoso-dental.example', description: `Server ${dev.hostname} and the box with serial ${dev.serial} and CDG-XX-NOPE99 are slow`, category: 'hardware' }), WORLD);
    const devices = r.entities.filter((e) => e.kind === 'device');
    expect(devices.filter((d) => d.ref === dev.hostname).length).toBeGreaterThanOrEqual(1);
    expect(devices.find((d) => d.mention === 'CDG-XX-NOPE99')).toMatchObject({ ref: null });
  });

  it('finds catalog software by a partial name and flags titles outside the catalog', () => {
    const r = resolveEntities(input({ fromEmail: 'daniel.kim@whitfieldcrane-law.example', description: 'Please install Acrobat Pro on my laptop', category: 'software_install' }), WORLD);
    expect(r.entities.find((e) => e.kind === 'software')?.ref).toMatch(/Acrobat Pro/);
    const n = resolveEntities(input({ fromEmail: 'daniel.kim@whitfieldcrane-law.example', description: 'Please install Fortnite on my laptop', category: 'software_install' }), WORLD);
    expect(n.entities.find((e) => e.kind === 'software')).toMatchObject({ ref: null, mention: 'Fortnite' });
  });

  it('resolves groups and marks privileged ones from the directory flag', () => {
    const r = resolveEntities(input({ fromEmail: 'tyler.hanson@contoso-dental.example', description: 'add me to CDG-IT-Admins please', category: 'group_membership' }), WORLD);
    expect(r.entities.find((e) => e.kind === 'group')).toMatchObject({ ref: 'CDG-IT-Admins' });
    expect(r.privilegedGroups).toContain('CDG-IT-Admins');
  });

  it('names the Windows service of an alert', () => {
    const r = resolveEntities(input({ summary: "[NinjaOne] CDG-CH-SRV01: Windows service 'ClearViewBridge' is stopped", description: 'Condition: Windows Service - ClearViewBridge (ClearView Imaging Bridge) state is Stopped', isAlert: true, alertDevice: 'CDG-CH-SRV01', category: 'service_restart' }), WORLD);
    expect(r.client.client?.identifier).toBe('ContosoDental');
    expect(r.entities.find((e) => e.kind === 'service')).toMatchObject({ ref: 'ClearViewBridge', note: 'on CDG-CH-SRV01' });
    expect(r.affected.upn).toBeNull();
  });

  it('protects disabled and shared accounts from identity automation', () => {
    const r = resolveEntities(input({ fromEmail: 'maria.gonzalez@contoso-dental.example', description: 'The shared front desk login password expired, please reset it', category: 'password_reset' }), WORLD);
    expect(r.affected.upn).toBe('frontdesk@contoso-dental.example');
    expect(r.protectedTarget).toMatch(/shared account/);
  });
});

describe('shared computers named by their place, titles by their short name', () => {
  const dev = (r: ReturnType<typeof resolveEntities>) => r.entities.filter((e) => e.kind === 'device').map((e) => e.ref);
  const sw = (r: ReturnType<typeof resolveEntities>) => r.entities.filter((e) => e.kind === 'software').map((e) => e.ref);

  it('finds the one computer whose every place part is written ("Cedar Hill front desk" → CDG-CH-FD01)', () => {
    const r = resolveEntities(input({ fromEmail: 'kevin.oneil@contoso-dental.example', category: 'printer', summary: 'Printing stuck', description: 'Nothing prints at the Cedar Hill front desk, jobs are queued.' }), WORLD);
    expect(dev(r)).toEqual(['CDG-CH-FD01']);
  });

  it('uses the number written after the place ("kiosk 2") and never guesses between look-alikes', () => {
    const two = resolveEntities(input({ fromEmail: 'linda.carver@tailspin-mfg.example', category: 'printer', description: 'Kiosk 2 cannot print the pick list.' }), WORLD);
    expect(dev(two)).toEqual(['TSP-KIOSK-02']);
    const any = resolveEntities(input({ fromEmail: 'linda.carver@tailspin-mfg.example', category: 'printer', description: 'One of the kiosks cannot print.' }), WORLD);
    expect(dev(any)).toEqual([]);
    const lakeview = resolveEntities(input({ fromEmail: 'kevin.oneil@contoso-dental.example', category: 'printer', description: 'The front desk cannot print.' }), WORLD);
    expect(dev(lakeview)).toEqual([]);
  });

  it('never names a device by place for account work', () => {
    const r = resolveEntities(input({ fromEmail: 'kevin.oneil@contoso-dental.example', category: 'password_reset', description: 'Password expired on the Cedar Hill front desk.' }), WORLD);
    expect(dev(r)).toEqual([]);
  });

  it('resolves a title by its one distinctive word or its vendor and a word ("Chrome", "Adobe Reader")', () => {
    const chrome = resolveEntities(input({ fromEmail: 'william.brooks@alderbrooks-cpa.example', category: 'software_install', description: 'Please install Chrome on my laptop.' }), WORLD);
    expect(sw(chrome)).toEqual(['Google Chrome']);
    const reader = resolveEntities(input({ fromEmail: 'kevin.oneil@contoso-dental.example', category: 'software_reinstall', description: 'Adobe Reader crashes on my laptop.' }), WORLD);
    expect(sw(reader)).toEqual(['Adobe Acrobat Reader']);
  });

  it('leaves a common word unresolved ("card reader" is no Acrobat Reader)', () => {
    const card = resolveEntities(input({ fromEmail: 'kevin.oneil@contoso-dental.example', category: 'hardware', description: 'The card reader on my laptop is broken.' }), WORLD);
    expect(sw(card)).toEqual([]);
  });
});
