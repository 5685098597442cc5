// Auto backups with REDIS_URL: a cron tick is a queued job that any process with the cron may take, and that
// process may have served no request since another one changed the settings. Two servers on one data dir, one
// Redis and one (test) clock: A serves the API and takes no cron job (NB_JOB_WORKERS without cron.run); B serves
// no request at all (waited for on /readyz) and takes the jobs. `backups.cron` and `backups.s3` are saved through
// A; B must schedule the job from them (it reads them every 2 s, bringing its settings up to date first) and put
// the backup in the S3 bucket, not in the data dir. Without the update B keeps its old settings until something
// else refreshes them (a system job's run, up to an hour later): no job, no backup.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { HttpClient, ManagedProcess, startNestbase, TEST_CEILING_MS, TestClock, tokenFor, waitFor } from '@lib/testing';

import { RedisServer } from './support/redis-server';
import { startS3, type TestS3 } from './support/s3-server';

const SU = { PB_ADMIN_EMAIL: 'backup-redis-su@example.com', PB_ADMIN_PASSWORD: 'Backup-Redis-Superuser-Passw0rd' };
const TIMEOUT = { timeout: TEST_CEILING_MS };
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Between two moves of the clock: time for both servers' timers (they wake every second) to see a tick. */
const MOVE_EVERY_MS = 2500;

/** The cron queues' `<queue>=<jobs added>` when none has a job waiting or running, else ''. */
async function cronQueuesIdle(redis: RedisServer): Promise<string> {
  const keys = (await redis.cli('--scan', '--pattern', 'nestbase:cron.run.*:id')).split('\n').filter(Boolean).sort();
  let state = '';
  for (const key of keys) {
    const queue = key.slice(0, -':id'.length);
    const [added, waiting, active] = await Promise.all([
      redis.cli('GET', key),
      redis.cli('LLEN', `${queue}:wait`),
      redis.cli('LLEN', `${queue}:active`),
    ]);
    if (Number(waiting) + Number(active) > 0) {
      return '';
    }
    state += `${queue}=${added.trim()};`;
  }
  return state;
}

void describe('auto backups with REDIS_URL: the job runs on a process that served no request', () => {
  let dir = '';
  let redis: RedisServer | undefined;
  let s3: TestS3 | undefined;
  let a: ManagedProcess | undefined;
  let b: ManagedProcess | undefined;
  let clock: TestClock;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-backup-redis-'));
    redis = await RedisServer.start();
    s3 = await startS3();
    const clockFile = join(dir, 'clock');
    writeFileSync(clockFile, '0');
    clock = new TestClock(clockFile);
    const env = { ...SU, REDIS_URL: redis.url, NB_TEST_CLOCK_FILE: clockFile, NB_BCRYPT_COST: '4' };
    const data = join(dir, 'pb_data');
    a = await startNestbase(data, [], { env: { ...env, NB_JOB_WORKERS: 'mail.send,files.delete' } });
    b = await startNestbase(data, [], { env, healthPath: '/readyz' });
  }, TIMEOUT);

  after(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await Promise.allSettled([s3?.stop(), redis?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  void it('B schedules the job from settings saved through A and stores the backup on S3', TIMEOUT, async () => {
    assert.ok(a && s3);
    const http = new HttpClient(a.baseUrl);
    const su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    // The servers' clock to 5 past the next hour first: the system jobs (at :00 and :30, which bring a process's
    // settings up to date as they run) fire on the way, before the settings change, and not during the steps below.
    const now = Date.now();
    await clock.advance(Math.ceil(now / HOUR) * HOUR + 5 * MINUTE - now);
    assert.ok(redis);
    const queues = redis;
    let last = '';
    let since = Date.now();
    await waitFor(async () => {
      const state = await cronQueuesIdle(queues);
      if (state !== last) {
        [last, since] = [state, Date.now()];
      }
      return state.includes('__pbOTPCleanup__') && Date.now() - since >= MOVE_EVERY_MS;
    }, 'the system jobs of the jump to have run (and no other to come)');
    const backups = { cron: '* * * * *', cronMaxKeep: 2, s3: s3.settings };
    const saved = await http.request('PATCH', '/api/settings', { token: su, body: { backups } });
    assert.equal(saved.status, 200, saved.text);

    // Each step of the shared clock by a minute passes a tick: A may queue it, only B can run it (at most 20 steps:
    // before :30).
    let moved = Date.now();
    let steps = 0;
    const store = s3;
    const found = await waitFor(async () => {
      const keys = store.keys('').filter((key) => key.startsWith('@auto_pb_backup_'));
      if (keys.length > 0) {
        return keys;
      }
      if (Date.now() - moved >= MOVE_EVERY_MS && steps < 20) {
        moved = Date.now();
        steps++;
        await clock.advance(MINUTE);
      }
      return null;
    }, 'an auto backup in the S3 bucket (taken by B with the settings saved through A)');
    assert.match(found[0], /^@auto_pb_backup_([a-z0-9_]+_)?\d{14}\.zip$/);
    const local = join(dir, 'pb_data', 'backups');
    const kept = existsSync(local) ? readdirSync(local).filter((name) => name.endsWith('.zip')) : [];
    assert.deepEqual(kept, [], 'no backup in the data dir: B used backups.s3 as saved through A');
  });
});
