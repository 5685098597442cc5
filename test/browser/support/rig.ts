// One `nestbase serve` on a fresh data dir with a superuser made from PB_ADMIN_*, a signed-in API client and
// Chromium: what the dashboard suites that skip the installer start from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startNestbase, type ManagedProcess } from '@lib/testing';
import { Api } from './api';
import { launchBrowser } from './browser';

export interface Rig {
  dir: string;
  server: ManagedProcess;
  /** Signed in as the superuser. */
  api: Api;
  browser: Browser;
  /** The dashboard URL of a hash route, e.g. `url('/logs')`. */
  url(hash: string): string;
  stop(): Promise<void>;
}

export async function startRig(
  name: string,
  superuser: { email: string; password: string },
  env: Record<string, string> = {},
): Promise<Rig> {
  // the browser first: a missing Chromium fails here, before a server exists that would keep the file alive
  const browser = await launchBrowser();
  const dir = mkdtempSync(join(tmpdir(), `nestbase-${name}-`));
  let server: ManagedProcess | undefined;
  let api: Api;
  try {
    server = await startNestbase(join(dir, 'data'), [], {
      env: { PB_ADMIN_EMAIL: superuser.email, PB_ADMIN_PASSWORD: superuser.password, ...env },
    });
    api = new Api(server.baseUrl);
    api.token = await api.signIn('_superusers', superuser.email, superuser.password);
  } catch (error) {
    await browser.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  return {
    dir,
    server: running,
    api,
    browser,
    url: (hash) => `${running.baseUrl}/_/#${hash}`,
    stop: async () => {
      await browser.close();
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
