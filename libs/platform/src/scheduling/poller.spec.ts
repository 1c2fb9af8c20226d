import { Poller } from './poller';

describe('Poller', () => {
  const log = { warn: jest.fn() };
  afterEach(() => jest.useRealTimers());

  it('runs one pass at a time, logs a failed pass and keeps going, and waits for the pass in flight on stop', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const p = new Poller('test', 0, async () => {
      calls++;
      if (calls === 2) throw new Error('boom');
      if (calls === 1) await new Promise<void>((r) => { release = r; });
    }, log);
    const first = p.runOnce();
    const again = p.runOnce(); // while the first is running: the same pass
    expect(again).toBe(first);
    release();
    await first;
    await p.runOnce();
    expect(log.warn).toHaveBeenCalledWith(expect.objectContaining({ poller: 'test' }), 'test pass failed');
    await p.runOnce();
    expect(calls).toBe(3);
    await p.stop();
    await p.runOnce();
    expect(calls).toBe(3);
  });

  it('paces passes by the interval; 0 never starts', async () => {
    jest.useFakeTimers();
    let calls = 0;
    const p = new Poller('paced', 1000, async () => { calls++; }, log);
    p.start();
    await jest.advanceTimersByTimeAsync(3500);
    expect(calls).toBe(3);
    await p.stop();
    const never = new Poller('never', 0, async () => { calls++; }, log);
    never.start();
    await jest.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(3);
  });
});
