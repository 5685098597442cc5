// List totals are reused while nothing is written (issues 16 and 19: SQLite's data_version, PostgreSQL's snapshot
// of the stamp read each request waits for), and never once something was: two servers on one database — two
// processes on one data directory, or in the `pg` tier two replicas on one PostgreSQL database. Server b lists;
// every write through a (create, update in and out of the filter, delete) and through b itself shows in b's next
// totals at once. A total served again costs no statement: b's traces (tracing on, spans to an in-process OTLP
// receiver) show the list with totals running as many statements as the same list with skipTotal=1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bool, HttpClient, type HttpMethod, makeCollection, TEST_CEILING_MS, text } from '@lib/testing';

import { OtlpReceiver } from './support/otlp-receiver';
import { waitUntil } from './support/realtime-helpers';
import { startTwoServers, type TwoServers } from './support/two-servers';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { email: 'totals-su@example.com', password: 'Totals-Superuser-Passw0rd' };
const RECORDS = '/api/collections/chores/records';
const OPEN = `${RECORDS}?filter=${encodeURIComponent('done=false')}&perPage=2`;

void describe('list totals across two servers', () => {
  let servers: TwoServers;
  let receiver: OtlpReceiver;
  let a: HttpClient;
  let b: HttpClient;
  let su = '';
  let requests = 0;

  before(async () => {
    receiver = await OtlpReceiver.start();
    // spans leave every 100 ms; no read is slow enough for a span of its own (statements are tallied on the request's)
    const tracing = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      NB_TRACE_MIN_MS: '60000',
    };
    servers = await startTwoServers('totals', SU, tracing);
    ({ a, b, su } = servers);
    const made = await a.request('POST', '/api/collections', {
      token: su,
      body: makeCollection({ name: 'chores', fields: [text('title'), bool('done')] }),
    });
    assert.equal(made.status, 200, made.text);
  });

  after(async () => {
    await servers?.stop();
    await receiver?.stop();
  });

  async function ok<T>(client: HttpClient, method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const res = await client.request(method, path, { token: su, body });
    assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
    return res.json<T>();
  }

  /** b's list of the open chores: its total and the statements its request ran (from b's trace). */
  async function listOnB(path = OPEN): Promise<{ total: number; statements: number }> {
    const id = `totals-${++requests}`;
    const res = await b.request('GET', path, { token: su, headers: { 'X-Request-Id': id } });
    assert.equal(res.status, 200, res.text);
    let statements: unknown;
    await waitUntil(
      () =>
        (statements = receiver.spans.find((s) => s.attributes['nestbase.request_id'] === id)?.attributes[
          'nestbase.db.statements'
        ]) !== undefined,
      `the span of request ${id}`,
    );
    return { total: res.json<{ totalItems: number }>().totalItems, statements: Number(statements) };
  }

  const totalOnB = async () => (await listOnB()).total;

  void it('a total served again runs no count', TIMEOUT, async () => {
    await ok(a, 'POST', RECORDS, { title: 'dishes', done: false });
    await listOnB(); // counts, and b's token check and plans are warm from here on
    const skipped = await listOnB(`${OPEN}&skipTotal=1`);
    const again = await listOnB();
    assert.equal(again.total, 1);
    assert.equal(again.statements, skipped.statements, 'the total came from the cache: no COUNT statement');
  });

  void it('every write through the other server shows in the next total at once', TIMEOUT, async () => {
    const start = await totalOnB();
    const made = await ok<{ id: string }>(a, 'POST', RECORDS, { title: 'laundry', done: false });
    assert.equal(await totalOnB(), start + 1, 'after a create');
    assert.equal(await totalOnB(), start + 1, 'again, with nothing written');
    await ok(a, 'PATCH', `${RECORDS}/${made.id}`, { done: true });
    assert.equal(await totalOnB(), start, 'after an update out of the filter');
    await ok(a, 'PATCH', `${RECORDS}/${made.id}`, { done: false });
    assert.equal(await totalOnB(), start + 1, 'after an update into the filter');
    const deleted = await a.request('DELETE', `${RECORDS}/${made.id}`, { token: su });
    assert.equal(deleted.status, 204, deleted.text);
    assert.equal(await totalOnB(), start, 'after a delete');
  });

  void it("the server's own writes show in its next total at once", TIMEOUT, async () => {
    const start = await totalOnB();
    const made = await ok<{ id: string }>(b, 'POST', RECORDS, { title: 'plants', done: false });
    assert.equal(await totalOnB(), start + 1, 'after a create');
    await ok(b, 'PATCH', `${RECORDS}/${made.id}`, { done: true });
    assert.equal(await totalOnB(), start, 'after an update');
    const failed = await b.request('POST', RECORDS, { token: su, body: { id: made.id, title: 'twice', done: false } });
    assert.equal(failed.status, 400, failed.text);
    assert.equal(await totalOnB(), start, 'after a create refused by the database');
  });
});
