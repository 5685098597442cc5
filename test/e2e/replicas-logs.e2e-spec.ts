// Two servers on one database — two processes on one data directory, or in the `pg` tier (NB_TEST_POSTGRES_URL)
// two replicas on one fresh PostgreSQL database, each with its own data dir — and the request logs answered by
// either: a request served by one is listed, viewed and counted in the stats through the other (on PostgreSQL the
// one `_logs` table of the database, not each data dir's `auxiliary.db`), the retention job run through one
// removes what the other wrote, and a backup has the logs database on SQLite only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { HttpClient, TEST_CEILING_MS, uniqueSuffix, waitFor } from '@lib/testing';

import { startTwoServers, type TwoServers } from './support/two-servers';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { email: 'replicas-logs-su@example.com', password: 'Replicas-Logs-Superuser-Passw0rd' };
const PG = Boolean(process.env.NB_TEST_POSTGRES_URL);

interface Log {
  id: string;
  message: string;
  data: { url?: string; status?: number };
}

void describe('the request logs through two servers on one database', () => {
  let servers: TwoServers;
  let a: HttpClient;
  let b: HttpClient;
  let su = '';

  before(async () => {
    servers = await startTwoServers('replicas-logs', SU);
    ({ a, b, su } = servers);
  });

  after(async () => {
    await servers?.stop();
  });

  async function ok<T>(client: HttpClient, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const res = await client.request(method, path, { token: su, body });
    assert.ok(res.status === 200 || res.status === 204, `${method} ${path}: ${res.status} ${res.text}`);
    return (res.status === 200 ? res.json<T>() : undefined) as T;
  }

  /** The entries whose url contains `tag` (but for these reads', whose filter has it), once there are `count`. */
  const logged = (client: HttpClient, tag: string, count: number) =>
    waitFor(async () => {
      const filter = encodeURIComponent(`data.url ~ "${tag}" && data.url !~ "/api/logs"`);
      const list = await ok<{ items: Log[] }>(client, 'GET', `/api/logs?perPage=100&filter=${filter}`);
      return list.items.length === count ? list.items : null;
    }, `${count} entries of ${tag}`);

  void it('lists, views and counts through each server the requests the other served', TIMEOUT, async () => {
    const tag = `rl_${uniqueSuffix()}`;
    await a.request('GET', `/api/collections/missing_${tag}_a/records`);
    await b.request('GET', `/api/collections/missing_${tag}_b/records`);
    await b.request('GET', `/api/health?${tag}_b`);
    for (const client of [a, b]) {
      const items = await logged(client, tag, 3);
      assert.deepEqual(items.map((e) => e.data.url).sort(), [
        `/api/collections/missing_${tag}_a/records`,
        `/api/collections/missing_${tag}_b/records`,
        `/api/health?${tag}_b`,
      ]);
      const fromA = items.find((e) => e.data.url?.endsWith('_a/records'))!;
      const viewed = await ok<Log>(client === a ? b : a, 'GET', `/api/logs/${fromA.id}`);
      assert.equal(viewed.data.status, 404);
    }
    const stats = await ok<{ total: number; date: string }[]>(
      a,
      'GET',
      `/api/logs/stats?filter=${encodeURIComponent(`data.url ~ "missing_${tag}" && data.status = 404`)}`,
    );
    assert.equal(
      stats.reduce((sum, s) => sum + s.total, 0),
      2,
    );
    assert.ok(
      stats.every((s) => /^\d{4}-\d\d-\d\d \d\d:00:00\.000Z$/.test(s.date)),
      JSON.stringify(stats),
    );
  });

  void it('removes through one server what the other logged, with maxDays 0 (logging off)', TIMEOUT, async () => {
    const tag = `rm_${uniqueSuffix()}`;
    await b.request('GET', `/api/health?${tag}`);
    await logged(a, tag, 1);
    await ok(a, 'PATCH', '/api/settings', { logs: { maxDays: 0 } });
    try {
      await ok(a, 'POST', '/api/crons/__pbLogsCleanup__');
      // run again through the other: nothing left to remove, no error
      await ok(b, 'POST', '/api/crons/__pbLogsCleanup__');
    } finally {
      await ok(a, 'PATCH', '/api/settings', { logs: { maxDays: 5 } });
    }
    await logged(b, tag, 0);
  });

  void it(`makes a backup ${PG ? 'without' : 'with'} the logs database (auxiliary.db)`, TIMEOUT, async () => {
    const name = `logs_${uniqueSuffix()}.zip`;
    await ok(a, 'POST', '/api/backups', { name });
    const { token } = await ok<{ token: string }>(a, 'POST', '/api/files/token');
    const res = await fetch(`${a.baseUrl}/api/backups/${name}?token=${token}`);
    assert.equal(res.status, 200);
    // a stored zip names each entry in plain bytes (its local header and central directory)
    const zip = Buffer.from(await res.arrayBuffer());
    assert.ok(zip.includes('data.db'));
    assert.equal(zip.includes('auxiliary.db'), !PG);
  });
});
