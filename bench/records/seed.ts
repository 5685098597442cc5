import * as fs from 'node:fs';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { call } from './load';
import { insertTodosPostgres } from './postgres';
import { ADMIN, startNestbase, stop } from './processes';

export interface BenchUser {
  id: string;
  email: string;
  token: string;
}

export interface SeededData {
  users: BenchUser[];
  /** Ids of todos owned by `users[0]`, the user every scenario runs as. */
  viewIds: string[];
}

const USER_COUNT = 3;
const PASSWORD = 'bench-user-pw-1234';
/** Todos of the other users, per 10 of `users[0]`'s: the owner condition has rows to skip. */
const OTHERS_PER_TEN = 1;

/** The collection: owner-only rules `owner = @request.auth.id` on every action. */
function todosCollection(withIndex: boolean): Record<string, unknown> {
  const owner = 'owner = @request.auth.id';
  return {
    name: 'todos',
    listRule: owner,
    viewRule: owner,
    createRule: owner,
    updateRule: owner,
    deleteRule: owner,
    fields: [
      { name: 'title', type: 'text' },
      { name: 'completed', type: 'bool' },
      { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1, required: true },
      { name: 'created', type: 'autodate', onCreate: true },
      { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
    ],
    indexes: withIndex
      ? ['CREATE INDEX `idx_todos_owner_completed_created` ON `todos` (`owner`, `completed`, `created`)']
      : [],
  };
}

/** Creates the collection and users through nestbase's API, on a fresh data dir. */
async function setUpThroughApi(dir: string, withIndex: boolean, databaseUrl?: string): Promise<BenchUser[]> {
  const { server } = await startNestbase(dir, databaseUrl);
  try {
    const port = server.port;
    const json = { 'content-type': 'application/json' };
    const login = () =>
      call<{ token: string }>(port, {
        method: 'POST',
        path: '/api/collections/_superusers/auth-with-password',
        body: { identity: ADMIN.email, password: ADMIN.password },
        headers: json,
      });
    // /api/health answers before the PB_ADMIN_* superuser is upserted (seen on PostgreSQL on a busy machine).
    const admin = await login().catch(async () => {
      await new Promise((r) => setTimeout(r, 3000));
      return login();
    });
    await call(port, {
      method: 'POST',
      path: '/api/collections',
      headers: { authorization: admin.token },
      body: todosCollection(withIndex),
    });
    const users: BenchUser[] = [];
    for (let i = 0; i < USER_COUNT; i++) {
      const email = `bench${i}@example.com`;
      await call(port, {
        method: 'POST',
        path: '/api/collections/users/records',
        body: { email, password: PASSWORD, passwordConfirm: PASSWORD },
      });
      const login = await call<{ token: string; record: { id: string } }>(port, {
        method: 'POST',
        path: '/api/collections/users/auth-with-password',
        body: { identity: email, password: PASSWORD },
      });
      users.push({ id: login.record.id, email, token: login.token });
    }
    return users;
  } finally {
    await stop(server);
  }
}

/**
 * Inserts `count` todos of `users[0]` (every second one completed) and `count / 10` of the other users
 * straight into `<dir>/data.db`, interleaved in time.
 */
function insertTodos(dir: string, users: BenchUser[], count: number): string[] {
  const db = new BetterSqlite3(path.join(dir, 'data.db'));
  try {
    const insert = db.prepare(
      'INSERT INTO todos (id, title, completed, owner, created, updated) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const start = Date.parse('2024-01-01T00:00:00Z');
    const viewIds: string[] = [];
    const total = count + Math.floor((count * OTHERS_PER_TEN) / 10);
    let mine = 0;
    db.transaction(() => {
      for (let i = 0; i < total; i++) {
        const id = `t${String(i).padStart(14, '0')}`;
        const stamp = new Date(start + i * 61_000 + (i % 997)).toISOString().replace('T', ' ');
        const isMine = i % (10 + OTHERS_PER_TEN) < 10 && mine < count;
        const owner = isMine ? users[0].id : users[1 + (i % (users.length - 1))].id;
        const completed = isMine ? mine++ % 2 : i % 2;
        insert.run(id, `todo number ${i}`, completed, owner, stamp, stamp);
        if (isMine && viewIds.length < 500) {
          viewIds.push(id);
        }
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return viewIds;
  } finally {
    db.close();
  }
}

/**
 * A fresh data dir (or PostgreSQL database, `databaseUrl`) holding the collection, `USER_COUNT` users and `rows`
 * todos of `users[0]`.
 */
export async function seed(dir: string, rows: number, withIndex: boolean, databaseUrl?: string): Promise<SeededData> {
  const users = await setUpThroughApi(dir, withIndex, databaseUrl);
  const viewIds = databaseUrl ? await insertTodosPostgres(databaseUrl, users, rows) : insertTodos(dir, users, rows);
  return { users, viewIds };
}

/** Copies a stopped, checkpointed data dir's database to `<dest>/data.db` and returns that path. */
export function copyDatabase(dir: string, dest: string): string {
  fs.mkdirSync(dest, { recursive: true });
  const target = path.join(dest, 'data.db');
  fs.copyFileSync(path.join(dir, 'data.db'), target);
  return target;
}
