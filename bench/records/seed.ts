import * as fs from 'node:fs';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { call } from './load';
import { ADMIN, startNestbase, stop } from './processes';

export interface BenchUser {
  id: string;
  email: string;
  token: string;
}

export interface SeededData {
  users: BenchUser[];
  /** Ids of posts owned by `users[0]`, the user every scenario runs as. */
  viewIds: string[];
  /** The `title ~ '...'` needle of the list filter. */
  filterWord: string;
}

const WORDS = ['alpha', 'beta', 'gamma', 'delta'];
const USER_COUNT = 3;
const PASSWORD = 'bench-user-pw-1234';

function postsCollection(withIndex: boolean): Record<string, unknown> {
  return {
    name: 'posts',
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id',
    createRule: "@request.auth.id != ''",
    fields: [
      { name: 'title', type: 'text' },
      { name: 'views', type: 'number' },
      { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
      { name: 'created', type: 'autodate', onCreate: true },
      { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
    ],
    indexes: withIndex ? ['CREATE INDEX `idx_posts_owner_created` ON `posts` (`owner`, `created`)'] : [],
  };
}

/** Creates the collection and users through nestbase's API, on a fresh data dir. */
async function setUpThroughApi(dir: string, withIndex: boolean): Promise<BenchUser[]> {
  const { server } = await startNestbase(dir);
  try {
    const port = server.port;
    const json = { 'content-type': 'application/json' };
    const admin = await call<{ token: string }>(port, {
      method: 'POST',
      path: '/api/collections/_superusers/auth-with-password',
      body: { identity: ADMIN.email, password: ADMIN.password },
      headers: json,
    });
    await call(port, {
      method: 'POST',
      path: '/api/collections',
      headers: { authorization: admin.token },
      body: postsCollection(withIndex),
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

/** Inserts `count` posts straight into `<dir>/data.db`, spread round-robin over the users. */
function insertPosts(dir: string, users: BenchUser[], count: number): string[] {
  const db = new BetterSqlite3(path.join(dir, 'data.db'));
  try {
    const insert = db.prepare(
      'INSERT INTO posts (id, title, views, owner, created, updated) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const start = Date.parse('2024-01-01T00:00:00Z');
    const viewIds: string[] = [];
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const id = `p${String(i).padStart(14, '0')}`;
        const stamp = new Date(start + i * 61_000 + (i % 997)).toISOString().replace('T', ' ');
        const owner = users[i % users.length].id;
        insert.run(id, `${WORDS[i % WORDS.length]} post number ${i}`, i % 1000, owner, stamp, stamp);
        if (owner === users[0].id && viewIds.length < 500) {
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

/** A fresh data dir holding the collection, `USER_COUNT` users and `rows` posts. */
export async function seed(dir: string, rows: number, withIndex: boolean): Promise<SeededData> {
  const users = await setUpThroughApi(dir, withIndex);
  const viewIds = insertPosts(dir, users, rows);
  return { users, viewIds, filterWord: WORDS[1] };
}

/** Copies a stopped, checkpointed data dir's database to `<dest>/data.db` and returns that path. */
export function copyDatabase(dir: string, dest: string): string {
  fs.mkdirSync(dest, { recursive: true });
  const target = path.join(dest, 'data.db');
  fs.copyFileSync(path.join(dir, 'data.db'), target);
  return target;
}
