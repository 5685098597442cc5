// The dashboard once through the gateway of the distributed set (records, auth, files and realtime
// services behind it, events over Redis): the gateway serves /_/ and custom.css from the shared data
// directory, the SDK's calls are routed to the services, and a record created through the API shows live.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  freePort,
  repoRoot,
  startProcess,
  startSplitService,
  waitForHealth,
  type ManagedProcess,
  TEST_CEILING_MS,
} from '@lib/testing';
import { RedisServer } from '../e2e/support/redis-server';
import { Api } from './support/api';
import { launchBrowser, openPage, screenshot } from './support/browser';

const SU = { email: 'gw-dash@example.com', password: 'Gateway-Passw0rd-1' };

void describe('dashboard through the gateway', { timeout: TEST_CEILING_MS }, () => {
  let dir: string;
  let redis: RedisServer;
  let browser: Browser;
  const processes: ManagedProcess[] = [];
  let gatewayUrl = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestbase-dashboard-gw-'));
    mkdirSync(join(dir, 'public'), { recursive: true });
    writeFileSync(join(dir, 'public', 'custom.css'), '.app-logo { background: rgb(10, 120, 60); }\n');
    redis = await RedisServer.start();
    const env = { REDIS_URL: redis.url, NB_INTERNAL_SECRET: 'dashboard-gateway-secret', NB_TRUST_PROXY_HOPS: '1' };
    const records = await startSplitService('records', dir, [], {
      env: { ...env, PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password },
    });
    const services = [records];
    for (const name of ['auth', 'files', 'realtime'] as const) {
      services.push(await startSplitService(name, dir, [], { env }));
    }
    processes.push(...services);
    const port = await freePort();
    const gateway = startProcess([join(repoRoot(), 'bin', 'nestbase.js'), 'gateway', '--http', `127.0.0.1:${port}`], {
      env: {
        ...env,
        NB_DIR: dir,
        NB_UPSTREAM_RECORDS: services[0].baseUrl,
        NB_UPSTREAM_AUTH: services[1].baseUrl,
        NB_UPSTREAM_FILES: services[2].baseUrl,
        NB_UPSTREAM_REALTIME: services[3].baseUrl,
        NB_RATE_LIMIT_MAX: '10000',
      },
    });
    processes.push(gateway);
    gatewayUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(gatewayUrl, 30_000, gateway.child, () => gateway.stderr(), '/readyz');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await Promise.allSettled(processes.map((p) => p.stop()));
    await redis?.stop();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('serves the dashboard, signs in, and shows a record created through the API live', async () => {
    const index = await fetch(`${gatewayUrl}/_/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const { page, errors, context } = await openPage(browser, 1024);
    await page.goto(`${gatewayUrl}/_/`);
    await page.getByLabel('Email').fill(SU.email);
    await page.getByLabel('Password').fill(SU.password);
    await page.getByRole('button', { name: 'Login', exact: true }).click();
    await page.getByRole('heading', { name: 'users' }).waitFor();
    const color = await page
      .getByRole('link', { name: 'nestbase home' })
      .evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el)
            .backgroundColor,
      );
    assert.equal(color, 'rgb(10, 120, 60)');
    await page.getByRole('cell', { name: 'No records found.' }).waitFor();
    const api = new Api(gatewayUrl);
    api.token = await api.signIn('_superusers', SU.email, SU.password);
    const password = 'User-Passw0rd-1';
    await api.ok('POST', '/api/collections/users/records', {
      email: 'live@example.com',
      password,
      passwordConfirm: password,
    });
    await page.getByRole('cell', { name: /live@example\.com/ }).waitFor();
    await screenshot(page, '10-gateway-1024px');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
