// `nestbase import-pocketbase` into PostgreSQL (DATABASE_URL): PocketBase's own test data dir
// (test/fixtures/pocketbase-data) comes over into the database, its files into --dir; a server on them serves every
// record and file and users sign in with their old passwords (pg tier; skipped elsewhere).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';

import { freshPostgresDatabase, HttpClient, repoRoot, runCli, startNestbase, tokenFor } from '@lib/testing';

const PG = process.env.NB_TEST_POSTGRES_URL;
const TIMEOUT = { timeout: 400_000 };
const FIXTURE = join(repoRoot(), 'test', 'fixtures', 'pocketbase-data');
const PASSWORD = '1234567890';
/** A superuser token from PocketBase's apis tests (a sign-in would add an _authOrigins row before the comparison). */
const PB_SUPERUSER_TOKEN =
  'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6InN5d2JoZWNuaDQ2cmhtMCIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoicGJjXzMxNDI2MzU4MjMiLCJleHAiOjI1MjQ2MDQ0NjEsInJlZnJlc2hhYmxlIjp0cnVlfQ.UXgO3j-0BumcugrFjbd7j0M4MQvbrLggLlcu_YNGjoY';
const work = mkdtempSync(join(tmpdir(), 'nb-import-pb-pg-'));
const drops: (() => Promise<void>)[] = [];

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.attrs'))
    .map((e) => relative(dir, join(e.parentPath, e.name)));

void describe('nestbase import-pocketbase into PostgreSQL', { skip: !PG && 'needs the pg tier' }, () => {
  after(async () => {
    for (const drop of drops) {
      await drop();
    }
    rmSync(work, { recursive: true, force: true });
  });

  void it('brings collections, records, files and settings over; users sign in as before', TIMEOUT, async () => {
    const pg = await freshPostgresDatabase(PG!);
    drops.push(() => pg.drop());
    const dir = join(work, 'files');
    const env = { DATABASE_URL: pg.url };
    const run = await runCli(['import-pocketbase', FIXTURE, '--dir', dir], { env });
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /^Imported into PostgreSQL \(files in /m);
    assert.match(run.stdout, /^ {2}demo1 +base +3 record\(s\)$/m);
    assert.match(run.stderr, /verifying: \d+\/\d+/);
    assert.ok(!readdirSync(dir).includes('data.db'), readdirSync(dir).join());

    const source = new Sqlite(join(FIXTURE, 'data.db'), { readonly: true });
    const collections = source.prepare('SELECT id, name FROM _collections').all() as { id: string; name: string }[];
    const proc = await startNestbase(dir, [], { env });
    try {
      const http = new HttpClient(proc.baseUrl);
      const token = PB_SUPERUSER_TOKEN;
      for (const c of collections) {
        const ids = source.prepare(`SELECT id FROM "${c.name}"`).all() as { id: unknown }[];
        const res = await http.request('GET', `/api/collections/${c.name}/records?perPage=500&fields=id`, { token });
        assert.equal(res.status, 200, `${c.name}: ${res.text}`);
        const got = res.json<{ items: { id: string }[] }>().items.map((r) => r.id);
        assert.deepEqual(got.sort(), ids.map((r) => String(r.id)).sort(), c.name);
      }
      const fileToken = (await http.request('POST', '/api/files/token', { token })).json<{ token: string }>().token;
      const stored = filesUnder(join(FIXTURE, 'storage')).filter((f) => !f.split('/')[2].startsWith('thumbs_'));
      for (const file of stored) {
        const res = await fetch(`${proc.baseUrl}/api/files/${file}?token=${fileToken}`);
        assert.equal(res.status, 200, file);
        assert.ok(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(FIXTURE, 'storage', file))), file);
      }
      const clients = await http.request('POST', '/api/collections/clients/auth-with-password', {
        body: { identity: 'test@example.com', password: PASSWORD },
      });
      assert.equal(clients.status, 200, clients.text);
      assert.ok(await tokenFor(http, '_superusers', 'test@example.com', PASSWORD));
      const settings = await http.request('GET', '/api/settings', { token });
      assert.equal(settings.json<{ meta: { appName: string } }>().meta.appName, 'acme_test');
    } finally {
      await proc.stop();
      source.close();
    }

    // the database holds data now: another import into it needs --replace (the empty --dir doesn't matter)
    const again = await runCli(['import-pocketbase', FIXTURE, '--dir', join(work, 'other')], { env });
    assert.equal(again.code, 2, again.stdout);
    assert.match(again.stderr, /already holds data: pass --replace/);
    const replaced = await runCli(['import-pocketbase', FIXTURE, '--dir', dir, '--replace'], { env });
    assert.equal(replaced.code, 0, replaced.stderr);
  });
});
