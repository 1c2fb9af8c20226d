import { parseDeviceFilter, parseScriptParameters } from '../../src/vendors/ninjaone/ninjaone';
import type { StoredDevice } from '../../src/vendors/ninjaone/rmm-state';

const device = (over: Partial<StoredDevice>): StoredDevice => ({
  id: 1, hostname: 'H', serial: 'S', assetTag: 'A', os: 'Windows 11 Pro', type: 'workstation', ownerUpn: null, online: true,
  lastSeen: '2026-11-30T14:00:00Z', installedSoftware: [], services: [], clientIdentifier: 'C', ...over,
});

describe('NinjaOne device filter (df)', () => {
  it('matches org, class, id and online clauses joined by AND', () => {
    const f = parseDeviceFilter('org = 101 AND class in (WINDOWS_SERVER, WINDOWS_WORKSTATION) AND online');
    expect(f).not.toBeNull();
    expect(f!(device({}), 101)).toBe(true);
    expect(f!(device({}), 102)).toBe(false);
    expect(f!(device({ type: 'printer' }), 101)).toBe(false);
    expect(f!(device({ online: false }), 101)).toBe(false);
    expect(parseDeviceFilter('id != 1')!(device({}), 1)).toBe(false);
    expect(parseDeviceFilter(undefined)!(device({}), 1)).toBe(true);
  });

  it('rejects what it cannot read', () => {
    expect(parseDeviceFilter('org like 10%')).toBeNull();
  });
});

describe('NinjaOne script parameters', () => {
  it('reads -name value pairs, quoted values with escapes, and bare switches', () => {
    expect(parseScriptParameters('-softwareName "LexFile DMS Client" -serviceName Spooler -note "say \\"hi\\"" -force')).toEqual({
      softwareName: 'LexFile DMS Client', serviceName: 'Spooler', note: 'say "hi"', force: 'true',
    });
    expect(parseScriptParameters('-printerName MES-PRN-01')).toEqual({ printerName: 'MES-PRN-01' });
    expect(parseScriptParameters(undefined)).toEqual({});
  });
});
