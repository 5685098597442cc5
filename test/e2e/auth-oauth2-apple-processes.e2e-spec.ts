// Apple posts the user's name once, with the redirect; the code exchange may reach another process. With REDIS_URL
// the name is kept in Redis (SharedStore), so two processes on one data dir behave as one: the redirect posted to
// one, auth-with-oauth2 at the other, and the new record has the name.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { HttpClient, ManagedProcess, ScenarioContext, startNestbase, TEST_CEILING_MS, tokenFor } from '@lib/testing';

import { mock, people, REDIRECT_URL, useOAuth2Mock } from './support/oauth2-mock';
import { RedisServer } from './support/redis-server';

const SU = { email: 'apple-procs-su@example.com', password: 'Apple-Processes-Passw0rd' };
const TIMEOUT = { timeout: TEST_CEILING_MS };

useOAuth2Mock();

void describe("Apple's user name across processes (REDIS_URL)", () => {
  let dir = '';
  let redis: RedisServer | undefined;
  let a: ManagedProcess | undefined;
  let b: ManagedProcess | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-apple-procs-'));
    redis = await RedisServer.start();
    const env = { REDIS_URL: redis.url, PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password };
    a = await startNestbase(dir, [], { env });
    b = await startNestbase(dir, [], { env });
  }, TIMEOUT);

  after(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  void it(
    'the redirect at one process, the code exchange at the other: the record gets the name',
    TIMEOUT,
    async () => {
      const httpA = new HttpClient(a!.baseUrl);
      const t = new ScenarioContext(httpA, await tokenFor(httpA, '_superusers', SU.email, SU.password));
      const email = `apple_${t.suffix}@example.com`;
      const apple = mock().provider('apple', { userInfoURL: '', extra: { jwksURL: `${mock().url}/jwks` } });
      await people(t, { oauth2: { enabled: true, mappedFields: { id: 'extId', name: 'name' }, providers: [apple] } });
      const { code, codeVerifier } = await mock().authorizeShape({
        userinfo: {},
        idToken: { iss: 'https://appleid.apple.com', sub: `a.${t.suffix}`, email, email_verified: true },
      });
      const form = new URLSearchParams({
        state: 'no-such-client',
        code,
        user: JSON.stringify({ name: { firstName: 'Tim', lastName: 'Apple' }, email }),
      });
      await t.request('POST', '/api/oauth2-redirect', { body: form });
      const res = await new HttpClient(b!.baseUrl).request(
        'POST',
        `/api/collections/${t.col('people')}/auth-with-oauth2`,
        {
          body: { provider: 'apple', code, codeVerifier, redirectURL: REDIRECT_URL },
        },
      );
      assert.equal(res.status, 200, res.text);
      const out = res.json<{ record: { name: string; extId: string }; meta: { name: string } }>();
      assert.deepEqual([out.record.name, out.record.extId, out.meta.name], ['Tim Apple', `a.${t.suffix}`, 'Tim Apple']);
    },
  );
});
