// The hook points PocketBase has that nestbase fires since the PocketBase-style hook files came (standalone):
// settings list / update / reload, batch, backup create / restore, realtime subscriptions, file token and download,
// model hooks, sign-in by password — each with the data it was given (support/jsvm-files.ts holds the file).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  DEFAULT_PASSWORD,
  file,
  HttpClient,
  LOCKED_RULES,
  makeUserInput,
  ManagedProcess,
  OPEN_RULES,
  startNestbase,
  TEST_CEILING_MS,
  text,
  tokenFor,
} from '@lib/testing';
import { writeHooksDir } from './support/hooks-files';
import { JSVM_MORE } from './support/jsvm-files';
import { RawSse } from './support/realtime-helpers';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { PB_ADMIN_EMAIL: 'jsvm-points@example.com', PB_ADMIN_PASSWORD: 'Jsvm-Points-Passw0rd' };

let proc: ManagedProcess;
let http: HttpClient;
let su = '';
const work = mkdtempSync(join(tmpdir(), 'nb-jsvm-points-'));
const hooks = writeHooksDir({ 'more.pb.js': JSVM_MORE });

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (method: Method, url: string, body?: unknown, token = su) => http.request(method, url, { body, token });

async function notes(filter: string): Promise<string[]> {
  const res = await call('GET', `/api/collections/jsvm_log/records?perPage=500&filter=${encodeURIComponent(filter)}`);
  return res.json<{ items: { note: string }[] }>().items.map((i) => i.note);
}

void describe('hook points of PocketBase-style files', () => {
  before(async () => {
    proc = await startNestbase(join(work, 'pb_data'), ['--hooksDir', hooks], { env: SU });
    http = new HttpClient(proc.baseUrl);
    su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    for (const body of [
      { name: 'jsvm_log', ...LOCKED_RULES, fields: [text('note')] },
      { name: 'jsvm_notes', ...OPEN_RULES, fields: [text('title')] },
      { name: 'jsvm_models', ...OPEN_RULES, fields: [text('title'), text('seen')] },
      { name: 'jsvm_files', ...OPEN_RULES, fields: [file('doc', { maxSelect: 1 })] },
    ]) {
      const res = await call('POST', '/api/collections', body);
      assert.equal(res.status, 200, res.text);
    }
  });
  after(() => {
    proc?.kill();
    [work, hooks].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  void it(
    'settings: the list changed, an update refused or completed by the hook, then reloaded',
    TIMEOUT,
    async () => {
      const refused = await call('PATCH', '/api/settings', { meta: { appName: 'forbidden' } });
      assert.equal(refused.status, 400);
      assert.equal(refused.json<{ message: string }>().message, 'Not that name.');
      const saved = await call('PATCH', '/api/settings', { meta: { appName: 'JSVM app' } });
      assert.equal(saved.status, 200, saved.text);
      assert.equal(saved.json<{ meta: { senderName: string } }>().meta.senderName, 'Sent for JSVM app');
      const listed = await call('GET', '/api/settings');
      assert.deepEqual(listed.json<{ meta: { appName: string; senderName: string } }>().meta, {
        ...listed.json<{ meta: object }>().meta,
        appName: 'JSVM app (listed)',
        senderName: 'Sent for JSVM app',
      });
      assert.deepEqual(await notes('note ~ "settings reloaded"'), ['settings reloaded: JSVM app']);
    },
  );

  void it('batch: the requests changed before they run, too many refused', TIMEOUT, async () => {
    await call('PATCH', '/api/settings', { batch: { enabled: true, maxRequests: 10 } });
    const post = (title: string) => ({ method: 'POST', url: '/api/collections/jsvm_notes/records', body: { title } });
    const ok = await call('POST', '/api/batch', { requests: [post('one'), post('two')] });
    assert.equal(ok.status, 200, ok.text);
    const titles = ok.json<{ body: { title: string } }[]>().map((r) => r.body.title);
    assert.deepEqual(titles, ['[batch] one', '[batch] two']);
    const tooMany = await call('POST', '/api/batch', { requests: [post('a'), post('b'), post('c')] });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.json<{ message: string }>().message, 'Two requests per batch at most.');
  });

  void it('backups: onBackupCreate sees the name; onBackupRestore refuses', TIMEOUT, async () => {
    assert.equal((await call('POST', '/api/backups', { name: 'jsvm_backup.zip' })).status, 204);
    assert.deepEqual(await notes('note ~ "backup "'), ['backup jsvm_backup.zip']);
    const restore = await call('POST', '/api/backups/jsvm_backup.zip/restore');
    assert.equal(restore.status, 400);
    assert.equal(restore.json<{ message: string }>().message, 'Restores are switched off here (jsvm_backup.zip).');
  });

  void it('realtime: onRealtimeSubscribeRequest gets the client and changes the subscriptions', TIMEOUT, async () => {
    const sse = await RawSse.open(proc.baseUrl);
    try {
      const body = { clientId: sse.clientId, subscriptions: ['jsvm_notes', 'hidden_topic'] };
      assert.equal((await call('POST', '/api/realtime', body, '')).status, 204);
      assert.deepEqual(await notes('note ~ "subscribe "'), [`subscribe ${sse.clientId} jsvm_notes`]);
    } finally {
      sse.close();
    }
  });

  void it('files: the token request and the download, whose served name the hook changes', TIMEOUT, async () => {
    const input = makeUserInput();
    const made = await call('POST', '/api/collections/users/records', input, '');
    const userId = made.json<{ id: string }>().id;
    const token = await tokenFor(http, 'users', String(input.email), DEFAULT_PASSWORD);
    const asked = await http.request('POST', '/api/files/token', { token, headers: { 'x-custom': 'custom value' } });
    assert.equal(asked.status, 200);
    assert.deepEqual(await notes('note ~ "file token"'), [
      `file token for ${userId} (auth ${userId}, POST custom value)`,
    ]);
    const form = new FormData();
    form.append('doc', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
    const record = (await call('POST', '/api/collections/jsvm_files/records', form)).json<{
      id: string;
      doc: string;
    }>();
    const res = await call('GET', `/api/files/jsvm_files/${record.id}/${record.doc}?download=1`, undefined, '');
    assert.equal(res.status, 200);
    assert.equal(res.text, 'hello');
    assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`renamed-${record.doc}`));
    assert.deepEqual(await notes('note ~ "download "'), [`download jsvm_files/${record.id}/doc`]);
  });

  void it('onModelCreate runs for the record being created, as e.model', TIMEOUT, async () => {
    const res = await call('POST', '/api/collections/jsvm_models/records', { title: 'widget' }, '');
    assert.equal(res.json<{ seen: string }>().seen, 'model hook saw widget');
  });

  void it('onRecordAuthWithPasswordRequest runs for password sign-ins, with the record', TIMEOUT, async () => {
    const input = makeUserInput();
    assert.equal((await call('POST', '/api/collections/users/records', input, '')).status, 200);
    await tokenFor(http, 'users', String(input.email), DEFAULT_PASSWORD);
    assert.deepEqual(await notes(`note = "password sign-in of ${String(input.email)}"`), [
      `password sign-in of ${String(input.email)}`,
    ]);
  });
});
