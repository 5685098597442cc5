import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CollectionModel } from '@lib/schema';
import { typescript, withScope } from '../loader/module-runner';
import type { MigrationApp } from './migration-app';
import { loadMigration, MigrationError } from './migration-file';
import { Collection } from './migration-models';
import { migrationFiles, nextMigrationName, snakeCase } from './migration-names';
import { blankMigration, collectionChanges, snapshotMigration } from './migration-templates';

const dirs: string[] = [];
function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nestbase-migrations-spec-'));
  dirs.push(dir);
  Object.entries(files).forEach(([name, text]) => writeFileSync(join(dir, name), text));
  return dir;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const posts = (over: Partial<CollectionModel> = {}): CollectionModel => ({
  id: 'pbc_posts',
  name: 'posts',
  type: 'base',
  system: false,
  listRule: null,
  viewRule: null,
  createRule: null,
  updateRule: null,
  deleteRule: null,
  fields: [{ id: 'text1', name: 'title', type: 'text', system: false, hidden: false, presentable: false }],
  indexes: [],
  created: '2024-01-01 00:00:00.000Z',
  updated: '2024-01-01 00:00:00.000Z',
  ...over,
});

/** Runs a generated file's up or down against a recording app; returns what it asked for. */
function run(code: string, direction: 'up' | 'down', stored: CollectionModel[] = []): unknown[][] {
  const file = join(dirWith({ 'm.js': code }), 'm.js');
  const migration = loadMigration(file, null);
  const calls: unknown[][] = [];
  const app = {
    save: (c: Collection) => calls.push(['save', c.toJSON()]),
    delete: (c: Collection) => calls.push(['delete', c.id]),
    importCollections: (list: unknown[], deleteMissing: boolean) => calls.push(['import', list, deleteMissing]),
    findCollectionByNameOrId: (id: string) => new Collection(stored.find((c) => c.id === id)),
  };
  (direction === 'up' ? migration.up : migration.down!)(app as unknown as MigrationApp);
  return calls;
}

void describe('migration file names', () => {
  void it('snake-cases the name of `migrate create`', () => {
    assert.equal(snakeCase('Add posts'), 'add_posts');
    assert.equal(snakeCase('addPostsTable'), 'add_posts_table');
    assert.equal(snakeCase('  --x.y--  '), 'x_y');
    assert.equal(snakeCase('!!!'), '');
  });

  void it('names a new file <unix seconds>_<suffix>.js, after every existing file', () => {
    assert.equal(nextMigrationName([], 1700000000, 'created_posts'), '1700000000_created_posts.js');
    // Same second, a name that would sort first: the next second.
    assert.equal(
      nextMigrationName(['1700000000_updated_zeta.js'], 1700000000, 'created_alpha'),
      '1700000001_created_alpha.js',
    );
    // Same second, sorting after: kept.
    assert.equal(
      nextMigrationName(['1700000000_created_alpha.js'], 1700000000, 'deleted_x'),
      '1700000000_deleted_x.js',
    );
    // A file from the future (clock stepped back): after it.
    assert.equal(nextMigrationName(['1800000000_a.js', 'notes.js'], 1700000000, 'b'), '1800000000_b.js');
    assert.equal(nextMigrationName(['1800000000_z.js'], 1700000000, 'b'), '1800000001_b.js');
  });

  void it('lists *.js and *.ts files in name order, without .d.ts, hidden or other files', () => {
    const dir = dirWith({
      '2_b.ts': '',
      '1_a.js': '',
      '10_c.js': '',
      'types.d.ts': '',
      '.0_x.js': '',
      'README.md': '',
    });
    assert.deepEqual(migrationFiles(dir), ['10_c.js', '1_a.js', '2_b.ts']);
    assert.deepEqual(migrationFiles(join(dir, 'missing')), []);
  });
});

