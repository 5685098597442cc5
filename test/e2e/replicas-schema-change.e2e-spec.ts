// Two servers on one database — two processes on one data directory, or in the `pg` tier (NB_TEST_POSTGRES_URL)
// two replicas on one fresh PostgreSQL database — and a table changed through one while the other has already
// run its statements on it: on PostgreSQL those are prepared per connection, and a prepared `SELECT *` or
// `RETURNING *` whose columns changed is refused by the database until it is prepared again. The other server
// reads, lists, creates and updates the records at once, with the new field, never a 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { HttpClient, type HttpMethod, makeCollection, TEST_CEILING_MS, text } from '@lib/testing';

import { startTwoServers, type TwoServers } from './support/two-servers';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { email: 'replicas-su@example.com', password: 'Replicas-Superuser-Passw0rd' };

void describe('a table changed through another server', () => {
  let servers: TwoServers;
  let a: HttpClient;
  let b: HttpClient;
  let su = '';

  before(async () => {
    servers = await startTwoServers('replicas', SU);
    ({ a, b, su } = servers);
  });

  after(async () => {
    await servers?.stop();
  });

  async function ok<T>(client: HttpClient, method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const res = await client.request(method, path, { token: su, body });
    assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
    return res.json<T>();
  }

  void it('the other server reads and writes the changed table at once', TIMEOUT, async () => {
    const made = await ok<{ id: string; fields: unknown[] }>(a, 'POST', '/api/collections', {
      ...makeCollection({ name: 'things', fields: [text('a')] }),
    });
    const records = '/api/collections/things/records';
    // b runs each statement a few times first (PostgreSQL plans a prepared statement generically after five runs).
    const first = await ok<{ id: string }>(b, 'POST', records, { a: 'first' });
    for (let i = 0; i < 6; i++) {
      await ok(b, 'GET', `${records}/${first.id}`);
      await ok(b, 'GET', `${records}?perPage=5`);
      await ok(b, 'PATCH', `${records}/${first.id}`, { a: `first ${i}` });
    }
    await ok(a, 'PATCH', `/api/collections/${made.id}`, { fields: [...made.fields, text('b')] });
    const viewed = await ok<{ a: string; b: string }>(b, 'GET', `${records}/${first.id}`);
    assert.equal(viewed.b, '', 'the new field, empty');
    const listed = await ok<{ items: { b: string }[] }>(b, 'GET', `${records}?perPage=5`);
    assert.deepEqual(
      listed.items.map((item) => item.b),
      [''],
    );
    const updated = await ok<{ a: string; b: string }>(b, 'PATCH', `${records}/${first.id}`, { a: 'again' });
    assert.equal(updated.a, 'again');
    const created = await ok<{ b: string }>(b, 'POST', records, { a: 'second', b: 'new field' });
    assert.equal(created.b, 'new field');
    // and a field dropped through a: b's statements lose a column
    await ok(a, 'PATCH', `/api/collections/${made.id}`, { fields: made.fields });
    const after = await ok<Record<string, unknown>>(b, 'GET', `${records}/${first.id}`);
    assert.equal('b' in after, false, 'the dropped field is gone');
    const patched = await ok<Record<string, unknown>>(b, 'PATCH', `${records}/${first.id}`, { a: 'last' });
    assert.equal(patched.a, 'last');
  });
  void it('the other server applies a batch.maxBodySize lowered through the first at once (413)', TIMEOUT, async () => {
    const batch = (client: HttpClient, size: number) =>
      client.request('POST', '/api/batch', {
        token: su,
        body: { requests: [{ method: 'POST', url: '/api/collections/things/records', body: { a: 'y'.repeat(size) } }] },
      });
    // b reads the settings first (batch off), so its copy is the old one when a changes them
    assert.equal((await batch(b, 10)).status, 403);
    await ok(a, 'PATCH', '/api/settings', { batch: { enabled: true, maxBodySize: 2000 } });
    const over = await batch(b, 5000);
    assert.equal(over.status, 413, over.text);
    assert.equal(over.json<{ status: number }>().status, 413, 'in the envelope');
    const under = await batch(b, 10);
    assert.equal(under.status, 200, under.text);
  });
});
