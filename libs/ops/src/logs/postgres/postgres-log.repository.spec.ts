// PostgresLogRepository on a real PostgreSQL: two stores on one database (two replicas) read each other's
// entries; a batch is one statement (a backlog of 20,000 too) and an id already stored lands once; U+0000, which
// PostgreSQL text and jsonb refuse, is stored as U+FFFD; filters and sorts compile in the PostgreSQL dialect (data.*
// as jsonb paths); stats per hour; the retention delete is idempotent; a backup has no logs database.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Database, openPostgres, PostgresDatabase } from '@lib/database';
import { postgresDialect, QueryCompiler } from '@lib/query';
import { postgresBinDir, PostgresServer } from '@lib/testing';

import type { LogEntry } from '../log-entry';
import { LogsQuery } from '../logs-query';
import { PostgresLogRepository } from './postgres-log.repository';

const entry = (id: string, created: string, extra: Partial<LogEntry> = {}): LogEntry => ({
  id,
  created,
  level: 0,
  message: `GET /api/${id}`,
  data: { type: 'request', status: 200 },
  ...extra,
});

const open = async (url: string) =>
  new Database(new PostgresDatabase(await openPostgres({ url, poolMax: 2, statementTimeoutMs: 10_000 }), 10_000));

void describe('PostgresLogRepository', { skip: postgresBinDir() ? false : 'no PostgreSQL' }, () => {
  let server: PostgresServer | undefined;
  let databases: Database[] = [];
  let a: PostgresLogRepository;
  let b: PostgresLogRepository;
  const query = new LogsQuery(new QueryCompiler(postgresDialect), 'postgres');

  before(async () => {
    server = await PostgresServer.start();
    databases = [await open(server.url), await open(server.url)];
    [a, b] = databases.map((db) => new PostgresLogRepository(db));
  });

  after(async () => {
    await Promise.all(databases.map((db) => db.close()));
    await server?.stop();
  });

  void it('creates the table at the first use of two stores at once, and each reads what the other wrote', async () => {
    await Promise.all([
      a.insertInBackground([entry('a1', '2026-12-03 10:00:00.000Z')]),
      b.insertInBackground([entry('b1', '2026-12-03 10:00:01.000Z')]),
    ]);
    assert.deepEqual(
      (await a.list(null, null, 10, 0)).map((e) => e.id),
      ['b1', 'a1'],
    );
    assert.equal((await b.findById('a1'))?.message, 'GET /api/a1');
    await a.deleteAll();
    assert.equal(await b.count(null), 0);
  });

  void it('writes a batch sent twice once, and a backlog of 20,000 in one call', async () => {
    const batch = [entry('d1', '2026-12-03 10:00:00.000Z'), entry('d2', '2026-12-03 10:00:00.000Z')];
    await a.insertInBackground(batch);
    await b.insertInBackground([...batch, entry('d3', '2026-12-03 10:00:00.000Z')]);
    assert.equal(await a.count(null), 3);
    const backlog = Array.from({ length: 20_000 }, (_, i) => entry(`n${i}`, '2026-12-03 11:00:00.000Z'));
    await a.insertInBackground(backlog);
    assert.equal(await b.count(null), 20_003);
    await a.deleteAll();
  });

  void it('stores U+0000 in the message, data keys and values as U+FFFD, and the text \\u0000 as given', async () => {
    await a.insertInBackground([
      entry('z1', '2026-12-03 10:00:00.000Z', {
        message: 'a\0b',
        data: { 'k\0': 'v\0w', nested: ['\0'], literal: '\\u0000', both: '\\\0' },
      }),
    ]);
    const stored = await b.findById('z1');
    assert.equal(stored?.message, 'a\uFFFDb');
    assert.deepEqual(stored?.data, { 'k\uFFFD': 'v\uFFFDw', nested: ['\uFFFD'], literal: '\\u0000', both: '\\\uFFFD' });
    await a.deleteAll();
  });

  void it('filters and sorts over the fields and data paths in the PostgreSQL dialect', async () => {
    await a.insertInBackground([
      entry('f1', '2026-12-03 10:00:00.000Z', { level: 8, data: { type: 'request', status: 404, url: '/x' } }),
      entry('f2', '2026-12-03 10:30:00.000Z', { level: 0, data: { type: 'request', status: 200, url: '/y' } }),
      entry('f3', '2026-12-03 11:00:00.000Z', { level: 8, data: { type: 'request', status: 500, url: '/x/z' } }),
      entry('f4', '2026-12-03 11:00:00.000Z', { level: 4, data: { type: 'app' } }),
    ]);
    const where = query.filter('level >= 4 && data.type = "request" && data.url ~ "/x"');
    const sorted = await b.list(where, query.sort('-data.status'), 10, 0);
    assert.deepEqual(
      sorted.map((e) => e.id),
      ['f3', 'f1'],
    );
    assert.equal(await b.count(where), 2);
    assert.deepEqual(
      (await b.list(null, query.sort('rowid'), 10, 0)).map((e) => e.id),
      ['f1', 'f2', 'f3', 'f4'],
    );
    assert.deepEqual(
      (await b.list(null, null, 2, 1)).map((e) => e.id),
      ['f3', 'f2'],
    );
    assert.deepEqual(await b.stats(query.filter('data.type = "request"')), [
      { total: 2, date: '2026-12-03 10:00:00.000Z' },
      { total: 1, date: '2026-12-03 11:00:00.000Z' },
    ]);
  });

  void it('deletes the entries older than a date once: a second replica running it removes nothing more', async () => {
    assert.equal(await a.deleteBefore('2026-12-03 11:00:00.000Z'), 2);
    assert.equal(await b.deleteBefore('2026-12-03 11:00:00.000Z'), 0);
    assert.deepEqual(
      (await a.list(null, query.sort('id'), 10, 0)).map((e) => e.id),
      ['f3', 'f4'],
    );
  });

  void it('leaves the logs out of a backup', async () => {
    assert.equal(a.inBackups, false);
    await assert.rejects(a.backupTo());
  });
});
