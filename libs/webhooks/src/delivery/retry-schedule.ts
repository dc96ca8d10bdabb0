/**
 * When the next attempt of a failed delivery runs: `delaysMs[n - 1]` after
 * attempt n failed, or null when attempt n was the last (attempts =
 * delays + 1). The default schedule (WEBHOOK_RETRY_DELAYS_MS) is 30 s, 2 min,
 * 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h: roughly exponential, capped at 8 h,
 * 10 attempts over about 24 h.
 */
export function retryDelayAfter(attempt: number, delaysMs: readonly number[]): number | null {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`attempt must be a positive integer, not ${attempt}`);
  return attempt <= delaysMs.length ? delaysMs[attempt - 1] : null;
}

/** How many attempts a delivery gets in all. */
export function maxAttempts(delaysMs: readonly number[]): number {
  return delaysMs.length + 1;
}
