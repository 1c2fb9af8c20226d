import { alertSummary, normaliseDatto, normaliseNinja, stormKey } from './alerts';

describe('RMM alert shapes', () => {
  it('normalises a NinjaOne condition webhook', () => {
    const a = normaliseNinja({
      id: 912, activityTime: 1764514800, deviceId: 41, activityType: 'CONDITION', status: 'TRIGGERED', sourceName: 'Disk space low',
      subject: 'C: below 5%', message: 'C: has 3% free', severity: 'MAJOR', priority: 'HIGH', data: { message: { code: 'condition_triggered', params: { device: 'CDG-CH-SRV01' } } },
    });
    expect(a).toMatchObject({ vendor: 'ninjaone', alertId: '912', deviceId: '41', deviceName: 'CDG-CH-SRV01', condition: 'Disk space low', severity: 'MAJOR', resolved: false, at: '2025-11-30T15:00:00.000Z' });
    expect(alertSummary(a)).toBe('[NinjaOne] Disk space low on CDG-CH-SRV01');
  });

  it('marks a NinjaOne RESET as resolved', () => {
    expect(normaliseNinja({ id: 1, status: 'RESET', sourceName: 'x' }).resolved).toBe(true);
  });

  it('normalises Datto\'s webhook variables and its API Alert object alike', () => {
    const hook = normaliseDatto({ alertuid: 'u1', device_uid: 'd-1', device_hostname: 'WC-FS01', site_uid: 'site-102', alert_type: 'status_ctx', alert_category: 'Service', alert_message: 'Service LexFileSvc is STOPPED', alert_resolved: false });
    expect(hook).toMatchObject({ alertId: 'u1', deviceName: 'WC-FS01', scope: 'site-102', condition: 'Service/status_ctx', message: 'Service LexFileSvc is STOPPED' });
    const api = normaliseDatto({ alertUid: 'u2', priority: 'High', diagnostics: 'Service Spooler is STOPPED', alertContext: { '@class': 'status_ctx', processName: 'Spooler' }, alertSourceInfo: { deviceUid: 'd-2', deviceName: 'AB-LT-OPETROVA', siteUid: 'site-104' } });
    expect(api).toMatchObject({ alertId: 'u2', condition: 'status_ctx:Spooler', severity: 'High', scope: 'site-104' });
  });

  it('names the missing field', () => {
    expect(() => normaliseDatto({ device_hostname: 'x' })).toThrow(/alertUid/);
    expect(() => normaliseNinja({ sourceName: 'x' })).toThrow(/id/);
  });

  it('keys a storm by client, device and condition', () => {
    const a = normaliseNinja({ id: 1, deviceId: 41, sourceName: 'CPU high' });
    const b = normaliseNinja({ id: 2, deviceId: 41, sourceName: 'CPU high' });
    const c = normaliseNinja({ id: 3, deviceId: 42, sourceName: 'CPU high' });
    expect(stormKey('ContosoDental', a)).toBe(stormKey('contosodental', b));
    expect(stormKey('ContosoDental', a)).not.toBe(stormKey('ContosoDental', c));
  });
});
