// Liveness (`GET /healthz`) and readiness (`GET /readyz`) of every service: records, auth, files and realtime
// (with and without a database) on one data directory with a real redis-server and an S3 server (s3rver), plus
// the standalone server without Redis. Readiness goes 503 with terminus' details while Redis, S3 or (for the
// database-less realtime) the records service is down, and back to 200 when it returns; liveness stays 200.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  HttpClient,
  ManagedProcess,
  startNestbase,
  startSplitService,
  TEST_CEILING_MS,
  WAIT_CEILING_MS,
} from '@lib/testing';

import { RedisServer } from './support/redis-server';
import { startS3, TestS3 } from './support/s3-server';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SECRET = 'internal-secret-for-the-probes-test';

interface ProbeBody {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
  details: Record<string, { status: string; message?: string }>;
}

interface Probe {
  status: number;
  body: ProbeBody;
}

async function probe(service: ManagedProcess, path: '/healthz' | '/readyz'): Promise<Probe> {
  const res = await new HttpClient(service.baseUrl).request('GET', path);
  return { status: res.status, body: res.json<ProbeBody>() };
}

/** Polls `/readyz` until it answers `status` (readiness follows a dependency within a few seconds). */
async function readyzBecomes(service: ManagedProcess, status: number, timeoutMs = WAIT_CEILING_MS): Promise<Probe> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe(service, '/readyz');
  while (last.status !== status) {
    if (Date.now() > deadline) {
      assert.fail(`${service.baseUrl}/readyz still ${last.status} after ${timeoutMs} ms: ${JSON.stringify(last.body)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
    last = await probe(service, '/readyz');
  }
  return last;
}

void describe('GET /healthz and /readyz', () => {
  let dir = '';
  let standaloneDir = '';
  let redis: RedisServer;
  let s3: TestS3;
  const services: Record<string, ManagedProcess> = {};
  const checks: Record<string, string[]> = {
    records: ['database', 'redis', 'storage'],
    auth: ['database', 'redis', 'storage'],
    files: ['database', 'redis', 'storage'],
    realtime: ['database', 'redis'],
    realtimeRemote: ['redis', 'records'],
  };
  const all = (): [string, ManagedProcess][] => Object.entries(services).filter(([name]) => name in checks);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-probes-'));
    standaloneDir = await mkdtemp(join(tmpdir(), 'nestbase-probes-standalone-'));
    [redis, s3] = await Promise.all([RedisServer.start(), startS3()]);
    const env = {
      REDIS_URL: redis.url,
      NB_INTERNAL_SECRET: SECRET,
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY: 'S3RVER',
      S3_SECRET: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
      NB_LOG_LEVEL: 'error',
    };
    services.records = await startSplitService('records', dir, [], { env });
    const [auth, files, realtime, realtimeRemote, standalone] = await Promise.all([
      startSplitService('auth', dir, [], { env }),
      startSplitService('files', dir, [], { env }),
      startSplitService('realtime', dir, [], { env }),
      startSplitService('realtime', join(dir, 'unused'), ['--records', services.records.baseUrl], { env }),
      startNestbase(standaloneDir, [], { env: { NB_LOG_LEVEL: 'error' } }),
    ]);
    Object.assign(services, { auth, files, realtime, realtimeRemote, standalone });
  });

  after(async () => {
    await Promise.allSettled(Object.values(services).map((s) => s.stop()));
    await Promise.allSettled([redis?.stop(), s3?.stop()]);
    await Promise.allSettled([dir, standaloneDir].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
  });

  void it(
    'every service is live and ready, checking its own dependencies, without auth and outside /api',
    TIMEOUT,
    async () => {
      for (const [name, service] of all()) {
        const live = await probe(service, '/healthz');
        assert.equal(live.status, 200, `${name} /healthz`);
        assert.deepEqual(live.body, { status: 'ok', info: {}, error: {}, details: {} });
        // The first S3 check loads its client: give it the retries an orchestrator gives.
        const ready = await readyzBecomes(service, 200, 5000);
        assert.equal(ready.body.status, 'ok');
        assert.deepEqual(Object.keys(ready.body.details).sort(), [...checks[name]].sort(), `${name} checks`);
        for (const check of checks[name]) {
          assert.equal(ready.body.details[check].status, 'up', `${name} ${check}`);
        }
      }
      const res = await new HttpClient(services.records.baseUrl).request('GET', '/readyz');
      assert.match(res.headers.get('cache-control') ?? '', /no-store/);
      assert.equal((await new HttpClient(services.records.baseUrl).request('GET', '/api/readyz')).status, 404);
    },
  );

  void it('the standalone server without Redis checks its database and storage only', TIMEOUT, async () => {
    assert.equal((await probe(services.standalone, '/healthz')).status, 200);
    const ready = await probe(services.standalone, '/readyz');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.deepEqual(Object.keys(ready.body.details).sort(), ['database', 'storage']);
  });

  void it(
    'Redis down: /readyz 503 with redis down everywhere, /healthz 200; back to 200 after a restart',
    TIMEOUT,
    async () => {
      const port = redis.port;
      await redis.stop();
      for (const [name, service] of all()) {
        const down = await readyzBecomes(service, 503);
        assert.equal(down.body.status, 'error', name);
        assert.equal(down.body.details.redis.status, 'down', `${name}: ${JSON.stringify(down.body)}`);
        assert.ok(down.body.error?.redis, `${name} lists redis under error`);
        assert.equal((await probe(service, '/healthz')).status, 200, `${name} stays live`);
      }
      redis = await RedisServer.start(10_000, port);
      for (const [name, service] of all()) {
        const up = await readyzBecomes(service, 200);
        assert.equal(up.body.details.redis.status, 'up', name);
      }
    },
  );

  void it(
    'S3 down: /readyz 503 with storage down where files are stored; back to 200 after a restart',
    TIMEOUT,
    async () => {
      await s3.suspend();
      try {
        for (const name of ['records', 'auth', 'files']) {
          const down = await readyzBecomes(services[name], 503);
          assert.equal(down.body.details.storage.status, 'down', `${name}: ${JSON.stringify(down.body)}`);
          assert.equal(down.body.details.database.status, 'up', name);
          assert.equal((await probe(services[name], '/healthz')).status, 200, `${name} stays live`);
        }
        assert.equal((await probe(services.realtime, '/readyz')).status, 200, 'realtime stores no files');
      } finally {
        await s3.resume();
      }
      for (const name of ['records', 'auth', 'files']) {
        assert.equal((await readyzBecomes(services[name], 200)).body.details.storage.status, 'up', name);
      }
    },
  );

  void it('records service down: the realtime process without a database is not ready', TIMEOUT, async () => {
    const stopped = await services.records.stop();
    assert.equal(stopped.signal, null, 'the records service stops on SIGTERM (after a Redis restart too)');
    const down = await readyzBecomes(services.realtimeRemote, 503);
    assert.equal(down.body.details.records.status, 'down', JSON.stringify(down.body));
    assert.equal(down.body.details.redis.status, 'up');
    assert.equal((await probe(services.realtimeRemote, '/healthz')).status, 200);
  });
});
