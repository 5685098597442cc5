// List totals are reused while nothing is written (issues 16 and 19: SQLite's data_version, PostgreSQL's snapshot
// of the stamp read each request waits for), and never once something was: two servers on one database — two
// processes on one data directory, or in the `pg` tier two replicas on one PostgreSQL database. Server b lists;
// every write through a (create, update in and out of the filter, delete) and through b itself shows in b's next
// totals at once. A total served again costs no statement: b's traces (tracing on, a span per statement, sent to an
// in-process OTLP receiver) show no COUNT under the second list request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bool, HttpClient, type HttpMethod, makeCollection, TEST_CEILING_MS, text } from '@lib/testing';

import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
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
    // spans leave every 100 ms; every statement has a span of its own
    const tracing = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      NB_TRACE_MIN_MS: '0',
    };
    // PostgreSQL: a cluster of its own — the mark is pg_current_snapshot(), which every commit of the cluster moves,
    // and the pg tier's other files write to their databases on the runner's cluster meanwhile.
    servers = await startTwoServers('totals', SU, tracing, { ownCluster: true });
    ({ a, b, su } = servers);
    const made = await a.request('POST', '/api/collections', {
      token: su,
      body: makeCollection({ name: 'chores', fields: [text('title'), bool('done')] }),
    });
    assert.equal(made.status, 200, made.text);
    const quiet = await a.request('PATCH', '/api/settings', { token: su, body: { logs: { maxDays: 0 } } });
    assert.equal(quiet.status, 200, quiet.text);
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

  /** b's list of the open chores: its total and the COUNT statements its request ran (from b's trace). */
  async function listOnB(): Promise<{ total: number; counts: number }> {
    const id = `totals-${++requests}`;
    const res = await b.request('GET', OPEN, { token: su, headers: { 'X-Request-Id': id } });
    assert.equal(res.status, 200, res.text);
    let request: ReceivedSpan | undefined;
    await waitUntil(
      () => (request = receiver.spans.find((s) => s.attributes['nestbase.request_id'] === id)) !== undefined,
      `the span of request ${id}`,
    );
    // the request's span ends after its statements': theirs left in the same batch or an earlier one
    const counts = receiver
      .trace(request!.traceId)
      .filter((s) => String(s.attributes['db.query.text']).startsWith('SELECT COUNT(*)')).length;
    return { total: res.json<{ totalItems: number }>().totalItems, counts };
  }

  const totalOnB = async () => (await listOnB()).total;

  void it('a total served again runs no count', TIMEOUT, async () => {
    await ok(a, 'POST', RECORDS, { title: 'dishes', done: false });
    const first = await listOnB();
    assert.deepEqual(first, { total: 1, counts: 1 });
    // On PostgreSQL the mark is the database's snapshot, which any commit moves — a request-log flush too (the logs
    // share the database there): logging is off (logs.maxDays 0, set in `before`), and a few tries leave room for a
    // flush of entries queued before that, or another background write, landing between two lists.
    let again = await listOnB();
    for (let tries = 1; tries < 10 && again.counts > 0; tries++) {
      again = await listOnB();
    }
    assert.deepEqual(again, { total: 1, counts: 0 }, 'the total came from the cache: no COUNT statement');
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
