// On PostgreSQL a collection's index serves a list's filter and its sort together, as on SQLite: the table made
// through the real DDL (text columns in the "C" collation, index columns NULLS FIRST) and the query compiler's own
// filter and ORDER BY (`COLLATE "C" DESC NULLS LAST`) give an index scan that stops at the page, not a sort of
// every matching row. (Without the collation or the NULLS order the planner can't read the index in order.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Database, openPostgres, PostgresDatabase, type ColumnSpec } from '@lib/database';
import { postgresDialect, QueryCompiler, toPostgresPlaceholders } from '@lib/query';
import { postgresBinDir, PostgresServer } from '@lib/testing';
import type { CollectionModel, FieldModel } from '@lib/schema';

const text = (name: string): ColumnSpec => ({ name, type: 'text', notNull: true, default: "''" });
const field = (name: string, type: FieldModel['type'], extra: Partial<FieldModel> = {}): FieldModel => ({
  id: `f_${name}`,
  name,
  type,
  system: false,
  hidden: false,
  presentable: false,
  ...extra,
});
const todos = {
  id: 'col_todos',
  name: 'todos',
  type: 'base',
  system: false,
  fields: [
    field('id', 'text'),
    field('owner', 'relation', { collectionId: '_pb_users_auth_', maxSelect: 1 }),
    field('completed', 'bool'),
    field('created', 'autodate'),
  ],
  indexes: [],
} as unknown as CollectionModel;

void describe(
  'PostgreSQL: an index serves a list filter and sort',
  { skip: postgresBinDir() ? false : 'no PostgreSQL' },
  () => {
    let server: PostgresServer | undefined;
    let database: Database | undefined;

    before(async () => {
      server = await PostgresServer.start();
      database = new Database(
        new PostgresDatabase(await openPostgres({ url: server.url, poolMax: 2, statementTimeoutMs: 10_000 }), 10_000),
      );
      await database.schemaTransaction(async (tx) => {
        await tx.ddl.createTable(
          'todos',
          [
            { ...text('id'), primary: true },
            text('owner'),
            { name: 'completed', type: 'boolean', notNull: true, default: 'FALSE' },
            text('created'),
          ],
          [{ name: 'idx_todos_owner_created', columns: ['owner', 'created'], unique: false }],
        );
      });
      await database.run(
        `INSERT INTO "todos" ("id", "owner", "completed", "created")
       SELECT 'r' || i, 'u' || (i % 4), i % 2 = 0, to_char(timestamp '2026-01-01' + i * interval '1 second', 'YYYY-MM-DD HH24:MI:SS.MS"Z"')
       FROM generate_series(1, 20000) AS i`,
      );
      await database.run('ANALYZE "todos"');
    });

    after(async () => {
      await database?.close();
      await server?.stop();
    });

    void it('reads idx_todos_owner_created in order for owner = X, sort -created, a page of 30', async () => {
      const compiler = new QueryCompiler(postgresDialect);
      const options = {
        collection: todos,
        schema: {
          findCollection: (id: string) => (id === todos.id || id === todos.name ? todos : undefined),
          allCollections: () => [todos],
        },
        mode: 'filter' as const,
        isSuperuser: true,
        alias: 'r',
      };
      const where = compiler.compile('owner = "u1" && completed = false', options);
      const order = compiler.compileSort('-created', options);
      const sql = toPostgresPlaceholders(
        `SELECT "r".* FROM "todos" "r" WHERE ${where.sql} ORDER BY ${order.sql} LIMIT 30`,
      );
      const params = [...where.bind({} as never), ...order.bind({} as never)];
      const plan = (await database!.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params))
        .map((row) => row['QUERY PLAN'])
        .join('\n');
      assert.match(plan, /Index Scan Backward using idx_todos_owner_created/, plan);
      assert.doesNotMatch(plan, /Sort/, plan);
      const rows = await database!.query<{ created: string }>(sql, params);
      assert.equal(rows.length, 30);
      assert.deepEqual(
        rows.map((r) => r.created),
        [...rows.map((r) => r.created)].sort().reverse(),
      );
    });
  },
);
