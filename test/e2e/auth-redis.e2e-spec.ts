// nestbase with REDIS_URL: mail goes through BullMQ on a real redis-server to a real SMTP server
// (and is retried when SMTP is down), and the failed-login counters are shared by two processes
// on the same data dir, so failures spread over both hit the limit together.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  freePort,
  HttpClient,
  ManagedProcess,
  ScenarioContext,
  startNestbase,
  TEST_CEILING_MS,
  tokenFor,
  uniqueEmail,
  WAIT_CEILING_MS,
} from '@lib/testing';

import { RedisServer } from './support/redis-server';
import { SmtpCatcher, tokenFromMail } from './support/smtp-catcher';

const SU = { email: 'redis-auth-su@example.com', password: 'Redis-Auth-Superuser-Passw0rd' };
const TIMEOUT = { timeout: TEST_CEILING_MS };

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = WAIT_CEILING_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

void describe('auth with REDIS_URL (BullMQ mail, shared rate limits)', () => {
  let dir = '';
  let redis: RedisServer | undefined;
  let smtp: SmtpCatcher | undefined;
  let a: ManagedProcess | undefined;
  let b: ManagedProcess | undefined;
  let t: ScenarioContext;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-auth-redis-'));
    redis = await RedisServer.start();
    smtp = await SmtpCatcher.start();
    const env = { REDIS_URL: redis.url, PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password };
    a = await startNestbase(dir, [], { env });
    b = await startNestbase(dir, [], { env });
    const http = new HttpClient(a.baseUrl);
    t = new ScenarioContext(http, await tokenFor(http, '_superusers', SU.email, SU.password));
  }, TIMEOUT);

  after(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await Promise.allSettled([smtp?.stop(), redis?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  void it('a verification mail goes through the BullMQ queue to the SMTP server', TIMEOUT, async () => {
    assert.ok(smtp && redis);
    await smtp.configure(t);
    const user = await t.makeUser();
    const before = Number((await redis.cli('GET', 'nestbase:mail.send:id')) || 0);
    const res = await t.request('POST', '/api/collections/users/request-verification', { body: { email: user.email } });
    assert.equal(res.status, 204, res.text);
    const mail = await smtp.waitForMail(user.email);
    assert.match(mail.subject, /Verify/);
    const confirm = await t.request('POST', '/api/collections/users/confirm-verification', {
      body: { token: tokenFromMail(mail) },
    });
    assert.equal(confirm.status, 204, confirm.text);
    assert.ok(Number(await redis.cli('GET', 'nestbase:mail.send:id')) > before, 'the job was added to Redis');
  });

  void it('a mail whose delivery fails is retried (SMTP down, then up)', TIMEOUT, async () => {
    assert.ok(smtp && redis);
    const deadPort = await freePort();
    await t.su.expectOk('PATCH', '/api/settings', { smtp: { enabled: true, host: '127.0.0.1', port: deadPort } });
    const user = await t.makeUser();
    const res = await t.request('POST', '/api/collections/users/request-password-reset', {
      body: { email: user.email },
    });
    assert.equal(res.status, 204, res.text);
    // The first attempt fails (nothing listens on deadPort) and the job waits for its back-off.
    await waitFor(
      async () => Number(await redis!.cli('ZCARD', 'nestbase:mail.send:delayed')) > 0,
      'a delayed retry of the mail job',
    );
    assert.equal(smtp.mailsTo(user.email).length, 0);
    await smtp.configure(t);
    const mail = await smtp.waitForMail(user.email, 1);
    assert.match(mail.subject, /Reset/);
  });

  void it('failed logins spread over two processes hit the identity limit together', TIMEOUT, async () => {
    assert.ok(a && b && redis);
    const user = await t.makeUser();
    const servers = [new HttpClient(a.baseUrl), new HttpClient(b.baseUrl)];
    const login = (i: number, password: string) =>
      servers[i % 2].request('POST', '/api/collections/users/auth-with-password', {
        body: { identity: user.email, password },
      });
    for (let i = 0; i < 10; i++) {
      const res = await login(i, `wrong-${i}`);
      assert.equal(res.status, 400, `attempt ${i + 1} on ${i % 2 ? 'B' : 'A'}: ${res.text}`);
    }
    for (const i of [0, 1]) {
      const res = await login(i, user.password);
      assert.equal(res.status, 429, `the right password on ${i ? 'B' : 'A'} is locked out too: ${res.text}`);
    }
    const other = await login(1, 'wrong');
    assert.equal(other.status, 429);
    const stranger = await servers[1].request('POST', '/api/collections/users/auth-with-password', {
      body: { identity: uniqueEmail('other'), password: 'wrong' },
    });
    assert.equal(stranger.status, 400, 'another identity from the same IP is not locked yet');
    const keys = await redis.cli('--scan', '--pattern', 'nestbase:ratelimit:*');
    assert.ok(keys.split('\n').filter(Boolean).length >= 2, `counters live in Redis: ${keys}`);
  });
});
