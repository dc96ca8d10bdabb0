import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's package (scripts/test-browser.sh installs it); playwright-core downloads no browser of its own. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where a failing test leaves its screenshots (git-ignored). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'test-results', 'browser');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
}

/**
 * Runs a test body; when it fails, saves a screenshot of each page of the
 * context (each page lists the calls it made) and names them in the error.
 */
export async function withScreenshots(context: BrowserContext, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    const saved: string[] = [];
    for (const [index, page] of context.pages().entries()) {
      const path = join(SCREENSHOT_DIR, `${slug}-${index + 1}.png`);
      try {
        await page.screenshot({ path, fullPage: true });
        saved.push(path);
      } catch (screenshotError) {
        saved.push(`${path} (not saved: ${String(screenshotError)})`);
      }
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n\nScreenshots: ${saved.length > 0 ? saved.join(', ') : 'no page was open'}`, {
      cause: error,
    });
  }
}