void describe('generated migrations', () => {
  void it('a blank migration loads and does nothing', () => {
    assert.deepEqual(run(blankMigration(), 'up'), []);
    assert.deepEqual(run(blankMigration(), 'down'), []);
  });

  void it('created: up saves the collection JSON (no timestamps, no secrets), down deletes it', () => {
    const users = posts({
      id: 'u1',
      name: 'members',
      type: 'auth',
      authToken: { duration: 60, secret: 'x'.repeat(40) },
    });
    const [created] = collectionChanges([], [users]);
    assert.equal(created.suffix, 'created_members');
    const [[op, json]] = run(created.code, 'up');
    assert.equal(op, 'save');
    const { created: _c, updated: _u, ...expected } = { ...users, authToken: { duration: 60 } };
    assert.deepEqual(json, expected);
    assert.deepEqual(run(created.code, 'down', [users]), [['delete', 'u1']]);
  });

  void it('updated: up applies the new definition, down the old one', () => {
    const before = posts();
    const changed = posts({ listRule: '', fields: [...before.fields, { ...before.fields[0], id: 'n', name: 'body' }] });
    const [update] = collectionChanges([before], [changed]);
    assert.equal(update.suffix, 'updated_posts');
    const [[, up]] = run(update.code, 'up', [before]) as [string, CollectionModel][];
    assert.equal(up.listRule, '');
    assert.deepEqual(
      up.fields.map((f) => f.name),
      ['title', 'body'],
    );
    const [[, down]] = run(update.code, 'down', [changed]) as [string, CollectionModel][];
    assert.equal(down.listRule, null);
    assert.deepEqual(
      down.fields.map((f) => f.name),
      ['title'],
    );
  });

  void it('deleted: up deletes, down creates again; unchanged collections give nothing', () => {
    const [deleted] = collectionChanges([posts()], []);
    assert.equal(deleted.suffix, 'deleted_posts');
    assert.deepEqual(run(deleted.code, 'up', [posts()]), [['delete', 'pbc_posts']]);
    assert.equal(run(deleted.code, 'down')[0][0], 'save');
    assert.deepEqual(collectionChanges([posts()], [posts({ updated: '2025-01-01 00:00:00.000Z' })]), []);
  });

  void it('orders creations (tables before views), then changes, then deletions (views first)', () => {
    const view = posts({ id: 'v', name: 'v', type: 'view' });
    const changes = collectionChanges(
      [
        posts({ id: 'a', name: 'a' }),
        posts({ id: 'gone', name: 'gone' }),
        posts({ id: 'gv', name: 'gv', type: 'view' }),
      ],
      [view, posts({ id: 'a', name: 'a', listRule: '' }), posts({ id: 'b', name: 'b' })],
    );
    assert.deepEqual(
      changes.map((c) => c.suffix),
      ['created_b', 'created_v', 'updated_a', 'deleted_gv', 'deleted_gone'],
    );
  });

  void it('a snapshot imports every collection given with deleteMissing', () => {
    const [[op, list, deleteMissing]] = run(snapshotMigration([posts()]), 'up') as [
      string,
      CollectionModel[],
      boolean,
    ][];
    assert.equal(op, 'import');
    assert.deepEqual(
      list.map((c) => c.name),
      ['posts'],
    );
    assert.equal(deleteMissing, true);
  });
});

void describe('loadMigration', () => {
  void it('reports a file that never calls migrate, or breaks, at its line', () => {
    const dir = dirWith({ 'none.js': '// nothing\n', 'syntax.js': 'migrate((app) => {\n  app.save(;\n});\n' });
    assert.throws(
      () => loadMigration(join(dir, 'none.js'), null),
      (e: Error) => e instanceof MigrationError && /none\.js:1: must call migrate/.test(e.message),
    );
    assert.throws(
      () => loadMigration(join(dir, 'syntax.js'), null),
      (e: Error) => /syntax\.js:2: SyntaxError/.test(e.message),
    );
  });

  void it('runs .ts migrations', { skip: typescript() === null }, () => {
    const dir = dirWith({ 'm.ts': 'const n: number = 1;\nmigrate((app: { n?: number }) => { app.n = n; });\n' });
    const app: { n?: number } = {};
    loadMigration(join(dir, 'm.ts'), typescript()).up(app as unknown as MigrationApp);
    assert.equal(app.n, 1);
  });

  void it('declares its globals on the first line, after a "use strict" directive and over a shebang', () => {
    assert.equal(withScope("'use strict';\nx", ['a']), "'use strict';const { a } = module.nbScope;\nx");
    assert.equal(withScope('#!/usr/bin/env node\nx', ['a']), 'const { a } = module.nbScope;//#!/usr/bin/env node\nx');
  });
});
