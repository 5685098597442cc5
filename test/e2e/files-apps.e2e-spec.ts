// File storage in the processes other than `nestbase serve`: the CLI's record deletes remove the
// record's files, and the split auth service starts with storage mounted (its record writes store files).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import {
  file,
  freePort,
  HttpClient,
  ManagedProcess,
  RecordJson,
  repoRoot,
  runCli,
  startNestbase,
  startProcess,
  STARTUP_CEILING_MS,
  TEST_CEILING_MS,
  tokenFor,
  uniqueEmail,
  waitForHealth,
} from '@lib/testing';

import { form } from './support/file-helpers';
import { makeImage } from './support/images';

const PASSWORD = 'Files-Passw0rd-1';
const TIMEOUT = { timeout: TEST_CEILING_MS };
const dirs: string[] = [];

after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nestbase-files-apps-'));
  dirs.push(dir);
  return dir;
}

/** A second superuser with an avatar (a file field added to `_superusers`); returns its file's path. */
async function superuserWithAvatar(proc: ManagedProcess, admin: string, email: string): Promise<string> {
  const http = new HttpClient(proc.baseUrl);
  const token = await tokenFor(http, '_superusers', admin, PASSWORD);
  const col = await http.request('GET', '/api/collections/_superusers', { token });
  const collection = col.json<{ id: string; fields: unknown[] }>();
  const patched = await http.request('PATCH', '/api/collections/_superusers', {
    token,
    body: { fields: [...collection.fields, file('avatar', { maxSelect: 1 })] },
  });
  assert.equal(patched.status, 200, patched.text);
  const created = await http.request('POST', '/api/collections/_superusers/records', {
    token,
    body: form([
      ['email', email],
      ['password', PASSWORD],
      ['passwordConfirm', PASSWORD],
      ['avatar', await makeImage(40, 40), 'me.png', 'image/png'],
    ]),
  });
  assert.equal(created.status, 200, created.text);
  const record = created.json<RecordJson>();
  return join('storage', collection.id, String(record.id), String(record.avatar));
}

void describe('files outside nestbase serve', () => {
  void it('nestbase superuser delete removes the deleted record’s files', TIMEOUT, async () => {
    const dir = await tempDir();
    const admin = uniqueEmail('admin');
    const doomed = uniqueEmail('doomed');
    const proc = await startNestbase(dir, [], { env: { PB_ADMIN_EMAIL: admin, PB_ADMIN_PASSWORD: PASSWORD } });
    let avatar: string;
    try {
      avatar = join(dir, await superuserWithAvatar(proc, admin, doomed));
    } finally {
      await proc.stop();
    }
    assert.ok(existsSync(avatar), `${avatar} was stored`);
    const res = await runCli(['superuser', 'delete', doomed, '--dir', dir]);
    assert.equal(res.code, 0, res.stderr);
    assert.ok(!existsSync(avatar), 'the avatar is gone once the CLI has exited');
    assert.ok(!existsSync(join(avatar, '..')), 'and so is the record folder');
  });

  void it('the auth service starts with file storage mounted', TIMEOUT, async () => {
    const dir = await tempDir();
    const port = await freePort();
    const main = join(repoRoot(), 'dist', 'apps', 'auth', 'src', 'main.js');
    const paths = join(repoRoot(), 'scripts', 'paths.js');
    const baseUrl = `http://127.0.0.1:${port}`;
    const proc = startProcess(['-r', paths, main, '--http', `127.0.0.1:${port}`, '--dir', dir], {}, baseUrl);
    try {
      await waitForHealth(baseUrl, STARTUP_CEILING_MS, proc.child, () => `${proc.stdout()}\n${proc.stderr()}`);
      const res = await new HttpClient(baseUrl).request('POST', '/api/users', {
        body: { email: uniqueEmail('tut'), password: PASSWORD, passwordConfirm: PASSWORD },
      });
      assert.equal(res.status, 200, res.text);
    } finally {
      await proc.stop();
    }
  });
});
