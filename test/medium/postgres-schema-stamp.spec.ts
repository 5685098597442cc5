// PostgreSQL's collections stamp is the schema-write counter (`POSTGRES_SCHEMA_WRITES_SQL`): every write of
// `_collections` by any connection moves it when that write commits, reads and rolled-back writes don't, opening
// the database again keeps it, and a counter made again (its table dropped) never repeats a value seen before.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Database, openPostgres, PostgresDatabase } from '@lib/database';
import { postgresBinDir, PostgresServer } from '@lib/testing';

const open = async (url: string): Promise<Database> =>
  new Database(new PostgresDatabase(await openPostgres({ url, poolMax: 2, statementTimeoutMs: 10_000 }), 10_000));

async function counter(db: Database): Promise<bigint> {
  const [row] = await db.query<{ n: string }>('SELECT "n"::text AS "n" FROM "_schemaWrites" WHERE "id" = 1');
  return BigInt(row.n);
}

const INSERT = `INSERT INTO "_collections" ("id", "name", "type", "system", "data", "created", "updated")
  VALUES ($1, $1, 'base', false, '{}', '', '')`;

void describe('PostgreSQL schema-write counter', { skip: postgresBinDir() ? false : 'no PostgreSQL' }, () => {
  let server: PostgresServer | undefined;
  let one: Database;
  let other: Database;

  before(async () => {
    server = await PostgresServer.start();
    [one, other] = [await open(server.url), await open(server.url)];
  });

  after(async () => {
    await Promise.all([one?.close(), other?.close()]);
    await server?.stop();
  });

  void it("moves on another connection's insert, update and delete of _collections once committed", async () => {
    let seen = await counter(one);
    for (const sql of [
      [INSERT, ['stamp_a']],
      ['UPDATE "_collections" SET "updated" = $1 WHERE "id" = $2', ['x', 'stamp_a']],
      ['DELETE FROM "_collections" WHERE "id" = $1', ['stamp_a']],
    ] as const) {
      await other.run(sql[0], [...sql[1]]);
      const now = await counter(one);
      assert.ok(now > seen, `${sql[0].slice(0, 6)} moved the counter`);
      seen = now;
    }
  });

  void it('does not move on reads, nor for a rolled-back write; a transaction sees its own write', async () => {
    const seen = await counter(one);
    await other.query('SELECT COUNT(*) FROM "_collections"');
    await assert.rejects(
      other.transaction(async (tx) => {
        await tx.run(INSERT, ['stamp_b']);
        const [row] = await tx.query<{ n: string }>('SELECT "n"::text AS "n" FROM "_schemaWrites" WHERE "id" = 1');
        assert.ok(BigInt(row.n) > seen, 'the writing transaction sees its own move');
        throw new Error('undo');
      }),
      /undo/,
    );
    assert.equal(await counter(one), seen);
  });

  void it('keeps its value when the database is opened again; made again, it starts above any earlier value', async () => {
    const seen = await counter(one);
    const again = await open(server!.url);
    try {
      assert.equal(await counter(again), seen);
      await again.run('DROP TABLE "_schemaWrites"');
    } finally {
      await again.close();
    }
    const remade = await open(server!.url);
    try {
      assert.ok((await counter(remade)) > seen, 'a new counter starts at the clock, above the old one');
      const before = await counter(remade);
      await other.run(INSERT, ['stamp_c']);
      assert.ok((await counter(remade)) > before, 'and its trigger works');
    } finally {
      await remade.close();
    }
  });
});
