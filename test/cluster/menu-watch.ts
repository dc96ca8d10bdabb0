import { call, type Reply } from './cluster';
import type { RunningProcess } from '../support/processes';

/** The contract: a menu write is visible on every instance within one second. */
export const VISIBLE_WITHIN_MS = 1000;

/** How one instance's public menu answers went after a write answered at `since` (Date.now()). */
export interface MenuWatch {
  /** Milliseconds after the write's answer at which the last request that still got the old menu was sent (null: none). */
  lastOldSentAfterMs: number | null;
  /** Old answers after a new one had been served (the copy went backwards). */
  oldAfterNew: number;
}

/**
 * Asks one instance for the public menu until it has served the new one and a
 * request sent more than VISIBLE_WITHIN_MS after the write's answer has come
 * back, noting when each request was sent. The proof is then that no request
 * sent later than that second got the old menu. A slow machine only delays
 * answers, which can hide staleness but never invent it, so the check cannot
 * fail on timing alone; the mechanism (each instance compares the menu version
 * in Redis at most every 250 ms) leaves it ~750 ms of room.
 */
export async function watchMenu(
  target: RunningProcess,
  path: string,
  isNew: (res: Reply) => boolean,
  since: number,
): Promise<MenuWatch> {
  let seenNew = false;
  let lastOld: number | null = null;
  let oldAfterNew = 0;
  for (;;) {
    const sentAt = Date.now() - since;
    const res = await call(target, 'GET', path);
    if (res.status !== 200 && res.status !== 404) throw new Error(`public menu answered ${res.status}`);
    if (isNew(res)) seenNew = true;
    else {
      lastOld = sentAt;
      if (seenNew) oldAfterNew += 1;
    }
    if (seenNew && sentAt > VISIBLE_WITHIN_MS) return { lastOldSentAfterMs: lastOld, oldAfterNew };
    if (sentAt > 30_000) throw new Error(`${target.url}${path} still serves the old menu after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function expectVisibleWithinASecond(watch: MenuWatch): void {
  expect(watch.oldAfterNew).toBe(0);
  // No request sent later than 1 s after the write's answer got the old menu.
  expect(watch.lastOldSentAfterMs ?? 0).toBeLessThanOrEqual(VISIBLE_WITHIN_MS);
}
