// The verified-token cache (RequestAuthGuard) outlives writes of other records but never a change that
// invalidates a token: two servers share one data directory; each token is used first (so it is cached), then
// a record of an unrelated collection is written (the token still works), then its user changes — password
// changed through the other server, tokenKey rewritten by another SQLite connection, user deleted here — and
// the very next request with the old token acts as a guest. In the `pg` tier (NB_TEST_POSTGRES_URL) the two
// servers are two replicas on one fresh PostgreSQL database (no shared data directory) and the tokenKey is
// rewritten by another PostgreSQL connection: the cache's mark there is the auth-write counter the tables'
// triggers bump. (That an unrelated write keeps the cache's entries is shown by request-auth.guard.spec.ts,
// which counts verifications.)
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import Sqlite from 'better-sqlite3';
import { Client } from 'pg';

import {
  freshPostgresDatabase,
  HttpClient,
  makeCollection,
  makeUserInput,
  ManagedProcess,
  startNestbase,
  TEST_CEILING_MS,
  tokenFor,
} from '@lib/testing';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { email: 'cache-su@example.com', password: 'Cache-Superuser-Passw0rd' };

interface User {
  id: string;
  email: string;
  password: string;
  token: string;
}

void describe('verified-token cache across writes and processes', () => {
  let dir = '';
  const procs: ManagedProcess[] = [];
  let a: HttpClient;
  let b: HttpClient;
  let su = '';
  let postgres: { url: string; drop(): Promise<void> } | null = null;
  const dirs: string[] = [];

  before(async () => {
    const server = process.env.NB_TEST_POSTGRES_URL;
    postgres = server ? await freshPostgresDatabase(server) : null;
    dir = await mkdtemp(join(tmpdir(), 'nestbase-token-cache-'));
    dirs.push(dir);
    const env = {
      PB_ADMIN_EMAIL: SU.email,
      PB_ADMIN_PASSWORD: SU.password,
      NB_BCRYPT_COST: '4',
      ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    };
    procs.push(await startNestbase(dir, [], { env }));
    // On PostgreSQL, replicas: each its own data directory.
    const second = postgres ? await mkdtemp(join(tmpdir(), 'nestbase-token-cache-')) : dir;
    dirs.push(second);
    procs.push(await startNestbase(second, [], { env }));
    [a, b] = procs.map((p) => new HttpClient(p.baseUrl));
    su = await tokenFor(a, '_superusers', SU.email, SU.password);
    const made = await a.request('POST', '/api/collections', { token: su, body: makeCollection({ name: 'notes' }) });
    assert.equal(made.status, 200, made.text);
  });

  after(async () => {
    procs.forEach((p) => p.kill());
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    await postgres?.drop();
  });

  /** A user registered and logged in through server A. */
  async function makeUser(): Promise<User> {
    const input = makeUserInput();
    const res = await a.request('POST', '/api/collections/users/records', { body: input });
    assert.equal(res.status, 200, res.text);
    const email = String(input.email);
    const password = String(input.password);
    return { id: res.json<{ id: string }>().id, email, password, token: await tokenFor(a, 'users', email, password) };
  }

  /** The status of the user's own record on `client` with `token` (200 as the user, 404 as a guest). */
  async function ownRecord(client: HttpClient, user: User, token = user.token): Promise<number> {
    return (await client.request('GET', `/api/collections/users/records/${user.id}`, { token })).status;
  }

  /** Uses the token on A (cached there), writes a note on A, and checks the token still works on A. */
  async function usedAcrossAnUnrelatedWrite(user: User): Promise<void> {
    assert.equal(await ownRecord(a, user), 200);
    const note = await a.request('POST', '/api/collections/notes/records', {
      token: user.token,
      body: { title: 'unrelated' },
    });
    assert.equal(note.status, 200, note.text);
    assert.equal(await ownRecord(a, user), 200, 'a write to another collection leaves the token valid');
  }

  async function assertGuestOnA(user: User): Promise<void> {
    assert.equal(await ownRecord(a, user), 404, 'the old token acts as a guest at once');
    const refresh = await a.request('POST', '/api/collections/users/auth-refresh', { token: user.token });
    assert.equal(refresh.status, 401, refresh.text);
  }

  void it('a password changed through another process invalidates the cached token', TIMEOUT, async () => {
    const user = await makeUser();
    await usedAcrossAnUnrelatedWrite(user);
    const password = 'Another-Passw0rd-1';
    const res = await b.request('PATCH', `/api/collections/users/records/${user.id}`, {
      token: user.token,
      body: { oldPassword: user.password, password, passwordConfirm: password },
    });
    assert.equal(res.status, 200, res.text);
    await assertGuestOnA(user);
    const fresh = await tokenFor(a, 'users', user.email, password);
    assert.equal(await ownRecord(a, user, fresh), 200, 'the new login works');
  });

  void it('a password changed through the same process invalidates the cached token', TIMEOUT, async () => {
    const user = await makeUser();
    await usedAcrossAnUnrelatedWrite(user);
    const password = 'Another-Passw0rd-2';
    const res = await a.request('PATCH', `/api/collections/users/records/${user.id}`, {
      token: su,
      body: { password, passwordConfirm: password },
    });
    assert.equal(res.status, 200, res.text);
    await assertGuestOnA(user);
  });

  /** Sets the user's tokenKey with a connection of its own (no nestbase process sees the write). */
  async function rotateTokenKeyDirectly(user: User): Promise<void> {
    const sql = 'UPDATE "users" SET "tokenKey" = $1 WHERE "id" = $2';
    if (postgres) {
      const client = new Client({ connectionString: postgres.url });
      await client.connect();
      try {
        assert.equal((await client.query(sql, ['rotated-key', user.id])).rowCount, 1);
      } finally {
        await client.end();
      }
      return;
    }
    const db = new Sqlite(join(dir, 'data.db'));
    try {
      db.pragma('busy_timeout = 10000');
      const changed = db.prepare(sql.replace('$1', '?').replace('$2', '?')).run('rotated-key', user.id);
      assert.equal(changed.changes, 1);
    } finally {
      db.close();
    }
  }

  void it('a tokenKey rewritten by another database connection invalidates the cached token', TIMEOUT, async () => {
    const user = await makeUser();
    await usedAcrossAnUnrelatedWrite(user);
    assert.equal(await ownRecord(b, user), 200);
    await rotateTokenKeyDirectly(user);
    await assertGuestOnA(user);
    assert.equal(await ownRecord(b, user), 404, 'and on the other server');
  });

  void it("on PostgreSQL, every auth collection's table bumps the auth-write counter", TIMEOUT, async (ctx) => {
    if (!postgres) {
      ctx.skip("SQLite: the other processes' commits move data_version");
      return;
    }
    const made = await a.request('POST', '/api/collections', {
      token: su,
      body: makeCollection({ name: 'members', type: 'auth', fields: [] }),
    });
    assert.equal(made.status, 200, made.text);
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; watched: boolean }>(
        `SELECT c."name", EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = to_regclass(quote_ident(c."name"))
           AND g.tgname = 'nb_auth_written') AS "watched" FROM "_collections" c WHERE c."type" = 'auth'`,
      );
      const names = rows.map((r) => r.name);
      assert.ok(
        ['_superusers', 'users', 'members'].every((n) => names.includes(n)),
        names.join(', '),
      );
      assert.deepEqual(
        rows.filter((r) => !r.watched).map((r) => r.name),
        [],
        'auth tables without the trigger',
      );
    } finally {
      await client.end();
    }
  });

  void it('deleting the user invalidates the cached token', TIMEOUT, async () => {
    const user = await makeUser();
    await usedAcrossAnUnrelatedWrite(user);
    assert.equal(await ownRecord(b, user), 200);
    const res = await a.request('DELETE', `/api/collections/users/records/${user.id}`, { token: su });
    assert.equal(res.status, 204, res.text);
    await assertGuestOnA(user);
    assert.equal(await ownRecord(b, user), 404, 'and on the other server');
  });
});
