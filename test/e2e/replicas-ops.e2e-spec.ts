// Two servers on one database — two processes on one data directory, or in the `pg` tier (NB_TEST_POSTGRES_URL)
// two replicas on one fresh PostgreSQL database, each with its own data dir — and the operations API answered by
// either: `backups.cron` saved through one is listed and run at once through the other (not after the other's next
// periodic read of the settings), and on PostgreSQL two backups started at once, one through each, are one backup
// and one "Try again later" (the running-backup lock is the database's, not each process's).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { HttpClient, type HttpMethod, TEST_CEILING_MS, uniqueSuffix, waitFor } from '@lib/testing';

import { startTwoServers, type TwoServers } from './support/two-servers';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { email: 'replicas-ops-su@example.com', password: 'Replicas-Ops-Superuser-Passw0rd' };
const BUSY = 'Try again later - another backup/restore process has already been started.';

void describe('the operations API through two servers on one database', () => {
  let servers: TwoServers;
  let a: HttpClient;
  let b: HttpClient;
  let su = '';

  before(async () => {
    servers = await startTwoServers('replicas-ops', SU);
    ({ a, b, su } = servers);
  });

  after(async () => {
    await servers?.stop();
  });

  async function ok<T>(client: HttpClient, method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const res = await client.request(method, path, { token: su, body });
    assert.ok(res.status === 200 || res.status === 204, `${method} ${path}: ${res.status} ${res.text}`);
    return (res.status === 200 ? res.json<T>() : undefined) as T;
  }

  const crons = async (client: HttpClient) =>
    (await ok<{ id: string }[]>(client, 'GET', '/api/crons')).map((job) => job.id);

  void it(
    'lists and runs __pbAutoBackup__ through the other server as soon as one saved backups.cron',
    TIMEOUT,
    async () => {
      // b has read the settings (no cron) just before a changes them
      assert.ok(!(await crons(b)).includes('__pbAutoBackup__'));
      await ok(a, 'PATCH', '/api/settings', { backups: { cron: '0 3 * * *', cronMaxKeep: 3 } });
      assert.ok((await crons(b)).includes('__pbAutoBackup__'), 'b lists the job a scheduled');
      const run = await b.request('POST', '/api/crons/__pbAutoBackup__', { token: su });
      assert.equal(run.status, 204, run.text);
      await waitFor(
        async () => (await ok<{ key: string }[]>(b, 'GET', '/api/backups')).some((k) => k.key.startsWith('@auto_')),
        'the auto backup run through b',
      );
      await ok(a, 'PATCH', '/api/settings', { backups: { cron: '' } });
      assert.ok(!(await crons(b)).includes('__pbAutoBackup__'), 'b no longer lists it');
    },
  );

  void it(
    'runs one of two backups started at once through the two servers (PostgreSQL)',
    { ...TIMEOUT, skip: process.env.NB_TEST_POSTGRES_URL ? false : 'one process runs a data dir’s backups on SQLite' },
    async () => {
      const suffix = uniqueSuffix();
      const [first, second] = await Promise.all([
        a.request('POST', '/api/backups', { token: su, body: { name: `race_a_${suffix}.zip` } }),
        b.request('POST', '/api/backups', { token: su, body: { name: `race_b_${suffix}.zip` } }),
      ]);
      assert.deepEqual([first.status, second.status].sort(), [204, 400], `${first.text} ${second.text}`);
      const refused = first.status === 400 ? first : second;
      assert.equal(refused.json<{ message: string }>().message, BUSY);
      // the lock is released with the backup: the refused server runs the next one
      const again = first.status === 400 ? a : b;
      await ok(again, 'POST', '/api/backups', { name: `after_${suffix}.zip` });
    },
  );
});
