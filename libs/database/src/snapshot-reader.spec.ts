// PostgresCopySource on a real PostgreSQL: every relation's columns from one catalog read (dropped columns left
// out), the counts of many tables in a few statements (views included), and a table's rows in storage order both
// ways — one statement when the caller knows the count fits a page, a cursor a page at a time otherwise; every
// relation held from the open (a DROP waits until the copy ends), `hold` for newer ones, refused for one gone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Client } from 'pg';
import { postgresBinDir, PostgresServer } from '@lib/testing';

import { pg } from './postgres/pg-module';
import { PostgresCopySource } from './snapshot-reader';

const BIG = 2_500;

async function collect(pages: AsyncIterable<Record<string, unknown>[]>): Promise<Record<string, unknown>[][]> {
  const out: Record<string, unknown>[][] = [];
  for await (const page of pages) {
    out.push(page);
  }
  return out;
}

void describe('PostgresCopySource', { skip: postgresBinDir() ? false : 'no PostgreSQL' }, () => {
  let server: PostgresServer | undefined;
  let client: Client;
  let source: PostgresCopySource;

  before(async () => {
    server = await PostgresServer.start();
    client = new (pg().Client)({ connectionString: server.url });
    await client.connect();
    await client.query('CREATE TABLE "big" ("id" TEXT PRIMARY KEY, "n" INTEGER, "gone" TEXT, "last" TEXT)');
    await client.query('ALTER TABLE "big" DROP COLUMN "gone"');
    await client.query(
      `INSERT INTO "big" SELECT 'r' || lpad(i::text, 5, '0'), i, 'x' FROM generate_series(1, ${BIG}) i`,
    );
    await client.query('CREATE TABLE "small" ("id" TEXT PRIMARY KEY)');
    await client.query(`INSERT INTO "small" VALUES ('a'), ('b'), ('c')`);
    await client.query('CREATE TABLE "empty" ("id" TEXT PRIMARY KEY)');
    await client.query('CREATE VIEW "odd" AS SELECT "id" FROM "big" WHERE "n" % 2 = 1');
    // 250 more tables: the counts span two statements
    for (let i = 0; i < 250; i++) {
      await client.query(`CREATE TABLE "t${i}" ("id" TEXT)`);
      await client.query(`INSERT INTO "t${i}" SELECT generate_series(1, ${i % 7})::text`);
    }
    source = await PostgresCopySource.open(server.url);
  });

  after(async () => {
    await source?.close();
    await client?.end();
    await server?.stop();
  });

  void it('reads every relation’s columns in order, without dropped ones', async () => {
    assert.deepEqual(await source.columns('big'), ['id', 'n', 'last']);
    assert.deepEqual(await source.columns('odd'), ['id']);
    assert.deepEqual(await source.columns('t249'), ['id']);
    assert.deepEqual(await source.columns('nope'), []);
  });

  void it('counts tables and views, in the order asked, across statements', async () => {
    const names = ['odd', 'big', 'empty', ...Array.from({ length: 250 }, (_, i) => `t${i}`), 'small'];
    const expected = [BIG / 2, BIG, 0, ...Array.from({ length: 250 }, (_, i) => i % 7), 3];
    assert.deepEqual(await source.counts(names), expected);
    assert.deepEqual(await source.counts([]), []);
  });

  void it('gives the same rows with or without the count: one page when it fits, pages of 1,000 otherwise', async () => {
    const paged = await collect(source.rows('big', ['id', 'n']));
    assert.deepEqual(
      paged.map((p) => p.length),
      [1000, 1000, 500],
    );
    const all = paged.flat();
    assert.equal(new Set(all.map((r) => r.id)).size, BIG);
    // a count above a page still goes through the cursor
    assert.deepEqual((await collect(source.rows('big', ['id', 'n'], BIG))).flat(), all);
    const small = await collect(source.rows('small', ['id'], 3));
    assert.deepEqual(small, [[{ id: 'a' }, { id: 'b' }, { id: 'c' }]]);
    assert.deepEqual(small.flat(), (await collect(source.rows('small', ['id']))).flat());
    assert.deepEqual(await collect(source.rows('empty', ['id'], 0)), []);
  });

  void it('every relation is held from the open: DROP waits until the copy ends; hold takes newer ones', async () => {
    await client.query('CREATE TABLE "kept" ("id" TEXT)');
    const holding = await PostgresCopySource.open(server!.url);
    try {
      await client.query('CREATE TABLE "later" ("id" TEXT)');
      await holding.hold(['later']);
      await assert.rejects(holding.hold(['never_made']), { code: '42P01' });
    } catch (error) {
      await holding.close();
      throw error;
    }
    // (the failed hold ended the transaction: a fresh copy for the waits below)
    await holding.close();
    const copy = await PostgresCopySource.open(server!.url);
    try {
      await copy.hold(['later']);
      await client.query("SET lock_timeout = '300ms'");
      for (const drop of ['DROP TABLE "kept"', 'DROP VIEW "odd"', 'DROP TABLE "later"']) {
        await assert.rejects(client.query(drop), { code: '55P03' }, `${drop} waits for the copy`);
      }
    } finally {
      await copy.close();
      await client.query('RESET lock_timeout');
    }
    await client.query('DROP TABLE "kept"'); // free again once the copy ended
  });
});
