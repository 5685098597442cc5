// A restore in the split set: the records service restores a backup into the shared data directory and
// restarts on it; the auth and files services, which keep the database files they opened, hear
// `backup.restored` over Redis and restart in-process, so a user and a file made after the backup are gone
// from them too, and what the backup held is served again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  HttpClient,
  makeCollection,
  ManagedProcess,
  OPEN_RULES,
  startSplitService,
  TEST_CEILING_MS,
  text,
  tokenFor,
  WAIT_CEILING_MS,
} from '@lib/testing';
import { RedisServer } from './support/redis-server';

const SU = { email: 'restore-su@example.com', password: 'Restore-Superuser-Passw0rd' };
const PASSWORD = 'Restore-User-Passw0rd';

/** Polls `probe` (a failed request counts as "not yet": the service may be restarting) until it is `want`. */
async function until(what: string, probe: () => Promise<number>, want: number): Promise<void> {
  const deadline = Date.now() + WAIT_CEILING_MS;
  let last: number;
  while ((last = await probe().catch(() => 0)) !== want) {
    assert.ok(Date.now() < deadline, `${what}: still ${last}, want ${want}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

void describe('backup restore in the split set', { timeout: TEST_CEILING_MS }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nb-restore-split-'));
  let redis: RedisServer;
  const procs: ManagedProcess[] = [];
  let records: HttpClient;
  let auth: HttpClient;
  let files: HttpClient;
  let su = '';

  before(async () => {
    redis = await RedisServer.start();
    const env = { REDIS_URL: redis.url, PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password, NB_BCRYPT_COST: '4' };
    procs.push(await startSplitService('records', dir, [], { env }));
    procs.push(
      ...(await Promise.all([
        startSplitService('auth', dir, [], { env }),
        startSplitService('files', dir, [], { env }),
      ])),
    );
    [records, auth, files] = procs.map((p) => new HttpClient(p.baseUrl));
    su = await tokenFor(auth, '_superusers', SU.email, SU.password);
  });

  after(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const register = async (email: string) => {
    const res = await records.request('POST', '/api/collections/users/records', {
      body: { email, password: PASSWORD, passwordConfirm: PASSWORD },
    });
    assert.equal(res.status, 200, res.text);
  };
  const login = (email: string) => () =>
    auth
      .request('POST', '/api/collections/users/auth-with-password', { body: { identity: email, password: PASSWORD } })
      .then((r) => r.status);
  const upload = async (title: string): Promise<string> => {
    const form = new FormData();
    form.append('title', title);
    form.append('doc', new Blob([`the ${title} file`], { type: 'text/plain' }), `${title}.txt`);
    const res = await records.request('POST', '/api/collections/notes/records', { body: form });
    assert.equal(res.status, 200, res.text);
    const note = res.json<{ id: string; doc: string }>();
    return `/api/files/notes/${note.id}/${note.doc}`;
  };
  const fetchFile = (url: string) => () => files.request('GET', url).then((r) => r.status);

  void it('the other services restart on the restored data', async () => {
    const notes = makeCollection({
      name: 'notes',
      ...OPEN_RULES,
      fields: [text('title'), { name: 'doc', type: 'file', maxSelect: 1 }],
    });
    assert.equal((await records.request('POST', '/api/collections', { token: su, body: notes })).status, 200);
    await register('kept@example.com');
    const keptFile = await upload('kept');
    const backup = await records.request('POST', '/api/backups', { token: su, body: { name: 'snap.zip' } });
    assert.equal(backup.status, 204, backup.text);

    await register('gone@example.com');
    const goneFile = await upload('gone');
    await until('login made after the backup, before the restore', login('gone@example.com'), 200);
    await until('file made after the backup, before the restore', fetchFile(goneFile), 200);

    const restore = await records.request('POST', '/api/backups/snap.zip/restore', { token: su });
    assert.equal(restore.status, 204, restore.text);

    // auth and files follow without being restarted by anyone
    await until('auth: the user made after the backup', login('gone@example.com'), 400);
    await until('auth: the user the backup holds', login('kept@example.com'), 200);
    await until('files: the file made after the backup', fetchFile(goneFile), 404);
    await until('files: the file the backup holds', fetchFile(keptFile), 200);
    const list = await records.request('GET', '/api/collections/notes/records');
    assert.deepEqual(
      list.json<{ items: { title: string }[] }>().items.map((n) => n.title),
      ['kept'],
    );
    for (const [i, p] of procs.entries()) {
      assert.equal(p.child.exitCode, null, `service ${i} still runs:\n${p.stderr()}`);
    }
  });
});
