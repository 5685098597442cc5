// The collections stamp is the schema-write counter on both databases (`SQLITE_SCHEMA_WRITES_SQL`,
// `POSTGRES_SCHEMA_WRITES_SQL`): every write of `_collections` by any connection moves it when that write commits,
// reads and rolled-back writes don't, opening the database again keeps it, and a counter made again (its table
// dropped) never repeats a value seen before.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Database, openDataSource, openPostgres, PostgresDatabase } from '@lib/database';
import { postgresBinDir, PostgresServer } from '@lib/testing';

async function counter(db: Database): Promise<bigint> {
  const [row] = await db.query<{ n: string }>('SELECT CAST("n" AS TEXT) AS "n" FROM "_schemaWrites" WHERE "id" = 1');
  return BigInt(row.n);
}

const INSERT = `INSERT INTO "_collections" ("id", "name", "type", "system", "data", "created", "updated")
  VALUES (?, ?, 'base', false, '{}', '', '')`;

interface Engine {
  name: string;
  skip: string | false;
  /** Where the databases live: a PostgreSQL server's URL or a data dir. */
  start(): Promise<string>;
  /** Opens the database at `where` as a process of its own would (its pool or connection, the start-up steps). */
  open(where: string): Promise<Database>;
  stop(): Promise<void>;
}

let postgres: PostgresServer | undefined;
let dataDir = '';
const ENGINES: Engine[] = [
  {
    name: 'SQLite',
    skip: false,
    start: async () => (dataDir = await mkdtemp(join(tmpdir(), 'nestbase-schema-writes-'))),
    open: async (dir) => new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 })),
    stop: () => rm(dataDir, { recursive: true, force: true }),
  },
  {
    name: 'PostgreSQL',
    skip: postgresBinDir() ? false : 'no PostgreSQL',
    start: async () => (postgres = await PostgresServer.start()).url,
    open: async (url) =>
      new Database(new PostgresDatabase(await openPostgres({ url, poolMax: 2, statementTimeoutMs: 10_000 }), 10_000)),
    stop: async () => postgres?.stop(),
  },
];

for (const engine of ENGINES) {
  describeCounter(engine);
}

function describeCounter(engine: Engine): void {
  void describe(`${engine.name} schema-write counter`, { skip: engine.skip }, () => {
    let where = '';
    let one: Database;
    let other: Database;
    const open = (): Promise<Database> => engine.open(where);

    before(async () => {
      where = await engine.start();
      [one, other] = [await open(), await open()];
    });

    after(async () => {
      await Promise.all([one?.close(), other?.close()]);
      await engine.stop();
    });

    void it("moves on another connection's insert, update and delete of _collections once committed", async () => {
      let seen = await counter(one);
      for (const sql of [
        [INSERT, ['stamp_a', 'stamp_a']],
        ['UPDATE "_collections" SET "updated" = ? WHERE "id" = ?', ['x', 'stamp_a']],
        ['DELETE FROM "_collections" WHERE "id" = ?', ['stamp_a']],
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
          await tx.run(INSERT, ['stamp_b', 'stamp_b']);
          const [row] = await tx.query<{ n: string }>(
            'SELECT CAST("n" AS TEXT) AS "n" FROM "_schemaWrites" WHERE "id" = 1',
          );
          assert.ok(BigInt(row.n) > seen, 'the writing transaction sees its own move');
          throw new Error('undo');
        }),
        /undo/,
      );
      assert.equal(await counter(one), seen);
    });

    void it('keeps its value when the database is opened again; made again, it starts above any earlier value', async () => {
      const seen = await counter(one);
      const again = await open();
      try {
        assert.equal(await counter(again), seen);
        await again.run('DROP TABLE "_schemaWrites"');
      } finally {
        await again.close();
      }
      const remade = await open();
      try {
        assert.ok((await counter(remade)) > seen, 'a new counter starts at the clock, above the old one');
        const before = await counter(remade);
        await other.run(INSERT, ['stamp_c', 'stamp_c']);
        assert.ok((await counter(remade)) > before, 'and its trigger works');
      } finally {
        await remade.close();
      }
    });
  });
}
