// Redis stopped and started again under two full servers on one data directory (REDIS_URL): the API stays
// up while it is gone, an SSE client held by the other process stays connected and gets events again once
// its process has resubscribed (Redis pub/sub keeps nothing: what is published before that may be lost, never
// doubled), and a mail queued while Redis was down goes out exactly once.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  HttpClient,
  ManagedProcess,
  OPEN_RULES,
  ScenarioContext,
  startNestbase,
  TEST_CEILING_MS,
  text,
  tokenFor,
} from '@lib/testing';

import { probeUntil, RawSse, RealtimeMessage, waitUntil } from './support/realtime-helpers';
import { RedisServer } from './support/redis-server';
import { SmtpCatcher } from './support/smtp-catcher';

const SU = { email: 'redis-fault-su@example.com', password: 'Redis-Fault-Superuser-Passw0rd' };

void describe('Redis stopped and restarted', { timeout: TEST_CEILING_MS }, () => {
  let dir = '';
  let redis: RedisServer | undefined;
  let smtp: SmtpCatcher | undefined;
  const servers: ManagedProcess[] = [];
  let t: ScenarioContext;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nb-redis-fault-'));
    redis = await RedisServer.start();
    smtp = await SmtpCatcher.start();
    const env = { REDIS_URL: redis.url, PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password, NB_BCRYPT_COST: '4' };
    servers.push(await startNestbase(dir, [], { env }), await startNestbase(dir, [], { env }));
    const http = new HttpClient(servers[0].baseUrl);
    t = new ScenarioContext(http, await tokenFor(http, '_superusers', SU.email, SU.password));
    await smtp.configure(t);
    await t.createCollection({ name: 'notes', ...OPEN_RULES, fields: [text('title')] });
  });

  after(async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
    await redis?.stop();
    await smtp?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  void it('keeps the API up, resumes realtime and sends a queued mail once', async () => {
    const [a, b] = servers;
    const sse = await RawSse.open(b.baseUrl);
    const titles = () => sse.frames.slice(1).map((f) => (f.data as RealtimeMessage).record.title as string);
    try {
      const topic = `${t.col('notes')}/*`;
      const posted = await new HttpClient(b.baseUrl).request('POST', '/api/realtime', {
        body: { clientId: sse.clientId, subscriptions: [topic] },
      });
      assert.equal(posted.status, 204, posted.text);
      await t.createRecord('notes', { title: 'before' });
      await waitUntil(() => titles().includes('before'), 'the event before the outage');

      const port = Number(new URL(redis!.url).port);
      await redis!.stop();
      // the API stays up: reads, writes, and a request that queues a mail
      const user = await t.makeUser();
      await t.createRecord('notes', { title: 'during' });
      const list = await new HttpClient(b.baseUrl).request('GET', `/api/collections/${t.col('notes')}/records`);
      assert.equal(list.status, 200, list.text);
      const mailRequest = await new HttpClient(a.baseUrl).request(
        'POST',
        '/api/collections/users/request-verification',
        { body: { email: user.email } },
      );
      assert.equal(mailRequest.status, 204, mailRequest.text);

      redis = await RedisServer.start(undefined, port);
      // the subscriber's process reconnects on its own schedule: probe until an event gets through
      let n = 0;
      await probeUntil(
        () => t.createRecord('notes', { title: `after ${++n}` }),
        () => titles().some((x) => x.startsWith('after ')),
        'the SSE client after the outage',
      );
      await waitUntil(
        () => smtp!.mails.some((m) => m.to.includes(user.email.toLowerCase())),
        'the verification mail queued during the outage',
      );
      // from now on nothing is lost: a last event arrives, and nothing came twice
      await t.createRecord('notes', { title: 'settled' });
      await waitUntil(() => titles().includes('settled'), 'a last event');
      assert.equal(smtp!.mails.filter((m) => m.to.includes(user.email.toLowerCase())).length, 1, 'one mail');
      assert.ok(titles().filter((x) => x === 'during').length <= 1, 'the event published during the outage, not twice');
      assert.equal(sse.closed, false, 'the SSE client stayed connected');
    } finally {
      sse.close();
    }
  });
});
