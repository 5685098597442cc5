// On S3 the upload journal's note of a write is an object of its own (one PUT). It is written before the write's
// transaction: a slow S3 must not hold SQLite's write lock, so other writers go on while a create or an update with
// a file waits for its note. S3 (s3rver) sits behind a proxy that holds the journal's PUTs until the test lets them through.
// A write whose transaction fails still ends the note written for it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { HttpClient, TEST_CEILING_MS, waitFor } from '@lib/testing';
import { isNotePut, startGatedDocs, withinCeiling, type GatedDocs } from './support/gated-docs';
import type { S3Gate } from './support/s3-gate';
import type { TestS3 } from './support/s3-server';

void describe('upload journal notes on S3 hold no write lock', { timeout: TEST_CEILING_MS }, () => {
  let docs: GatedDocs;
  let s3: TestS3;
  let gate: S3Gate;
  let http: HttpClient;
  let cid = '';
  const notes = () => docs.notes();
  const upload = (title: string) => {
    const form = new FormData();
    form.append('title', title);
    form.append('doc', new Blob([`${title} `.repeat(500)], { type: 'text/plain' }), `${title}.txt`);
    return http.request('POST', '/api/collections/docs/records', { body: form });
  };

  before(async () => {
    docs = await startGatedDocs('journal-lock');
    ({ s3, gate, http, cid } = docs);
  });

  after(async () => {
    await docs?.stop();
  });

  void it('a create without files completes while a create with a file waits for its note', async () => {
    gate.hold(isNotePut);
    const slow = upload('slow');
    try {
      await waitFor(() => gate.held() === 1, "the note of the create with a file to reach S3's proxy");
      const quick = await withinCeiling(
        http.request('POST', '/api/collections/docs/records', { body: { title: 'quick' } }),
      );
      assert.ok(quick, 'the create without files waited for the other write: its note was taken under the write lock');
      assert.equal(quick.status, 200, quick.text);
      assert.equal(gate.held(), 1, 'the note of the create with a file is still held');
    } finally {
      gate.release();
    }
    const done = await slow;
    assert.equal(done.status, 200, done.text);
    const record = done.json<{ id: string; doc: string }>();
    assert.deepEqual(s3.keys(`${cid}/${record.id}/`), [`${cid}/${record.id}/${record.doc}`]);
    await waitFor(() => notes().length === 0, 'the note of the finished create to be deleted');
  });

  void it('an update without files completes while an update with a file waits for its note', async () => {
    const [target, other] = [await upload('update-me'), await upload('update-other')];
    assert.equal(target.status, 200, target.text);
    assert.equal(other.status, 200, other.text);
    const before = target.json<{ id: string; doc: string }>();
    gate.hold(isNotePut);
    const form = new FormData();
    form.append('doc', new Blob(['replaced '.repeat(500)], { type: 'text/plain' }), 'replaced.txt');
    const slow = http.request('PATCH', `/api/collections/docs/records/${before.id}`, { body: form });
    try {
      await waitFor(() => gate.held() === 1, "the note of the update with a file to reach S3's proxy");
      const path = `/api/collections/docs/records/${other.json<{ id: string }>().id}`;
      const quick = await withinCeiling(http.request('PATCH', path, { body: { title: 'update-quick' } }));
      assert.ok(quick, 'the update without files waited for the other: its note was taken under the write lock');
      assert.equal(quick.status, 200, quick.text);
      assert.equal(gate.held(), 1, 'the note of the update with a file is still held');
    } finally {
      gate.release();
    }
    const done = await slow;
    assert.equal(done.status, 200, done.text);
    const after = done.json<{ doc: string }>();
    assert.notEqual(after.doc, before.doc);
    const kept = [`${cid}/${before.id}/${after.doc}`];
    await waitFor(() => s3.keys(`${cid}/${before.id}/`).join() === kept.join(), 'the replaced file to be removed');
    await waitFor(() => notes().length === 0, 'the note of the finished update to be deleted');
  });

  void it('a create whose transaction fails ends the note written before it', async () => {
    const first = await upload('twice');
    assert.equal(first.status, 200, first.text);
    const stored = s3.keys(`${cid}/`).length;
    const again = await upload('twice'); // the unique index refuses it inside the transaction, after the note
    assert.equal(again.status, 400, again.text);
    assert.deepEqual(Object.keys(again.json<{ data: object }>().data), ['title']);
    await waitFor(() => notes().length === 0, 'the note of the refused create to be deleted');
    assert.equal(s3.keys(`${cid}/`).length, stored, 'the refused create stored no file');
  });
});
