/** MySQL/MariaDB errors that mean "run the whole transaction again": nothing of it was kept. */
const LOCK_CONFLICTS = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/** The driver's error code (`ER_…`), from a TypeORM QueryFailedError or a raw driver error. */
export function driverErrorCode(error: unknown): string | undefined {
  const driver = (error as { driverError?: { code?: unknown } } | null)?.driverError;
  const code = driver?.code ?? (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export interface LockRetryOptions {
  /** Tries in all, the first included (default 4). */
  attempts?: number;
  /** Called before each retry, e.g. to count and log it. */
  onRetry?: (code: string, attempt: number) => void;
  /** Turns the last conflict into the error the caller throws (default: the conflict itself). */
  onExhausted?: (error: unknown) => Error;
}

/**
 * Runs `transaction` again when the database picked it as a deadlock victim or
 * its lock wait timed out, with a short jittered pause; any other error is
 * thrown as is. `transaction` must open its own transaction on each call.
 */
export async function retryLockConflicts<T>(
  transaction: () => Promise<T>,
  { attempts = 4, onRetry, onExhausted }: LockRetryOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      const code = driverErrorCode(error);
      if (!code || !LOCK_CONFLICTS.has(code)) throw error;
      if (attempt >= attempts) throw onExhausted ? onExhausted(error) : error;
      onRetry?.(code, attempt);
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}
