// PocketBase-style hook files (no module.exports; top-level routerAdd / onRecord… / cronAdd, $app, synchronous code)
// run unchanged over HTTP, beside a Node-style module: custom routes with params and auth middlewares, sync finders,
// writes, runInTransaction, record request hooks that change or reject a write, model hooks, then the lifecycle,
// cron, mail and collection hooks (support/jsvm-files.ts holds the files).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  bool,
  DEFAULT_PASSWORD,
  HttpClient,
  LOCKED_RULES,
  makeUserInput,
  ManagedProcess,
  OPEN_RULES,
  startNestbase,
  TEST_CEILING_MS,
  text,
  tokenFor,
  waitFor,
} from '@lib/testing';
import { writeHooksDir } from './support/hooks-files';
import { JSVM_POINTS, JSVM_RECORDS, JSVM_ROUTES, NODE_STYLE } from './support/jsvm-files';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { PB_ADMIN_EMAIL: 'jsvm-su@example.com', PB_ADMIN_PASSWORD: 'Jsvm-Su-Passw0rd' };
type Obj = Record<string, unknown>;

let proc: ManagedProcess;
let http: HttpClient;
let su = '';
let upstream: Server;
const work = mkdtempSync(join(tmpdir(), 'nb-jsvm-'));
const out = mkdtempSync(join(tmpdir(), 'nb-jsvm-out-'));
const hooks = writeHooksDir({
  'a-routes.pb.js': JSVM_ROUTES,
  'b-records.pb.js': JSVM_RECORDS,
  'c-points.pb.js': JSVM_POINTS,
  'd-node.pb.js': NODE_STYLE,
});

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, token = '') {
  return http.request(method, url, { body, token, headers: { 'x-custom': 'custom value' } });
}

async function user(): Promise<{ id: string; email: string; token: string }> {
  const input = makeUserInput();
  const res = await call('POST', '/api/collections/users/records', input);
  assert.equal(res.status, 200, res.text);
  const email = String(input.email);
  return { id: res.json<{ id: string }>().id, email, token: await tokenFor(http, 'users', email, DEFAULT_PASSWORD) };
}

async function notes(filter: string): Promise<string[]> {
  const res = await call(
    'GET',
    `/api/collections/jsvm_log/records?perPage=500&filter=${encodeURIComponent(filter)}`,
    undefined,
    su,
  );
  return res.json<{ items: { note: string }[] }>().items.map((i) => i.note);
}

