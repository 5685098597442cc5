// Processes sharing one data directory see each other's schema changes at once, even a change made right after
// they start, before they served a request (issue 12). A standalone server A imports a file collection and an
// auth collection (one commit) and adds a record with a file, while a second standalone server B (both on Redis)
// and the split records, auth and files services on the same directory have only answered /readyz (no request
// guard, no look at the schema). Then at once: the file through the files service, a login on the new auth
// collection through the auth service, the records through B and through the records service, and the create
// event on an SSE client of B.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  DEFAULT_PASSWORD,
  file,
  HttpClient,
  ManagedProcess,
  OPEN_RULES,
  RecordJson,
  startNestbase,
  startSplitService,
  text,
  tokenFor,
  uniqueEmail,
} from '@lib/testing';

import { form } from './support/file-helpers';
import { RawSse, RealtimeMessage, waitUntil } from './support/realtime-helpers';
import { RedisServer } from './support/redis-server';

const SU = { email: 'sync-su@example.com', password: 'Sync-Superuser-Passw0rd' };
const TIMEOUT = { timeout: 180_000 };
/** A ceiling that only catches a process that never catches up; a fresh process answers at once. */
const EVENT_WAIT_MS = 20_000;
const CONTENT = Buffer.from('shared data dir, fresh schema\n');

let dir = '';
let redis: RedisServer | undefined;
const running: ManagedProcess[] = [];

interface Set5 {
  a: ManagedProcess;
  b: ManagedProcess;
  records: ManagedProcess;
  auth: ManagedProcess;
  files: ManagedProcess;
}
let set: Set5;

void describe('processes on one data directory see a schema change made right after they start', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-schema-sync-'));
    redis = await RedisServer.start();
    const env = { REDIS_URL: redis.url, PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password, NB_BCRYPT_COST: '4' };
    const a = await startNestbase(dir, [], { env });
    running.push(a);
    // Waited for on /readyz only: none of them has run a request guard (and so looked at the schema) yet.
    const quiet = { env, healthPath: '/readyz' };
    const started = await Promise.allSettled([
      startNestbase(dir, [], quiet),
      startSplitService('records', dir, [], quiet),
      startSplitService('auth', dir, [], quiet),
      startSplitService('files', dir, [], quiet),
    ]);
    running.push(...started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])));
    const failed = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    assert.deepEqual(failed, [], 'every process came up');
    const [b, records, auth, files] = started.map((s) => (s as PromiseFulfilledResult<ManagedProcess>).value);
    set = { a, b, records, auth, files };
  }, TIMEOUT);

  after(async () => {
    await Promise.allSettled(running.map((p) => p.stop()));
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  void it('files, auth, records and realtime in every other process see it at once', TIMEOUT, async () => {
    const { a, b, records, auth, files } = set;
    const http = new HttpClient(a.baseUrl);
    const su = await tokenFor(http, '_superusers', SU.email, SU.password);
    // The change, made through A as one import (one commit, one `collection.changed`): nothing after it
    // gives a process that missed it a second chance.
    const imported = await http.request('PUT', '/api/collections/import', {
      token: su,
      body: {
        collections: [
          { name: 'docs', type: 'base', ...OPEN_RULES, fields: [text('title'), file('attachment')] },
          { name: 'members', type: 'auth', ...OPEN_RULES, fields: [] },
        ],
      },
    });
    assert.equal(imported.status, 204, imported.text);
    const email = uniqueEmail('member');
    const member = await http.request('POST', '/api/collections/members/records', {
      token: su,
      body: { email, password: DEFAULT_PASSWORD, passwordConfirm: DEFAULT_PASSWORD },
    });
    assert.equal(member.status, 200, member.text);

    // B's first requests: an SSE client subscribed to the new collection.
    const sse = await RawSse.open(b.baseUrl);
    try {
      const subscribe = await new HttpClient(b.baseUrl).request('POST', '/api/realtime', {
        body: { clientId: sse.clientId, subscriptions: ['docs'] },
      });
      assert.equal(subscribe.status, 204, `subscribe on B: ${subscribe.text}`);

      const created = await http.request('POST', '/api/collections/docs/records', {
        body: form([
          ['title', 'first'],
          ['attachment', CONTENT, 'notes.txt', 'text/plain'],
        ]),
        token: su,
      });
      assert.equal(created.status, 200, created.text);
      const doc = created.json<RecordJson>();
      const stored = String(doc.attachment);

      const got = await new HttpClient(files.baseUrl).request('GET', `/api/files/docs/${doc.id}/${stored}`);
      assert.equal(got.status, 200, `file through the files service: ${got.text}`);
      assert.equal(got.text, CONTENT.toString());

      const login = await new HttpClient(auth.baseUrl).request('POST', '/api/collections/members/auth-with-password', {
        body: { identity: email, password: DEFAULT_PASSWORD },
      });
      assert.equal(login.status, 200, `login through the auth service: ${login.text}`);

      for (const [name, proc] of [
        ['B', b],
        ['the records service', records],
      ] as const) {
        const list = await new HttpClient(proc.baseUrl).request('GET', '/api/collections/docs/records');
        assert.equal(list.status, 200, `records through ${name}: ${list.text}`);
        assert.deepEqual(
          list.json<{ items: RecordJson[] }>().items.map((r) => r.id),
          [doc.id],
          `records through ${name}`,
        );
      }

      await waitUntil(() => sse.frames.length >= 2, 'the create event on the SSE client of B', EVENT_WAIT_MS);
      const event = sse.frames[1];
      assert.equal(event.event, 'docs');
      assert.equal((event.data as RealtimeMessage).action, 'create');
      assert.equal((event.data as RealtimeMessage).record.id, doc.id);
    } finally {
      sse.close();
    }
  });
});
