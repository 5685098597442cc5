// `nestbase import-pocketbase SRC --dir DIR` on PocketBase's own test data dir (test/fixtures/pocketbase-data):
// everything comes over, users sign in with their old passwords, and a bad import changes nothing.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';

import { HttpClient, repoRoot, runCli, startNestbase, tokenFor } from '@lib/testing';

const TIMEOUT = { timeout: 180_000 };
const FIXTURE = join(repoRoot(), 'test', 'fixtures', 'pocketbase-data');
const PASSWORD = '1234567890';
/** A superuser token from PocketBase's apis tests, signed with the fixture's token key and collection secret. */
const PB_SUPERUSER_TOKEN =
  'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6InN5d2JoZWNuaDQ2cmhtMCIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoicGJjXzMxNDI2MzU4MjMiLCJleHAiOjI1MjQ2MDQ0NjEsInJlZnJlc2hhYmxlIjp0cnVlfQ.UXgO3j-0BumcugrFjbd7j0M4MQvbrLggLlcu_YNGjoY';
const work = mkdtempSync(join(tmpdir(), 'nb-import-pb-'));

function fixtureDb(): Sqlite.Database {
  return new Sqlite(join(FIXTURE, 'data.db'), { readonly: true });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.attrs'))
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

void describe('nestbase import-pocketbase', () => {
  after(() => rmSync(work, { recursive: true, force: true }));

  void it('brings every collection, record, file and setting over; users sign in as before', TIMEOUT, async () => {
    const dir = join(work, 'full');
    const run = await runCli(['import-pocketbase', FIXTURE, '--dir', dir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ {2}demo1 +base +3 record\(s\)$/m);
    assert.match(run.stdout, /^ {2}_superusers +auth +4 record\(s\)$/m);
    assert.match(run.stdout, /files: 27 /);
    assert.match(run.stdout, /auxiliary\.db: PocketBase request and app logs, not imported/);
    assert.match(run.stderr, /demo1: 3\/3/);

    const source = fixtureDb();
    const collections = source.prepare('SELECT id, name, type, created FROM _collections').all() as {
      id: string;
      name: string;
      type: string;
      created: string;
    }[];
    const proc = await startNestbase(dir);
    try {
      const http = new HttpClient(proc.baseUrl);
      // PocketBase's token still works (token key and collection secret came over); a sign-in would add an
      // _authOrigins row before the comparison.
      const token = PB_SUPERUSER_TOKEN;
      const listed = await http.request('GET', '/api/collections?perPage=500', { token });
      const byName = new Map(
        listed.json<{ items: { id: string; name: string; created: string }[] }>().items.map((c) => [c.name, c]),
      );
      for (const c of collections) {
        assert.equal(byName.get(c.name)?.id, c.id, c.name);
        assert.equal(byName.get(c.name)?.created, c.created, c.name);
        const ids = source.prepare(`SELECT id FROM "${c.name}"`).all() as { id: unknown }[];
        const res = await http.request('GET', `/api/collections/${c.name}/records?perPage=500&fields=id`, { token });
        assert.equal(res.status, 200, `${c.name}: ${res.text}`);
        const got = res.json<{ items: { id: string }[] }>().items.map((r) => r.id);
        assert.deepEqual(got.sort(), ids.map((r) => String(r.id)).sort(), c.name);
      }
      const user = await http.request('GET', '/api/collections/users/records/4q1xlclmfloku33', { token });
      assert.deepEqual(
        [user.json<{ created: string }>().created, user.json<{ updated: string }>().updated],
        ['2022-10-10 10:36:26.879Z', '2022-10-12 11:46:10.490Z'],
      );

      const fileToken = (await http.request('POST', '/api/files/token', { token })).json<{ token: string }>().token;
      const stored = filesUnder(join(FIXTURE, 'storage')).filter((f) => !f.split(sep)[2].startsWith('thumbs_'));
      assert.equal(stored.length, 15);
      for (const file of stored) {
        const res = await fetch(`${proc.baseUrl}/api/files/${file.split(sep).join('/')}?token=${fileToken}`);
        assert.equal(res.status, 200, file);
        assert.ok(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(FIXTURE, 'storage', file))), file);
      }
      assert.deepEqual(filesUnder(join(dir, 'storage')).sort(), filesUnder(join(FIXTURE, 'storage')).sort());

      const clients = await http.request('POST', '/api/collections/clients/auth-with-password', {
        body: { identity: 'test@example.com', password: PASSWORD },
      });
      assert.equal(clients.status, 200, clients.text);
      assert.ok(!clients.text.includes('"tokenKey"') && !clients.text.includes('"password"'));
      // users have MFA on in the fixture: the password is the first factor, as on PocketBase.
      const users = await http.request('POST', '/api/collections/users/auth-with-password', {
        body: { identity: 'test@example.com', password: PASSWORD },
      });
      assert.equal(users.status, 401, users.text);
      assert.match(users.text, /"mfaId":"\w+"/);
      const wrong = await http.request('POST', '/api/collections/clients/auth-with-password', {
        body: { identity: 'test@example.com', password: 'not-the-password' },
      });
      assert.equal(wrong.status, 400);

      const superuser = await tokenFor(http, '_superusers', 'test@example.com', PASSWORD);
      assert.equal((await http.request('GET', '/api/collections/demo1/records', { token: superuser })).status, 200);
      const settings = await http.request('GET', '/api/settings', { token });
      assert.equal(settings.json<{ meta: { appName: string } }>().meta.appName, 'acme_test');
    } finally {
      await proc.stop();
      source.close();
    }
  });

  void it('refuses a non-empty target unless --replace, and a failed import leaves it as it was', TIMEOUT, async () => {
    const dir = join(work, 'taken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'marker.txt'), 'before');
    const refused = await runCli(['import-pocketbase', FIXTURE, '--dir', dir]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /not empty .*--replace/);

    // A rule nestbase can't compile: the import stops in the middle, after the target was staged beside it.
    const broken = join(work, 'broken');
    cpSync(FIXTURE, broken, { recursive: true });
    const db = new Sqlite(join(broken, 'data.db'));
    db.prepare("UPDATE _collections SET listRule = 'title = (((' WHERE name = 'demo2'").run();
    db.close();
    const failed = await runCli(['import-pocketbase', broken, '--dir', dir, '--replace']);
    assert.equal(failed.code, 1, failed.stdout);
    assert.match(failed.stderr, /collections \(complete\).*listRule/);
    assert.deepEqual(readdirSync(dir), ['marker.txt']);
    assert.deepEqual(
      readdirSync(work).filter((n) => n.startsWith('.')),
      [],
    );

    const replaced = await runCli(['import-pocketbase', FIXTURE, '--dir', dir, '--replace']);
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.ok(!existsSync(join(dir, 'marker.txt')) && existsSync(join(dir, 'data.db')));
  });

  void it('reads a snapshot of a PocketBase that is writing, and keeps only live MFA rows', TIMEOUT, async () => {
    const live = join(work, 'live');
    cpSync(FIXTURE, live, { recursive: true });
    const db = new Sqlite(join(live, 'data.db'));
    db.pragma('journal_mode = WAL');
    const mfa = db.prepare(
      'INSERT INTO _mfas (id, collectionRef, recordRef, method, created, updated) VALUES (?, ?, ?, ?, ?, ?)',
    );
    mfa.run('expiredmfa00001', '_pb_users_auth_', '4q1xlclmfloku33', 'password', '2022-01-01 00:00:00.000Z', '');
    const now = new Date().toISOString().replace('T', ' ');
    mfa.run('livemfa00000001', '_pb_users_auth_', '4q1xlclmfloku33', 'password', now, now);
    // A write in progress (not committed) while the import reads: the snapshot has the data as of before it.
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO demo2 (id, title, created, updated) VALUES ('uncommitted0001', 'x', '', '')").run();
    const dir = join(work, 'from-live');
    const run = await runCli(['import-pocketbase', live, '--dir', dir]);
    db.exec('ROLLBACK');
    db.close();
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ {2}demo2 +base +3 record\(s\)$/m);
    assert.match(run.stdout, /^ {2}_mfas +base +1 record\(s\)$/m);
    assert.match(run.stdout, /_mfas: 1 expired row\(s\) not copied/);
  });

  void it('refuses what is not a PocketBase v0.23+ data dir', TIMEOUT, async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const none = await runCli(['import-pocketbase', empty, '--dir', join(work, 'x1')]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no data\.db/);
    const old = join(work, 'old');
    mkdirSync(old);
    const db = new Sqlite(join(old, 'data.db'));
    db.exec('CREATE TABLE _collections (id TEXT PRIMARY KEY, name TEXT, schema JSON)');
    db.close();
    const tooOld = await runCli(['import-pocketbase', old, '--dir', join(work, 'x2')]);
    assert.equal(tooOld.code, 2);
    assert.match(tooOld.stderr, /before v0\.23/);
    assert.ok(!existsSync(join(work, 'x1')) && !existsSync(join(work, 'x2')));
    const usage = await runCli(['import-pocketbase', '--dir', join(work, 'x3')]);
    assert.equal(usage.code, 2);
  });
});
