// `nestbase serve --automigrate`: collection changes made through the API are written to pb_migrations (one file
// per change, recorded as applied), and those files replayed with `migrate up` on a fresh data dir give the same
// schema. Without the flag nothing is written.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { bannerText, TEST_CEILING_MS } from '@lib/testing';
import {
  assertExit,
  cleanUp,
  migrateCli,
  migrationNames,
  project,
  schemaOf,
  serve,
  writeMigration,
} from './support/migrations';

const TIMEOUT = { timeout: TEST_CEILING_MS };

after(cleanUp);

void describe('--automigrate', () => {
  void it('writes a migration per API change; replayed elsewhere they give the same schema', TIMEOUT, async () => {
    const dev = project();
    const s = await serve(dev, ['--automigrate']);
    const posts = await s.su('POST', '/api/collections', {
      name: 'posts',
      type: 'base',
      fields: [{ name: 'title', type: 'text', required: true }],
    });
    assert.equal(posts.status, 200, posts.text);
    const drafts = await s.su('POST', '/api/collections', { name: 'drafts', type: 'base', fields: [] });
    assert.equal(drafts.status, 200, drafts.text);
    const postsJson = posts.json<{ id: string; fields: unknown[] }>();
    const updated = await s.su('PATCH', `/api/collections/${postsJson.id}`, {
      listRule: '',
      fields: [...postsJson.fields, { name: 'views', type: 'number' }],
      indexes: ['CREATE INDEX idx_posts_title ON posts (title)'],
    });
    assert.equal(updated.status, 200, updated.text);
    assert.equal((await s.su('DELETE', '/api/collections/drafts')).status, 204);
    const expected = await schemaOf(s);
    await s.proc.stop();

    const files = migrationNames(dev.migrations);
    assert.deepEqual(
      files.map((f) => f.replace(/^\d{10}_/, '')),
      ['created_posts.js', 'created_drafts.js', 'updated_posts.js', 'deleted_drafts.js'],
    );
    // They describe what already happened: recorded as applied, a restart runs none of them.
    const restarted = await serve(dev, ['--automigrate']);
    assert.doesNotMatch(bannerText(restarted.proc.stdout()), /Applied migration/);
    assert.deepEqual(await schemaOf(restarted), expected);
    await restarted.proc.stop();
    assert.deepEqual(migrationNames(dev.migrations), files, 'a restart writes nothing');

    const prod = project();
    for (const file of files) {
      writeMigration(prod.migrations, file, readFileSync(join(dev.migrations, file), 'utf8'));
    }
    const up = await migrateCli(prod, 'up');
    assertExit(up, 0, 'migrate up of the automigrate files');
    assert.ok(up.stdout.includes('Applied 4 migration(s).'), up.stdout);
    const replayed = await serve(prod);
    assert.deepEqual(await schemaOf(replayed), expected);
    await replayed.proc.stop();

    // And back: down reverts the last three (the delete, the update, the create of drafts).
    const down = await migrateCli(prod, 'down', '3');
    assertExit(down, 0, 'down 3');
    const reverted = await serve(prod, ['--migrationsDir', join(prod.root, 'none')]);
    const [schema] = await schemaOf(reverted).then((all) => all.filter((c) => c.name === 'posts'));
    assert.equal(schema.listRule, null);
    assert.deepEqual(
      (schema.fields as { name: string }[]).map((f) => f.name),
      ['id', 'title'],
    );
    await reverted.proc.stop();
  });

  void it('is off by default: API changes write no file', TIMEOUT, async () => {
    const p = project();
    const s = await serve(p);
    const res = await s.su('POST', '/api/collections', { name: 'quiet', type: 'base', fields: [] });
    assert.equal(res.status, 200, res.text);
    await s.proc.stop();
    assert.equal(existsSync(p.migrations), false);
  });
});
