// Backups through the HTTP API on PostgreSQL are the same zip as on SQLite (a SQLite data.db + storage/): one made
// on PostgreSQL restores on SQLite and one made on SQLite restores on PostgreSQL (pg tier; skipped elsewhere).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { freshPostgresDatabase, HttpClient, startNestbase, tokenFor, waitFor, type ManagedProcess } from '@lib/testing';
import { contents, ok, seed, SU } from './support/db-contents';

const PG = process.env.NB_TEST_POSTGRES_URL;
const TIMEOUT = { timeout: 600_000 };
const work = mkdtempSync(join(tmpdir(), 'nb-backups-dbs-'));
const cleanup: (() => Promise<void> | void)[] = [];

const su = (http: HttpClient) => tokenFor(http, '_superusers', SU.email, SU.password);

async function createBackup(http: HttpClient, name: string): Promise<Buffer> {
  const token = await su(http);
  const made = await http.request('POST', '/api/backups', { token, body: { name } });
  assert.equal(made.status, 204, made.text);
  const fileToken = (await ok(http, 'POST', '/api/files/token', token)).token as string;
  const res = await fetch(`${http.baseUrl}/api/backups/${name}?token=${fileToken}`);
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

/** Uploads `zip` as `name` and restores it; resolves once the restarted app shows data `expected` as restored. */
async function restore(http: HttpClient, name: string, zip: Buffer, posts: number) {
  const token = await su(http);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(zip)], { type: 'application/zip' }), name);
  const uploaded = await http.request('POST', '/api/backups/upload', { token, body: form });
  assert.equal(uploaded.status, 204, uploaded.text);
  const res = await http.request('POST', `/api/backups/${name}/restore`, { token });
  assert.equal(res.status, 204, res.text);
  return waitFor(
    async () => {
      const shown = await contents(http, await su(http));
      return (shown.posts as unknown[]).length === posts ? shown : undefined;
    },
    `the restored ${name}`,
    120_000,
  );
}

void describe('backups across databases', { skip: !PG && 'needs the pg tier (NB_TEST_POSTGRES_URL)' }, () => {
  after(async () => {
    for (const step of cleanup.reverse()) {
      await step();
    }
    rmSync(work, { recursive: true, force: true });
  });

  void it('PostgreSQL backup → SQLite restore, SQLite backup → PostgreSQL restore', TIMEOUT, async () => {
    const pg = await freshPostgresDatabase(PG!);
    cleanup.push(() => pg.drop());
    const admin = { PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password };
    const start = async (dir: string, env: Record<string, string>): Promise<HttpClient> => {
      const proc: ManagedProcess = await startNestbase(join(work, dir), [], { env: { ...admin, ...env } });
      cleanup.push(() => proc.stop().then(() => undefined));
      return new HttpClient(proc.baseUrl);
    };
    const onPg = await start('pg', { DATABASE_URL: pg.url });
    const onSqlite = await start('sqlite', {});

    await seed(onPg, await su(onPg));
    const made = await contents(onPg, await su(onPg));
    const fromPg = await createBackup(onPg, 'from_pg.zip');
    assert.deepEqual(await restore(onSqlite, 'from_pg.zip', fromPg, 30), made);

    await ok(onSqlite, 'POST', '/api/collections/posts/records', await su(onSqlite), { title: 'on SQLite', n: 7 });
    const later = await contents(onSqlite, await su(onSqlite));
    const fromSqlite = await createBackup(onSqlite, 'from_sqlite.zip');
    // data written on PostgreSQL after its backup is gone after the restore
    await ok(onPg, 'POST', '/api/collections/posts/records', await su(onPg), { title: 'gone', n: 1 });
    await ok(onPg, 'POST', '/api/collections/posts/records', await su(onPg), { title: 'gone too', n: 1 });
    assert.deepEqual(await restore(onPg, 'from_sqlite.zip', fromSqlite, 31), later);
    // the PostgreSQL server's own backups survive its restore, and it backs up again
    const list = await ok(onPg, 'GET', '/api/backups', await su(onPg));
    assert.ok(Array.isArray(list) && list.some((b: { key: string }) => b.key === 'from_pg.zip'), JSON.stringify(list));
    assert.ok((await createBackup(onPg, 'again.zip')).length > 1000);
  });
});
