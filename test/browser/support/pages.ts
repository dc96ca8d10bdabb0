import type { Page } from 'playwright-core';

/** What a page's fetch saw: the status and parsed body, or why fetch rejected. */
export interface Seen {
  status?: number;
  body?: unknown;
  error?: string;
  /** Foreign page: the response type (`cors`, `opaque`…) and the body it could read. */
  type?: string;
  readable?: string | null;
  rejected?: string;
  attempt?: number;
}

type PageApi = Record<string, Record<string, (...args: unknown[]) => unknown>>;

/**
 * Calls `window[api][name](...args)` in the page (test/browser/page/*.mjs) and
 * returns what it resolved to.
 */
export async function callPage<T = Seen>(page: Page, api: 'panel' | 'foreign', name: string, ...args: unknown[]) {
  await page.waitForFunction((key) => key in globalThis, api);
  return page.evaluate(([key, method, values]) => (globalThis as unknown as PageApi)[key]?.[method]?.(...values), [
    api,
    name,
    args,
  ] as const) as Promise<T>;
}
