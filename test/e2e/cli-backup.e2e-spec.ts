// `nestbase backup create|list|restore` on a data directory with the server stopped.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { HttpClient, runCli, startNestbase, tokenFor } from '@lib/testing';

const TIMEOUT = { timeout: 180_000 };
const EMAIL = 'cli-backup@example.com';
const PASSWORD = 'cli-Backup-Passw0rd';
const work = mkdtempSync(join(tmpdir(), 'nb-cli-backup-'));
const dir = join(work, 'pb_data');

/** Starts a server on `dir`, runs `fn` with a superuser client, stops it. */
async function withServer(fn: (http: HttpClient, token: string) => Promise<void>): Promise<void> {
  const proc = await startNestbase(dir, [], { env: { PB_ADMIN_EMAIL: EMAIL, PB_ADMIN_PASSWORD: PASSWORD } });
  try {
    const http = new HttpClient(proc.baseUrl);
    await fn(http, await tokenFor(http, '_superusers', EMAIL, PASSWORD));
  } finally {
    await proc.stop();
  }
}

void describe('nestbase backup', () => {
  after(() => rmSync(work, { recursive: true, force: true }));

  void it('creates, lists and restores', TIMEOUT, async () => {
    await withServer(async (http, token) => {
      const res = await http.request('POST', '/api/collections', { body: { name: 'kept', type: 'base' }, token });
      assert.equal(res.status, 200, res.text);
    });
    const created = await runCli(['backup', 'create', 'cli.zip', '--dir', dir]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created backup "cli\.zip"/);
    const listed = await runCli(['backup', 'list', '--dir', dir]);
    assert.match(listed.stdout, /^cli\.zip\t\d+\t\d{4}-\d\d-\d\d /m);
    const again = await runCli(['backup', 'create', 'cli.zip', '--dir', dir]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists/);

    await withServer(async (http, token) => {
      const res = await http.request('POST', '/api/collections', { body: { name: 'later', type: 'base' }, token });
      assert.equal(res.status, 200, res.text);
    });
    const restored = await runCli(['backup', 'restore', 'cli.zip', '--dir', dir]);
    assert.equal(restored.code, 0, restored.stderr);
    await withServer(async (http, token) => {
      assert.equal((await http.request('GET', '/api/collections/kept', { token })).status, 200);
      assert.equal((await http.request('GET', '/api/collections/later', { token })).status, 404);
    });
    const missing = await runCli(['backup', 'restore', '../etc.zip', '--dir', dir]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Missing or invalid backup file/);
  });
});
