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
  const dir = mkdtempSync(join(tmpdir(), `nestbase-${name}-`));
  const server = await startNestbase(join(dir, 'data'), [], {
    env: { PB_ADMIN_EMAIL: superuser.email, PB_ADMIN_PASSWORD: superuser.password, ...env },
  });
  const api = new Api(server.baseUrl);
  api.token = await api.signIn('_superusers', superuser.email, superuser.password);
  const browser = await launchBrowser();
  return {
    dir,
    server,
    api,
    browser,
    url: (hash) => `${server.baseUrl}/_/#${hash}`,
    stop: async () => {
      await browser.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
