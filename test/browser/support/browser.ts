// Debian's Chromium driven by playwright-core, for the dashboard flows. Screenshots go to
// test-artifacts/dashboard/ (git-ignored); console errors and page errors are collected for assertions.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { repoRoot, WAIT_CEILING_MS } from '@lib/testing';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(repoRoot(), 'test-artifacts', 'dashboard');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Script errors and console errors, except the browser's own "Failed to load resource" lines for 4xx answers. */
  errors: string[];
}

/** A fresh context (no stored session) at 1280x800 (or `width`), with its errors collected. */
export async function openPage(browser: Browser, width = 1280): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  // a hang catcher, not a speed test: a loaded machine renders slowly
  context.setDefaultTimeout(WAIT_CEILING_MS);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (
      message.type() === 'error' &&
      !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())
    ) {
      errors.push(`console: ${message.text()}`);
    }
  });
  return { page, context, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** Waits until `check` holds (polling), or throws with `what`. */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = WAIT_CEILING_MS,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) {
      return;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Clicks `button` and waits for the answer to the `method` request to `path` it sends, then for the dashboard's
 * `toast` about it. A toast text alone is no proof: an earlier save's toast of the same words may still be shown.
 */
export async function clickAndAwait(
  page: Page,
  button: Locator,
  method: string,
  path: string,
  toast: string,
): Promise<void> {
  const answered = page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname === path);
  await button.click();
  const response = await answered;
  if (!response.ok()) {
    throw new Error(`${method} ${path} answered ${response.status()}`);
  }
  await page.getByRole('status').getByText(toast).first().waitFor();
}
