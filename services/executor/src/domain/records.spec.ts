import { mergeServices } from './records';

describe('services of a device', () => {
  it('takes the RMM status where it reports one and keeps services only the records know', () => {
    const live = [{ name: 'Spooler', status: 'stopped' as const }];
    const onRecord = [{ name: 'spooler', status: 'running' as const }, { name: 'LexFileSvc', status: 'running' as const }];
    expect(mergeServices(live, onRecord)).toEqual([{ name: 'Spooler', status: 'stopped' }, { name: 'LexFileSvc', status: 'running' }]);
  });

  it('is the live list when the records know nothing more', () => {
    expect(mergeServices([{ name: 'WlanSvc', status: 'running' }], [])).toEqual([{ name: 'WlanSvc', status: 'running' }]);
  });
});
