import { AppError } from '@coffee/common';
import { IdempotencyKeyPipe } from './idempotency-key.pipe';

describe('IdempotencyKeyPipe', () => {
  const pipe = new IdempotencyKeyPipe();

  it.each(['abcd1234', 'key_-AZ09'.padEnd(128, 'x')])('accepts %s', (key) => {
    expect(pipe.transform(key)).toBe(key);
  });

  it.each([undefined, '', 'short12', 'x'.repeat(129), 'has spaces', 'ключ-12345678', ['abcd1234', 'abcd1234']])(
    'refuses %p with 400 IDEMPOTENCY_KEY_MISSING',
    (key) => {
      let thrown: unknown;
      try {
        pipe.transform(key);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe('IDEMPOTENCY_KEY_MISSING');
      expect((thrown as AppError).status).toBe(400);
    },
  );
});
