// settings.rateLimits in the split services: records, auth, files and realtime on one data directory share
// their counters through Redis, so a client's `/api/` budget is one budget whichever service it reaches; and a
// rule changed through the records service applies in the others without a restart.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { HttpClient, ManagedProcess, startSplitService, tokenFor } from '@lib/testing';

import { RedisServer } from './support/redis-server';

const SU = { email: 'limits-su@example.com', password: 'Limits-Superuser-Passw0rd' };
const TIMEOUT = { timeout: 300_000 };

void describe('rate limits across split services (Redis)', TIMEOUT, () => {
  let dir = '';
  let redis: RedisServer | undefined;
  const services: Record<string, ManagedProcess> = {};

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-limits-services-'));
    redis = await RedisServer.start();
    const env = { REDIS_URL: redis.url };
    services.records = await startSplitService('records', dir, [], {
      env: { ...env, PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password },
    });
    const [auth, files, realtime] = await Promise.all([
      startSplitService('auth', dir, [], { env }),
      startSplitService('files', dir, [], { env }),
      startSplitService('realtime', dir, [], { env }),
    ]);
    Object.assign(services, { auth, files, realtime });
  }, TIMEOUT);

  after(async () => {
    await Promise.allSettled(Object.values(services).map((p) => p.stop()));
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  void it('one /api/ budget per client over records, files, auth and realtime', TIMEOUT, async () => {
    const http = (name: string) => new HttpClient(services[name].baseUrl);
    const su = await tokenFor(http('auth'), '_superusers', SU.email, SU.password);
    const patch = await http('records').request('PATCH', '/api/settings', {
      token: su,
      body: { rateLimits: { enabled: true, rules: [{ label: '/api/', duration: 60, maxRequests: 2 }] } },
    });
    assert.equal(patch.status, 200, patch.text);
    assert.equal((await http('records').request('GET', '/api/health')).status, 200);
    assert.equal((await http('files').request('POST', '/api/files/token')).status, 401);
    const auth = await http('auth').request('POST', '/api/users', { body: {} });
    assert.equal(auth.status, 429, `the auth service shares the budget: ${auth.text}`);
    assert.deepEqual(auth.json(), { status: 429, message: 'Too Many Requests.', data: {} });
    const realtime = await http('realtime').request('POST', '/api/realtime', { body: { clientId: 'x' } });
    assert.equal(realtime.status, 429, `the realtime service shares the budget: ${realtime.text}`);
    assert.equal((await http('files').request('GET', '/api/health')).status, 429);
    const keys = await redis?.cli('--scan', '--pattern', 'nestbase:ratelimit:*');
    assert.ok((keys ?? '').trim() !== '', 'the counters live in Redis');
    const off = await http('records').request('PATCH', '/api/settings', {
      token: su,
      body: { rateLimits: { enabled: false } },
    });
    assert.equal(off.status, 200, 'superusers are never limited');
    assert.equal((await http('files').request('GET', '/api/health')).status, 200, 'switched off everywhere');
  });
});
