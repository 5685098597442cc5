// The upload journal, on local storage and on S3 (s3rver): a record write killed between storing its files and the
// end of its transaction leaves a note and files no record references: on S3 a note file
// (`.upload-journal/<ms>-<random>.json`), on local storage a line of its process's log (`<ms>-<random>.log`) that
// has no end line (note files left by earlier versions are swept there too). The
// crash is simulated: notes and files are written into the storage as such a write leaves them. The sweep
// (`POST /api/_internal/upload-journal/sweep`, and at start) removes the noted files (and thumbs) the record's row
// doesn't reference, and leaves referenced files, notes younger than the grace and notes of unknown collections.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { FileStorage, JOURNAL_PREFIX, LocalFileStorage, S3FileStorage, type S3Options } from '@lib/storage';
import {
  file,
  HttpClient,
  makeCollection,
  ManagedProcess,
  OPEN_RULES,
  recordId,
  startNestbase,
  TEST_CEILING_MS,
  text,
  tokenFor,
  waitFor,
} from '@lib/testing';
import { startS3, type TestS3 } from './support/s3-server';

const SU = { PB_ADMIN_EMAIL: 'journal-su@example.com', PB_ADMIN_PASSWORD: 'Journal-Superuser-Passw0rd' };
const SECRET = 'upload-journal-test-secret';
const SWEEP = '/api/_internal/upload-journal/sweep';
const HOUR = 3_600_000;

const noteKey = (at: number) =>
  `${JOURNAL_PREFIX}${String(at).padStart(13, '0')}-${randomBytes(6).toString('hex')}.json`;
const note = (collectionId: string, recId: string, files: string[]) =>
  Buffer.from(JSON.stringify({ collectionId, recordId: recId, files }));
const logKey = (at: number) => `${JOURNAL_PREFIX}${String(at).padStart(13, '0')}-${randomBytes(6).toString('hex')}.log`;

