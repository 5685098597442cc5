// The `app` of migration files as PocketBase's migrations use it, checked over HTTP after `nestbase serve` applied
// them: collections and records saved without `await` (in call order), a lookup changed and saved before it was
// read, `await`ed reads, raw SQL with bound values, the settings, an import, a .ts migration.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { TEST_CEILING_MS, waitForBanner } from '@lib/testing';
import { cleanUp, project, serve, writeMigration } from './support/migrations';

const TIMEOUT = { timeout: TEST_CEILING_MS };

const SCHEMA = `migrate((app) => {
  const notes = new Collection({ name: 'notes', type: 'base', listRule: '', viewRule: '' });
  notes.fields.add(new TextField({ name: 'title', required: true }));
  notes.fields.add(new NumberField({ name: 'rank' }));
  app.save(notes);
  const first = new Record(notes);
  first.set('id', 'note00000000001');
  first.set('title', 'first');
  app.save(first);
  app.save(app.newRecord('notes', { id: 'note00000000002', title: 'second', rank: '2' }));

  const users = app.findCollectionByNameOrId('users');
  const user = new Record(users, { email: 'migrated@example.com', verified: true });
  user.setPassword('migrated-password-1');
  app.save(user);

  const settings = app.settings();
  settings.meta.appName = 'Migrated app';
  app.save(settings);
});
`;

const DATA = `migrate(async (app) => {
  // Changed and saved before it is read: the calls run in order.
  const first = app.findRecordById('notes', 'note00000000001');
  first.set('rank', 10);
  app.save(first);
  app.db().newQuery('UPDATE notes SET title = {:title} WHERE id = {:id}').bind({ title: 'raw sql', id: 'note00000000002' }).execute();
  const second = await app.findFirstRecordByFilter('notes', 'rank = {:rank}', { rank: 2 });
  second.set('rank', second.get('rank') + 1);
  await app.save(second);
  const user = await app.findAuthRecordByEmail('users', 'migrated@example.com');
  user.set('name', 'Migrated');
  app.save(user);
  // The collection changes later in the same migration; its records stay.
  const notes = app.findCollectionByNameOrId('notes');
  notes.fields.add(new BoolField({ name: 'done' }));
  app.save(notes);
  const late = new Record(notes, { title: 'after the change', done: true });
  app.save(late);
});
`;

const TYPED = `const tag: string = 'typed';
migrate((app: any) => {
  app.importCollections([{ name: 'tags', type: 'base', fields: [{ name: 'label', type: 'text' }] }], false);
  // looked up in the same file, after the import
  const tags = app.findCollectionByNameOrId('tags');
  tags.fields.add(new TextField({ name: 'note' }));
  app.save(tags);
  app.save(app.newRecord('tags', { label: tag, note: 'after the import' }));
});
`;

after(cleanUp);

void describe('the migration app', () => {
  void it('does what PocketBase migrations do with it', TIMEOUT, async () => {
    const p = project();
    writeMigration(p.migrations, '1700000001_schema.js', SCHEMA);
    writeMigration(p.migrations, '1700000002_data.js', DATA);
    writeMigration(p.migrations, '1700000003_typed.ts', TYPED);
    const s = await serve(p);
    await waitForBanner(s.proc, /Applied migration 1700000003_typed\.ts/);

    const notes = await s.su('GET', '/api/collections/notes/records?sort=title');
    assert.equal(notes.status, 200, notes.text);
    const byTitle = Object.fromEntries(
      notes.json<{ items: { title: string; rank: number; done: boolean }[] }>().items.map((n) => [n.title, n]),
    );
    assert.deepEqual(Object.keys(byTitle).sort(), ['after the change', 'first', 'raw sql']);
    assert.equal(byTitle.first.rank, 10);
    assert.equal(byTitle['raw sql'].rank, 3);
    assert.equal(byTitle['after the change'].done, true);

    const users = await s.su(
      'GET',
      `/api/collections/users/records?filter=${encodeURIComponent('email="migrated@example.com"')}`,
    );
    const [user] = users.json<{ items: { name: string; verified: boolean }[] }>().items;
    assert.deepEqual({ name: user.name, verified: user.verified }, { name: 'Migrated', verified: true });
    const login = await s.su('POST', '/api/collections/users/auth-with-password', {
      identity: 'migrated@example.com',
      password: 'migrated-password-1',
    });
    assert.equal(login.status, 200, login.text);

    const settings = await s.su('GET', '/api/settings');
    assert.equal(settings.json<{ meta: { appName: string } }>().meta.appName, 'Migrated app');
    const tags = await s.su('GET', '/api/collections/tags/records');
    assert.deepEqual(
      tags.json<{ items: { label: string; note: string }[] }>().items.map((t) => [t.label, t.note]),
      [['typed', 'after the import']],
    );
    await s.proc.stop();
  });
});
