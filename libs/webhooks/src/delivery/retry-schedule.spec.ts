import { webhooksConfigFrom, validateEnvironment } from '@coffee/config';
import { maxAttempts, retryDelayAfter } from './retry-schedule';

describe('webhook retry schedule', () => {
  const defaults = webhooksConfigFrom(validateEnvironment({})).retryDelaysMs;

  it('defaults to a growing schedule of 10 attempts over about 24 hours', () => {
    expect(maxAttempts(defaults)).toBe(10);
    for (let i = 1; i < defaults.length; i++) expect(defaults[i]).toBeGreaterThanOrEqual(defaults[i - 1]);
    const totalHours = defaults.reduce((sum, ms) => sum + ms, 0) / 3_600_000;
    expect(totalHours).toBeGreaterThan(22);
    expect(totalHours).toBeLessThan(26);
  });

  it('gives the delay after each failed attempt, and none after the last', () => {
    const schedule = [100, 400, 1600];
    expect([1, 2, 3, 4].map((attempt) => retryDelayAfter(attempt, schedule))).toEqual([100, 400, 1600, null]);
    expect(retryDelayAfter(1, [])).toBeNull();
  });

  it('refuses attempt numbers that are not positive integers', () => {
    expect(() => retryDelayAfter(0, defaults)).toThrow(RangeError);
    expect(() => retryDelayAfter(1.5, defaults)).toThrow(RangeError);
  });

  it('reads a custom schedule from WEBHOOK_RETRY_DELAYS_MS and refuses a malformed one', () => {
    expect(webhooksConfigFrom(validateEnvironment({ WEBHOOK_RETRY_DELAYS_MS: '10,20' })).retryDelaysMs).toEqual([
      10, 20,
    ]);
    expect(() => validateEnvironment({ WEBHOOK_RETRY_DELAYS_MS: '10,,20' })).toThrow(/WEBHOOK_RETRY_DELAYS_MS/);
  });
});