function journalSuite(backend: 'local' | 's3'): void {
  void describe(`upload journal sweep (${backend} storage)`, { timeout: TEST_CEILING_MS }, () => {
    const dir = mkdtempSync(join(tmpdir(), `nb-journal-${backend}-`));
    const env = { ...SU, NB_BCRYPT_COST: '4', NB_INTERNAL_SECRET: SECRET };
    let s3: TestS3 | undefined;
    let server: ManagedProcess;
    let http: HttpClient;
    let su = '';
    let storage: FileStorage;
    let cid = '';

    const sweep = (body: unknown, secret = SECRET) =>
      http.request('POST', SWEEP, { body, headers: { 'x-nestbase-internal': secret } });
    const notes = async () =>
      (await storage.list(JOURNAL_PREFIX)).map((f) => f.key).filter((k) => !k.endsWith('/.keep'));
    // The note files (the server's own log of the last upload goes a second after it: not counted here)
    const noteFiles = async () => (await notes()).filter((k) => k.endsWith('.json'));
    const upload = async (title: string) => {
      const form = new FormData();
      form.append('title', title);
      form.append('doc', new Blob([`${title} `.repeat(500)], { type: 'text/plain' }), `${title}.txt`);
      const res = await http.request('POST', '/api/collections/docs/records', { body: form });
      assert.equal(res.status, 200, res.text);
      return res.json<{ id: string; doc: string }>();
    };

    before(async () => {
      server = await startNestbase(join(dir, 'pb_data'), [], { env });
      http = new HttpClient(server.baseUrl);
      su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
      if (backend === 's3') {
        s3 = await startS3();
        const res = await http.request('PATCH', '/api/settings', { token: su, body: { s3: s3.settings } });
        assert.equal(res.status, 200, res.text);
        storage = new S3FileStorage(s3.settings as unknown as S3Options);
      } else {
        storage = new LocalFileStorage(join(dir, 'pb_data', 'storage'));
      }
      const docs = makeCollection({
        name: 'docs',
        ...OPEN_RULES,
        fields: [text('title'), file('doc', { maxSelect: 1 })],
      });
      const made = await http.request('POST', '/api/collections', { token: su, body: docs });
      assert.equal(made.status, 200, made.text);
      cid = made.json<{ id: string }>().id;
    });

    after(async () => {
      await server?.stop();
      await s3?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    void it('a write that ends leaves no note behind', async () => {
      const kept = await upload('plain');
      assert.ok(await storage.exists(`${cid}/${kept.id}/${kept.doc}`));
      await waitFor(async () => (await notes()).length === 0, 'the notes of finished writes to be deleted');
      const form = new FormData();
      form.append('doc', new Blob(['next'], { type: 'text/plain' }), 'next.txt');
      const res = await http.request('PATCH', `/api/collections/docs/records/${kept.id}`, { body: form });
      assert.equal(res.status, 200, res.text);
      await waitFor(async () => (await notes()).length === 0, 'the note of a replacing update to be deleted');
      await waitFor(async () => !(await storage.exists(`${cid}/${kept.id}/${kept.doc}`)), 'the replaced file');
    });

    void it('removes what interrupted writes left, and nothing else', async () => {
      const kept = await upload('kept');
      const old = Date.now() - 2 * HOUR;
      // a create killed before its commit: its file and a thumb, no row
      const ghost = recordId();
      await storage.put(`${cid}/${ghost}/ghost_a1.txt`, Buffer.from('ghost'));
      await storage.put(`${cid}/${ghost}/thumbs_ghost_a1.txt/100x100_ghost_a1.txt`, Buffer.from('thumb'));
      await storage.putSmall(noteKey(old), note(cid, ghost, ['ghost_a1.txt']));
      // an update of `kept` killed before its commit: the row still references its file; the new upload goes
      await storage.put(`${cid}/${kept.id}/newer_b2.txt`, Buffer.from('newer'));
      await storage.putSmall(noteKey(old), note(cid, kept.id, [kept.doc, 'newer_b2.txt']));
      // a write still under way (younger than the grace)
      const busy = recordId();
      await storage.put(`${cid}/${busy}/busy_c3.txt`, Buffer.from('busy'));
      const busyNote = noteKey(Date.now());
      await storage.putSmall(busyNote, note(cid, busy, ['busy_c3.txt']));
      // a collection this server doesn't know
      const stranger = recordId();
      await storage.put(`zzzzzzzzzzzzzzz/${stranger}/lost_d4.txt`, Buffer.from('lost'));
      const strangerNote = noteKey(old);
      await storage.putSmall(strangerNote, note('zzzzzzzzzzzzzzz', stranger, ['lost_d4.txt']));
      // a note cut short while it was written
      await storage.putSmall(noteKey(old), Buffer.from('{"collectionId":"'));

      assert.equal((await sweep({}, 'wrong-secret-of-the-same-len')).status, 403);
      const bad = await sweep({ graceMs: -1 });
      assert.equal(bad.status, 400, bad.text);
      assert.deepEqual(Object.keys(bad.json<{ data: object }>().data), ['graceMs']);

      const res = await sweep({});
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json(), { due: 4, settled: 3, fresh: 1, left: 1, filesRemoved: 2 });
      assert.equal(await storage.exists(`${cid}/${ghost}/ghost_a1.txt`), false, 'the orphan of a killed create');
      assert.deepEqual(await storage.list(`${cid}/${ghost}/`), [], 'its thumb');
      assert.equal(await storage.exists(`${cid}/${kept.id}/newer_b2.txt`), false, 'the upload of a killed update');
      const served = await http.request('GET', `/api/files/docs/${kept.id}/${kept.doc}`);
      assert.equal(served.status, 200, 'the file the row references stays');
      assert.ok(await storage.exists(`${cid}/${busy}/busy_c3.txt`), 'a write under way keeps its file');
      assert.ok(await storage.exists(`zzzzzzzzzzzzzzz/${stranger}/lost_d4.txt`), 'an unknown collection: left');
      assert.deepEqual((await noteFiles()).sort(), [busyNote, strangerNote].sort());

      // grace 0: the young note is settled too; the unknown collection's stays for a later sweep
      const now = await sweep({ graceMs: 0 });
      assert.deepEqual(now.json(), { due: 2, settled: 1, fresh: 0, left: 1, filesRemoved: 1 });
      assert.equal(await storage.exists(`${cid}/${busy}/busy_c3.txt`), false);
      assert.deepEqual(await noteFiles(), [strangerNote]);
    });

    if (backend === 'local') {
      void it("a killed process's log: its notes without an end are settled, then the log goes", async () => {
        const kept = await upload('logged');
        const old = Date.now() - 2 * HOUR;
        const ghost = recordId();
        await storage.put(`${cid}/${ghost}/ghost_f6.txt`, Buffer.from('ghost'));
        await storage.put(`${cid}/${kept.id}/newer_g7.txt`, Buffer.from('newer'));
        const log = logKey(old);
        const line = (n: number, entry: Buffer) => `+${n} ${old} ${entry.toString()}\n`;
        const text = [
          line(1, note(cid, kept.id, [kept.doc])), // a write that ended: its end line follows
          '-1\n',
          line(2, note(cid, ghost, ['ghost_f6.txt'])), // a create killed before its commit
          line(3, note(cid, kept.id, [kept.doc, 'newer_g7.txt'])), // an update of `kept` killed before its commit
          `+4 ${old} {"collectionId":"`, // the line being written when the process was killed
        ].join('');
        await storage.put(log, Buffer.from(text));
        await waitFor(async () => (await notes()).length === 2, 'the server to delete its own log (idle)');

        const res = await sweep({});
        assert.equal(res.status, 200, res.text);
        // notes 2, 3, 4, and the unknown collection's note file of the test before (left again)
        assert.deepEqual(res.json(), { due: 4, settled: 3, fresh: 0, left: 1, filesRemoved: 2 });
        assert.equal(await storage.exists(`${cid}/${ghost}/ghost_f6.txt`), false, 'the orphan of a killed create');
        assert.equal(await storage.exists(`${cid}/${kept.id}/newer_g7.txt`), false, 'the upload of a killed update');
        assert.ok(await storage.exists(`${cid}/${kept.id}/${kept.doc}`), 'the file the row references stays');
        assert.ok((await notes()).includes(log), 'the log stays until a sweep finds every note in it ended');

        const again = await sweep({});
        assert.deepEqual(again.json(), { due: 1, settled: 0, fresh: 0, left: 1, filesRemoved: 0 });
        assert.equal((await notes()).includes(log), false, 'a log whose notes all ended, past taking notes, goes');
      });

      void it('sweeps at start with the configured grace', async () => {
        const ghost = recordId();
        await storage.put(`${cid}/${ghost}/early_e5.txt`, Buffer.from('early'));
        await storage.putSmall(noteKey(Date.now() - 60_000), note(cid, ghost, ['early_e5.txt']));
        await server.stop();
        server = await startNestbase(join(dir, 'pb_data'), [], {
          env: { ...env, NB_UPLOAD_JOURNAL_GRACE_MS: '30000' },
        });
        http = new HttpClient(server.baseUrl);
        // the sweep removes a note's files first, then the note: wait for both
        await waitFor(
          async () => !(await storage.exists(`${cid}/${ghost}/early_e5.txt`)) && (await noteFiles()).length === 1,
          'the start sweep to remove the file and its note',
        );
        assert.equal((await noteFiles()).length, 1, 'only the note of the unknown collection is left');
      });
    }
  });
}

journalSuite('local');
journalSuite('s3');
