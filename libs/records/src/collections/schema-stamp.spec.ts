import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Database, openDataSource } from '@lib/database';

import { readSchemaStamp } from './schema-stamp';

const INSERT = `INSERT INTO "_collections" ("id", "name", "type", "system", "data", "created", "updated")
  VALUES (?, ?, 'base', false, '{}', '', '')`;

void describe('readSchemaStamp on SQLite', () => {
  let dir = '';
  let db: Database;
  let other: Database;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-stamp-'));
    db = new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 }));
    other = new Database(await openDataSource({ dataDir: dir, busyTimeoutMs: 5000 }));
  });

  after(async () => {
    await Promise.all([db?.close(), other?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  void it("is the schema-write counter, moved by another connection's write", async () => {
    const first = (await readSchemaStamp(db)).collections;
    assert.match(first, /^w\d+$/);
    await other.run(INSERT, ['stamp_a', 'stamp_a']);
    assert.notEqual((await readSchemaStamp(db)).collections, first);
  });

  void it('falls back to the row count without the counter (a file restored from an older backup)', async () => {
    // what a data.db made before the counter has: neither the table nor its triggers
    for (const event of ['insert', 'update', 'delete']) {
      await other.run(`DROP TRIGGER "nb_schema_written_${event}"`);
    }
    await other.run('DROP TABLE "_schemaWrites"');
    const counted = (await readSchemaStamp(db)).collections;
    assert.match(counted, /^\d+:/);
    await other.run(INSERT, ['stamp_b', 'stamp_b']);
    assert.notEqual((await readSchemaStamp(db)).collections, counted);
  });
});
