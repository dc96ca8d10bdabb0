import { driverErrorCode, retryLockConflicts } from './lock-retry';

const deadlock = (): Error => Object.assign(new Error('deadlock'), { driverError: { code: 'ER_LOCK_DEADLOCK' } });

describe('retryLockConflicts', () => {
  it('retries a deadlock and returns the later success', async () => {
    let calls = 0;
    const retried: number[] = [];
    const result = await retryLockConflicts(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(deadlock()) : Promise.resolve('done');
      },
      { onRetry: (_code, attempt) => retried.push(attempt) },
    );
    expect(result).toBe('done');
    expect(retried).toEqual([1, 2]);
  });

  it('throws other errors at once', async () => {
    let calls = 0;
    await expect(
      retryLockConflicts(() => {
        calls += 1;
        return Promise.reject(new Error('boom'));
      }),
    ).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });

  it('maps the last conflict through onExhausted', async () => {
    await expect(
      retryLockConflicts(() => Promise.reject(deadlock()), { attempts: 2, onExhausted: () => new Error('busy') }),
    ).rejects.toThrow('busy');
  });

  it('reads the code from the driver error or the error itself', () => {
    expect(driverErrorCode(deadlock())).toBe('ER_LOCK_DEADLOCK');
    expect(driverErrorCode({ code: 'ER_LOCK_WAIT_TIMEOUT' })).toBe('ER_LOCK_WAIT_TIMEOUT');
    expect(driverErrorCode(null)).toBeUndefined();
  });
});
