// S3 (s3rver) down while files come and go: an upload is a 503 in PocketBase's envelope and leaves no record,
// a record deleted meanwhile loses its files once S3 is back (the clean-up job retries), and after recovery
// the bucket holds exactly the files the records point at.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  HttpClient,
  makeCollection,
  ManagedProcess,
  OPEN_RULES,
  startNestbase,
  TEST_CEILING_MS,
  text,
  tokenFor,
  WAIT_CEILING_MS,
} from '@lib/testing';
import { startS3, type TestS3 } from './support/s3-server';

const SU = { PB_ADMIN_EMAIL: 's3-fault-su@example.com', PB_ADMIN_PASSWORD: 'S3-Fault-Superuser-Passw0rd' };

interface Doc {
  id: string;
  collectionId: string;
  doc: string;
}

void describe('S3 down during uploads', { timeout: TEST_CEILING_MS }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nb-s3-fault-'));
  let s3: TestS3;
  let server: ManagedProcess;
  let http: HttpClient;

  before(async () => {
    s3 = await startS3();
    server = await startNestbase(join(dir, 'pb_data'), [], { env: { ...SU, NB_BCRYPT_COST: '4' } });
    http = new HttpClient(server.baseUrl);
    const su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    assert.equal((await http.request('PATCH', '/api/settings', { token: su, body: { s3: s3.settings } })).status, 200);
    const docs = makeCollection({
      name: 'docs',
      ...OPEN_RULES,
      fields: [text('title'), { name: 'doc', type: 'file', maxSelect: 1 }],
    });
    assert.equal((await http.request('POST', '/api/collections', { token: su, body: docs })).status, 200);
  });

  after(async () => {
    await server?.stop();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (title: string) => {
    const form = new FormData();
    form.append('title', title);
    form.append('doc', new Blob([`${title} `.repeat(1000)], { type: 'text/plain' }), `${title}.txt`);
    return http.request('POST', '/api/collections/docs/records', { body: form });
  };
  const titles = async () =>
    (await http.request('GET', '/api/collections/docs/records?sort=title'))
      .json<{ items: { title: string }[] }>()
      .items.map((r) => r.title);

  void it('refuses uploads cleanly, and converges once S3 is back', async () => {
    const kept = await upload('kept');
    assert.equal(kept.status, 200, kept.text);
    const doomed = (await upload('doomed')).json<Doc>();
    assert.equal(s3.keys(`${doomed.collectionId}/`).length, 2);

    await s3.suspend();
    const refused = await upload('refused');
    assert.equal(refused.status, 503, refused.text);
    assert.deepEqual(refused.json(), {
      status: 503,
      message: 'The file storage is unavailable, please try again.',
      data: {},
    });
    assert.deepEqual(await titles(), ['doomed', 'kept'], 'no record for the refused upload');
    // a delete goes through; its files are removed once S3 answers again
    assert.equal((await http.request('DELETE', `/api/collections/docs/records/${doomed.id}`)).status, 204);
    assert.equal((await http.request('GET', '/api/health')).status, 200);

    await s3.resume();
    const later = await upload('later');
    assert.equal(later.status, 200, later.text);
    const deadline = Date.now() + WAIT_CEILING_MS;
    const stored = async () => {
      const items = (await http.request('GET', '/api/collections/docs/records')).json<{ items: Doc[] }>().items;
      return items.map((r) => `${r.collectionId}/${r.id}/${r.doc}`).sort();
    };
    while (JSON.stringify(s3.keys(`${doomed.collectionId}/`).sort()) !== JSON.stringify(await stored())) {
      assert.ok(
        Date.now() < deadline,
        `the bucket never matched the records:\n${s3.keys(`${doomed.collectionId}/`).join('\n')}\n${server.stderr()}`,
      );
      await new Promise((r) => setTimeout(r, 200));
    }
  });
});
