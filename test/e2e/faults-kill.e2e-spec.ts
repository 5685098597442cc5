// A standalone server SIGKILLed under a burst of concurrent record creates and file uploads, then started again
// on the same data directory: every acknowledged (2xx) write is there with its content (the uploaded file too),
// every other write got an error (an HTTP error or a dropped connection — never a 2xx that is then missing), no
// record points at a file that isn't stored, and SQLite's `PRAGMA integrity_check` is ok.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import Sqlite from 'better-sqlite3';

import { HttpClient, makeCollection, ManagedProcess, OPEN_RULES, startNestbase, text, tokenFor } from '@lib/testing';

import { burstThenKill } from './support/write-burst';

const SU = { PB_ADMIN_EMAIL: 'kill-su@example.com', PB_ADMIN_PASSWORD: 'Kill-Superuser-Passw0rd' };
const ENV = { ...SU, NB_BCRYPT_COST: '4' };

interface Written {
  id: string;
  n: string;
  /** The stored file name and the bytes sent, for an upload. */
  doc?: { name: string; content: string };
}

interface Stored {
  id: string;
  n: string;
  doc: string;
}

void describe('SIGKILL under a write burst (standalone)', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nb-kill-'));
  let server: ManagedProcess | undefined;
  let su = '';
  let collectionId = '';

  before(async () => {
    server = await startNestbase(dir, [], { env: ENV });
    const http = new HttpClient(server.baseUrl);
    su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    const body = makeCollection({
      name: 'burst',
      ...OPEN_RULES,
      fields: [text('n'), { name: 'doc', type: 'file', maxSelect: 1, maxSize: 1_000_000 }],
    });
    const made = await http.request('POST', '/api/collections', { token: su, body });
    assert.equal(made.status, 200, made.text);
    collectionId = made.json<{ id: string }>().id;
  });

  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  void it('keeps every acknowledged create and upload, and nothing points at a missing file', async (ctx) => {
    const http = new HttpClient(server!.baseUrl);
    const { acknowledged, failures } = await burstThenKill<Written>({
      writers: 6,
      acknowledgedBeforeKill: 80,
      ceilingMs: 30_000,
      kill: async () => void (await server!.stop('SIGKILL')),
      write: async (w, i) => {
        const n = `${w}-${i}`;
        const url = '/api/collections/burst/records';
        if (i % 2 === 0) {
          const res = await http.request('POST', url, { body: { n } });
          return res.status === 200
            ? { ok: true, value: { id: res.json<Stored>().id, n } }
            : { ok: false, status: res.status };
        }
        const content = `upload ${n} `.repeat(200);
        const form = new FormData();
        form.append('n', n);
        form.append('doc', new Blob([content], { type: 'text/plain' }), `f${n}.txt`);
        const res = await http.request('POST', url, { body: form });
        if (res.status !== 200) {
          return { ok: false, status: res.status };
        }
        const rec = res.json<Stored>();
        return { ok: true, value: { id: rec.id, n, doc: { name: rec.doc, content } } };
      },
    });
    ctx.diagnostic(`${acknowledged.length} writes acknowledged; failures ${JSON.stringify([...failures])}`);
    const failureKinds = [...failures.keys()];
    // before the kill nothing fails; after it the connection is dropped or refused (no HTTP answer at all)
    assert.ok(
      failureKinds.every((kind) => kind.startsWith('network')),
      `failed writes: ${JSON.stringify([...failures])}`,
    );
    assert.ok(acknowledged.some((a) => a.doc) && acknowledged.some((a) => !a.doc), 'both kinds acknowledged');

    server = await startNestbase(dir, [], { env: ENV });
    const after = new HttpClient(server.baseUrl);
    const stored = new Map<string, Stored>();
    for (let page = 1; ; page++) {
      const res = await after.request('GET', `/api/collections/burst/records?perPage=500&page=${page}&skipTotal=0`, {
        token: su,
      });
      assert.equal(res.status, 200, res.text);
      const list = res.json<{ items: Stored[]; totalPages: number }>();
      list.items.forEach((item) => stored.set(item.id, item));
      if (page >= list.totalPages) {
        break;
      }
    }
    const lost = acknowledged.filter((a) => stored.get(a.id)?.n !== a.n);
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged writes lost`);
    for (const upload of acknowledged.filter((a) => a.doc)) {
      assert.equal(stored.get(upload.id)?.doc, upload.doc!.name);
      const file = await after.request('GET', `/api/files/${collectionId}/${upload.id}/${upload.doc!.name}`);
      assert.equal(file.status, 200, `the acknowledged upload of ${upload.n}: ${file.status}`);
      assert.equal(file.text, upload.doc!.content);
    }
    // every stored record (acknowledged or committed just before the kill) has its file on disk
    const missing = [...stored.values()].filter(
      (r) => r.doc && !existsSync(join(dir, 'storage', collectionId, r.id, r.doc)),
    );
    assert.deepEqual(missing, [], 'records pointing at a missing file');

    await server.stop();
    server = undefined;
    const db = new Sqlite(join(dir, 'data.db'), { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
  });
});
