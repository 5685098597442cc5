// PocketBase-style hook files in the split services (one --hooksDir): the records service runs the record, route,
// settings, collection, batch and backup hooks with synchronous $app reads on the shared SQLite file; the auth
// service runs the mail and sign-in hooks. A standalone server without hooks makes the schema.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
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
  startSplitService,
  TEST_CEILING_MS,
  text,
  tokenFor,
  waitFor,
} from '@lib/testing';
import { writeHooksDir } from './support/hooks-files';
import { JSVM_MORE, JSVM_POINTS, JSVM_RECORDS, JSVM_ROUTES } from './support/jsvm-files';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { PB_ADMIN_EMAIL: 'jsvm-split@example.com', PB_ADMIN_PASSWORD: 'Jsvm-Split-Passw0rd' };
type Method = 'GET' | 'POST' | 'PATCH';

const procs: ManagedProcess[] = [];
const work = mkdtempSync(join(tmpdir(), 'nb-jsvm-split-'));
const out = mkdtempSync(join(tmpdir(), 'nb-jsvm-split-out-'));
const hooks = writeHooksDir({
  'a-routes.pb.js': JSVM_ROUTES,
  'b-records.pb.js': JSVM_RECORDS,
  'c-points.pb.js': JSVM_POINTS,
  'd-more.pb.js': JSVM_MORE,
});
let standalone: HttpClient;
let records: HttpClient;
let auth: HttpClient;
let su = '';

const call = (client: HttpClient, method: Method, url: string, body?: unknown, token = su) =>
  client.request(method, url, { body, token });

async function notes(filter: string): Promise<string[]> {
  const url = `/api/collections/jsvm_log/records?perPage=500&filter=${encodeURIComponent(filter)}`;
  return (await call(standalone, 'GET', url)).json<{ items: { note: string }[] }>().items.map((i) => i.note);
}

void describe('PocketBase-style hook files in the split records and auth services', () => {
  before(async () => {
    const data = join(work, 'pb_data');
    procs.push(await startNestbase(data, [], { env: SU }));
    standalone = new HttpClient(procs[0].baseUrl);
    su = await tokenFor(standalone, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    for (const body of [
      { name: 'jsvm_log', ...LOCKED_RULES, fields: [text('note')] },
      { name: 'jsvm_notes', ...LOCKED_RULES, fields: [text('title')] },
      { name: 'jsvm_posts', ...OPEN_RULES, fields: [text('title'), text('status'), text('slug'), bool('locked')] },
    ]) {
      assert.equal((await call(standalone, 'POST', '/api/collections', body)).status, 200);
    }
    const env = { JSVM_OUT: out };
    procs.push(await startSplitService('records', data, ['--hooksDir', hooks], { env }));
    procs.push(await startSplitService('auth', data, ['--hooksDir', hooks], { env }));
    records = new HttpClient(procs[1].baseUrl);
    auth = new HttpClient(procs[2].baseUrl);
  });
  after(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    [work, out, hooks].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  void it('records service: request and model hooks, routes with sync finders and enrichRecord', TIMEOUT, async () => {
    const input = makeUserInput();
    const user = await call(standalone, 'POST', '/api/collections/users/records', input, '');
    assert.equal(user.status, 200, user.text);
    const token = await tokenFor(auth, 'users', String(input.email), DEFAULT_PASSWORD);
    // $apis.enrichRecord in the records service: the email for its owner, hidden from a guest
    const userUrl = `/api/jsvm/users/${user.json<{ id: string }>().id}`;
    assert.equal((await call(records, 'GET', userUrl, undefined, token)).json<{ email: string }>().email, input.email);
    assert.equal('email' in (await call(records, 'GET', userUrl, undefined, '')).json<object>(), false);
    const made = await call(records, 'POST', '/api/collections/jsvm_posts/records', { title: 'Split Post' }, token);
    assert.equal(made.status, 200, made.text);
    const post = made.json<{ id: string; status: string; slug: string }>();
    assert.deepEqual([post.status, post.slug], ['pending', 'split-post']);
    assert.deepEqual(await notes(`note = "created ${post.id}"`), [`created ${post.id}`]);
    const note = await call(records, 'POST', '/api/jsvm/notes', { title: 'split note' });
    assert.equal(note.status, 200, note.text);
    assert.deepEqual(note.json<{ title: string; matches: number }>(), {
      ...note.json<object>(),
      title: 'split note',
      matches: 1,
    });
  });

  void it('records service: settings, collection, batch and backup hooks', TIMEOUT, async () => {
    const saved = await call(records, 'PATCH', '/api/settings', { meta: { appName: 'Split app' } });
    assert.equal(saved.json<{ meta: { senderName: string } }>().meta.senderName, 'Sent for Split app');
    const c = await call(records, 'POST', '/api/collections', { name: 'jsvm_open_split', ...LOCKED_RULES, fields: [] });
    assert.equal(c.json<{ listRule: string }>().listRule, '');
    assert.deepEqual(await notes('note ~ "collection jsvm_open_split"'), [
      `collection jsvm_open_split ${c.json<{ id: string }>().id}`,
    ]);
    await call(records, 'PATCH', '/api/settings', { batch: { enabled: true, maxRequests: 10 } });
    const request = { method: 'POST', url: '/api/collections/jsvm_notes/records', body: { title: 'split batch' } };
    const batch = await call(records, 'POST', '/api/batch', { requests: [request] });
    assert.equal(batch.json<{ body: { title: string } }[]>()[0].body.title, '[batch] split batch');
    assert.equal((await call(records, 'POST', '/api/backups', { name: 'split.zip' })).status, 204);
    assert.deepEqual(await notes('note = "backup split.zip"'), ['backup split.zip']);
  });

  void it('auth service: the password reset mail hooks and the sign-in hook', TIMEOUT, async () => {
    const input = makeUserInput();
    const email = String(input.email);
    assert.equal((await call(standalone, 'POST', '/api/collections/users/records', input, '')).status, 200);
    const reset = await call(auth, 'POST', '/api/collections/users/request-password-reset', { email }, '');
    assert.equal(reset.status, 204);
    await waitFor(async () => (await notes(`note = "reset mail for ${email} to ${email}"`)).length === 1, 'mail hook');
    await waitFor(() => /dropped mail \\?"\[jsvm\] /.test(procs[2].stdout() + procs[2].stderr()), 'onMailerSend');
    await tokenFor(auth, 'users', email, DEFAULT_PASSWORD);
    assert.deepEqual(await notes(`note = "password sign-in of ${email}"`), [`password sign-in of ${email}`]);
  });
});