void describe('PocketBase-style hook files', () => {
  before(async () => {
    upstream = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, token: req.headers['x-token'] }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const JSVM_UPSTREAM = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const env = { ...SU, JSVM_OUT: out, JSVM_UPSTREAM };
    proc = await startNestbase(join(work, 'pb_data'), ['--hooksDir', hooks], { env });
    http = new HttpClient(proc.baseUrl);
    su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    const make = async (body: Obj) => assert.equal((await call('POST', '/api/collections', body, su)).status, 200);
    await make({ name: 'jsvm_log', ...LOCKED_RULES, fields: [text('note')] });
    await make({ name: 'jsvm_notes', ...LOCKED_RULES, fields: [text('title')] });
    const postFields = [text('title'), text('status'), text('slug'), bool('locked')];
    await make({ name: 'jsvm_posts', ...OPEN_RULES, fields: postFields });
  });
  after(async () => {
    proc?.kill();
    upstream?.close();
    [work, out, hooks].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  void it('routes: path params, requestInfo, auth middlewares, html / string / redirect answers', TIMEOUT, async () => {
    assert.deepEqual((await call('GET', '/api/jsvm/hello/world')).body, { message: 'Hello world' });
    assert.equal((await call('GET', '/api/jsvm/me')).status, 401);
    const alice = await user();
    const me = await call('GET', '/api/jsvm/me?tag=blue', undefined, alice.token);
    assert.deepEqual(me.body, { id: alice.id, email: alice.email, tag: 'blue', custom: 'custom value' });
    assert.equal((await call('GET', '/api/jsvm/admin', undefined, alice.token)).status, 401);
    const admin = await call('GET', '/api/jsvm/admin', undefined, su);
    assert.equal(admin.text, 'superusers only');
    const page = await call('GET', '/api/jsvm/page/News');
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.text, '<h1>News</h1><ul><li>one</li><li>&lt;two&gt;</li></ul>');
    const moved = await fetch(`${proc.baseUrl}/api/jsvm/old`, { redirect: 'manual' });
    assert.equal(moved.status, 307);
    assert.equal(moved.headers.get('location'), '/api/jsvm/hello/moved');
    const hash = await call('GET', '/api/jsvm/hash?text=abc');
    assert.equal(hash.text, createHmac('sha256', 'secret').update('abc').digest('hex'));
    assert.deepEqual((await call('GET', '/api/jsvm/node-style')).body, { nodeStyle: true });
  });

  void it('$http.send: an outside request, its status, JSON and headers', TIMEOUT, async () => {
    assert.deepEqual((await call('GET', '/api/jsvm/upstream')).body, {
      status: 200,
      json: { path: '/data', token: 'abc' },
      type: ['application/json'],
    });
  });

  void it('$app: a save then synchronous finders in the same handler see the record', TIMEOUT, async () => {
    const res = await call('POST', '/api/jsvm/notes', { title: 'first note' }, su);
    assert.equal(res.status, 200, res.text);
    const body = res.json<{ id: string; title: string; matches: number; total: number }>();
    assert.equal(body.title, 'first note');
    assert.equal(body.matches, 1);
    assert.ok(body.total >= 1);
    const stored = await call('GET', `/api/collections/jsvm_notes/records/${body.id}`, undefined, su);
    assert.equal(stored.json<{ title: string }>().title, 'first note');
  });

  void it('runInTransaction: reads see the uncommitted rows; a throw rolls both writes back', TIMEOUT, async () => {
    const ok = await call('POST', '/api/jsvm/pair', { first: 'tx-a', second: 'tx-b' }, su);
    assert.equal(ok.status, 200, ok.text);
    const list = async (filter: string) =>
      (
        await call('GET', `/api/collections/jsvm_notes/records?filter=${encodeURIComponent(filter)}`, undefined, su)
      ).json<{ items: { id: string; title: string }[] }>().items;
    const [a] = await list('title = "tx-a"');
    assert.ok(a);
    assert.deepEqual(
      (await list('title ~ "tx-b after"')).map((r) => r.title),
      [`tx-b after ${a.id}`],
    );
    const failed = await call('POST', '/api/jsvm/pair', { first: 'tx-c', second: 'tx-d', fail: true }, su);
    assert.equal(failed.status, 400);
    assert.deepEqual(failed.body, { rolledBack: true, message: 'rolled back on purpose' });
    assert.deepEqual(await list('title = "tx-c" || title ~ "tx-d"'), []);
  });

  void it('record request hooks change or reject the write; model hooks run around it', TIMEOUT, async () => {
    const bob = await user();
    const posts = '/api/collections/jsvm_posts/records';
    const made = await call('POST', posts, { title: 'Hello World!', status: 'published' }, bob.token);
    assert.equal(made.status, 200, made.text);
    const post = made.json<{ id: string; status: string; slug: string }>();
    assert.equal(post.status, 'pending');
    assert.equal(post.slug, 'hello-world-');
    assert.deepEqual(await notes(`note = "created ${post.id}"`), [`created ${post.id}`]);
    const bySu = await call('POST', posts, { title: 'By SU', status: 'published' }, su);
    assert.equal(bySu.json<{ status: string }>().status, 'published');
    const spam = await call('POST', posts, { title: 'buy spam now' }, bob.token);
    assert.equal(spam.status, 400);
    assert.equal(spam.json<{ message: string }>().message, 'Spam is not welcome here.');
    const renamed = await call('PATCH', `${posts}/${post.id}`, { title: 'Renamed' }, bob.token);
    assert.equal(renamed.status, 200, renamed.text);
    await waitFor(async () => (await notes(`note = "updated ${post.id} to Renamed"`)).length === 1, 'the after hook');
    await call('PATCH', `${posts}/${post.id}`, { locked: true }, su);
    const locked = await call('PATCH', `${posts}/${post.id}`, { title: 'Again' }, bob.token);
    assert.equal(locked.status, 403);
    assert.equal(locked.json<{ message: string }>().message, 'This post is locked.');
  });

  void it('onBootstrap ran after e.next() with $app usable', TIMEOUT, () => {
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'bootstrap.json'), 'utf8')), { superusers: 1, dev: false });
  });

  void it('cronAdd: the job runs (through POST /api/crons/{id}) and writes with $app', TIMEOUT, async () => {
    assert.equal((await call('POST', '/api/crons/jsvm_nightly', undefined, su)).status, 204);
    await waitFor(async () => (await notes('note ~ "cron ran with"')).length === 1, 'the cron');
  });

  void it(
    'mail hooks: onMailerRecordPasswordResetSend sees the record, onMailerSend changes the subject',
    TIMEOUT,
    async () => {
      const carol = await user();
      const res = await call('POST', '/api/collections/users/request-password-reset', { email: carol.email });
      assert.equal(res.status, 204);
      const note = `reset mail for ${carol.email} to ${carol.email}`;
      await waitFor(async () => (await notes(`note = "${note}"`)).length === 1, 'the record mail hook');
      await waitFor(() => /dropped mail \\?"\[jsvm\] /.test(proc.stdout() + proc.stderr()), 'the changed subject');
    },
  );

  void it(
    'collection hooks: a create request rejected or changed, after-success and delete with the collection',
    TIMEOUT,
    async () => {
      const refused = await call('POST', '/api/collections', { name: 'jsvm_forbidden_x', fields: [] }, su);
      assert.equal(refused.status, 400);
      assert.equal(refused.json<{ message: string }>().message, 'That name is reserved.');
      const made = await call('POST', '/api/collections', { name: 'jsvm_open_x', ...LOCKED_RULES, fields: [] }, su);
      assert.equal(made.status, 200, made.text);
      const c = made.json<{ id: string; listRule: string | null; viewRule: string | null }>();
      assert.equal(c.listRule, '');
      assert.equal(c.viewRule, null);
      assert.deepEqual(await notes('note ~ "collection jsvm_open_x"'), [`collection jsvm_open_x ${c.id}`]);
      assert.equal((await call('DELETE', `/api/collections/${c.id}`, undefined, su)).status, 204);
      assert.deepEqual(await notes('note ~ "deleted collection"'), ['deleted collection jsvm_open_x']);
    },
  );

  void it('onTerminate runs when the server stops', TIMEOUT, async () => {
    await proc.stop('SIGTERM');
    assert.ok(existsSync(join(out, 'terminate.json')));
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'terminate.json'), 'utf8')), { isRestart: false });
  });
});
