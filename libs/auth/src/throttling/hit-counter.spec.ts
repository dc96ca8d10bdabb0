import { redisConfigFrom, validateEnvironment } from '@coffee/config';
import { HitCounter } from './hit-counter';

describe('HitCounter (memory)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('counts hits in a fixed window per key and resets after it', async () => {
    const counter = new HitCounter(null, redisConfigFrom(validateEnvironment({})));
    expect(await counter.hit('a', 1000)).toEqual({ count: 1, resetMs: 1000 });
    expect((await counter.hit('a', 1000)).count).toBe(2);
    expect((await counter.hit('b', 1000)).count).toBe(1);
    expect(await counter.peek('a')).toMatchObject({ count: 2 });
    jest.advanceTimersByTime(1001);
    expect(await counter.peek('a')).toEqual({ count: 0, resetMs: 0 });
    expect((await counter.hit('a', 1000)).count).toBe(1);
  });

  it('takes a hit back within the window, never below zero', async () => {
    const counter = new HitCounter(null, redisConfigFrom(validateEnvironment({})));
    await counter.hit('a', 1000);
    await counter.hit('a', 1000);
    await counter.release('a');
    expect((await counter.peek('a')).count).toBe(1);
    await counter.release('a');
    await counter.release('a');
    expect((await counter.peek('a')).count).toBe(0);
    expect((await counter.hit('a', 1000)).count).toBe(1);
  });
});
