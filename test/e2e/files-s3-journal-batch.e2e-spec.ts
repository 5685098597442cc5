// A batch's upload journal notes are written before its transaction, all of them, as a single write's (see
// files-s3-journal-lock): on S3 a note is a PUT of its own and a slow S3 must not hold SQLite's write lock. S3
// (s3rver) sits behind a proxy that holds the journal's PUTs until the test lets them through. A batch that fails
// answers as it always did and ends the notes written for it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { file, HttpClient, makeCollection, TEST_CEILING_MS, waitFor } from '@lib/testing';
import { isNotePut, QUICK_CEILING_MS, startGatedDocs, withinCeiling, type GatedDocs } from './support/gated-docs';
import type { S3Gate } from './support/s3-gate';
import type { TestS3 } from './support/s3-server';

interface Item {
  method: string;
  url: string;
  body: Record<string, unknown>;
  /** A file for the item's `doc` field. */
  doc?: string;
}

void describe(
  'a batch writes its upload journal notes before its transaction (S3)',
  { timeout: TEST_CEILING_MS },
  () => {
    let docs: GatedDocs;
    let s3: TestS3;
    let gate: S3Gate;
    let http: HttpClient;
    let cid = '';
    const notes = () => docs.notes();
    const batch = (items: Item[]) => {
      const form = new FormData();
      form.append(
        '@jsonPayload',
        JSON.stringify({ requests: items.map(({ method, url, body }) => ({ method, url, body })) }),
      );
      items.forEach((item, i) => {
        if (item.doc) {
          form.append(`requests.${i}.doc`, new Blob([`${item.doc} `.repeat(500)], { type: 'text/plain' }), item.doc);
        }
      });
      return http.request('POST', '/api/batch', { body: form });
    };
    const create = (title: string, doc?: string): Item => ({
      method: 'POST',
      url: '/api/collections/docs/records',
      body: { title },
      doc,
    });

    before(async () => {
      docs = await startGatedDocs('journal-batch', { batch: { enabled: true, maxRequests: 10, timeout: 30 } });
      ({ s3, gate, http, cid } = docs);
      const locked = makeCollection({ name: 'locked', createRule: null, fields: [file('doc', { maxSelect: 1 })] });
      const madeLocked = await http.request('POST', '/api/collections', { token: docs.su, body: locked });
      assert.equal(madeLocked.status, 200, madeLocked.text);
    });

    after(async () => {
      await docs?.stop();
    });

    void it("every item's note is written before the transaction, which other writers don't wait for", async () => {
      const seeded = await batch([create('replace-me', 'old.txt')]);
      assert.equal(seeded.status, 200, seeded.text);
      const old = seeded.json<{ body: { id: string; doc: string } }[]>()[0].body;
      gate.hold(isNotePut);
      const slow = batch([
        create('batch-create', 'created.txt'),
        { method: 'PATCH', url: `/api/collections/docs/records/${old.id}`, body: {}, doc: 'replaced.txt' },
        { method: 'PUT', url: '/api/collections/docs/records', body: { title: 'batch-upsert' }, doc: 'upserted.txt' },
        create('batch-no-file'),
      ]);
      try {
        // Before the change the first item's note was written inside the transaction, the others' never reached S3.
        await waitFor(() => gate.held() === 3, "the three items' notes to reach S3's proxy", QUICK_CEILING_MS);
        const quick = await withinCeiling(
          http.request('POST', '/api/collections/docs/records', { body: { title: 'quick' } }),
        );
        assert.ok(quick, 'the create without files waited for the batch: its notes were taken under the write lock');
        assert.equal(quick.status, 200, quick.text);
        assert.equal(gate.held(), 3, "the batch's notes are still held");
      } finally {
        gate.release();
      }
      const done = await slow;
      assert.equal(done.status, 200, done.text);
      const [created, replaced, upserted, plain] = done.json<{ status: number; body: { id: string; doc: string } }[]>();
      assert.deepEqual([created.status, replaced.status, upserted.status, plain.status], [200, 200, 200, 200]);
      for (const { body } of [created, upserted]) {
        assert.deepEqual(s3.keys(`${cid}/${body.id}/`), [`${cid}/${body.id}/${body.doc}`]);
      }
      assert.equal(plain.body.doc, '');
      assert.notEqual(replaced.body.doc, old.doc);
      const kept = [`${cid}/${old.id}/${replaced.body.doc}`];
      await waitFor(() => s3.keys(`${cid}/${old.id}/`).join() === kept.join(), 'the replaced file to be removed');
      await waitFor(() => notes().length === 0, "the finished batch's notes to be deleted");
    });

    void it('a batch that fails answers as before and ends the notes written for it', async () => {
      const first = await batch([create('taken', 'taken.txt')]);
      assert.equal(first.status, 200, first.text);
      const stored = s3.keys(`${cid}/`).length;
      // The second item is refused by the unique index inside the transaction, after every item's note.
      const again = await batch([create('fresh', 'fresh.txt'), create('taken', 'again.txt')]);
      assert.equal(again.status, 400, again.text);
      const failed = again.json<{ message: string; data: { requests: Record<string, { response: unknown }> } }>();
      assert.equal(failed.message, 'Batch transaction failed.');
      assert.deepEqual(Object.keys(failed.data.requests), ['1']);
      assert.deepEqual(failed.data.requests['1'], {
        code: 'batch_request_failed',
        message: 'Batch request failed.',
        response: {
          status: 400,
          message: 'Failed to create record.',
          data: { title: { code: 'validation_not_unique', message: 'Value must be unique.' } },
        },
      });
      await waitFor(() => notes().length === 0, "the failed batch's notes to be deleted");
      assert.equal(s3.keys(`${cid}/`).length, stored, 'the failed batch stored no file');
    });

    void it("a batch refused at a locked collection's item answers as before and writes no note", async () => {
      gate.hold(isNotePut); // a note written for either item would wait here and the batch would not answer
      try {
        const refused = await batch([
          { method: 'POST', url: '/api/collections/locked/records', body: {}, doc: 'locked.txt' },
          create('after-locked', 'after.txt'),
        ]);
        assert.equal(refused.status, 400, refused.text);
        const body = refused.json<{ data: { requests: Record<string, { response: { status: number } }> } }>();
        assert.deepEqual(Object.keys(body.data.requests), ['0']);
        assert.equal(body.data.requests['0'].response.status, 403);
      } finally {
        gate.release();
      }
      await waitFor(() => notes().length === 0, 'no note left behind');
    });
  },
);
