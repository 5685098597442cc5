import * as fs from 'node:fs';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/**
 * A PocketBase v0.23+ data dir of about `totalMb` MB for the import bench: the fixture's system collections and
 * `_params`, plus `users` (auth, bcrypt hashes), `posts` and `comments` with relations (a users <-> posts cycle
 * included) filled until `data.db` reaches the size, and a few hundred storage files.
 */
// test@example.com's bcrypt hash (cost 13) of "1234567890" in the fixture
const HASH = '$2a$13$uULN32dHTkWQIALJP1N54.22HW/K9/qkXqcmsfz2hOA1wGeuUDbfG';

const base = { system: false, hidden: false, presentable: false, required: false, help: '' };
const field = (name: string, type: string, options: Record<string, unknown> = {}) => ({
  id: `${type}_${name}`,
  name,
  type,
  ...base,
  ...options,
});
const text = (name: string) => field(name, 'text', { min: 0, max: 0, pattern: '', autogeneratePattern: '' });
const rel = (name: string, collectionId: string, maxSelect: number) =>
  field(name, 'relation', { collectionId, cascadeDelete: false, minSelect: 0, maxSelect });
const num = (name: string) => field(name, 'number', { min: null, max: null, onlyInt: false });
const bool = (name: string) => field(name, 'bool');
const json = (name: string) => field(name, 'json', { maxSize: 0 });
const file = (name: string) =>
  field(name, 'file', { maxSelect: 1, maxSize: 0, mimeTypes: [], thumbs: [], protected: false });
const dates = [
  field('created', 'autodate', { onCreate: true, onUpdate: false }),
  field('updated', 'autodate', { onCreate: true, onUpdate: true }),
];
const idField = {
  ...field('id', 'text', { min: 15, max: 15, pattern: '^[a-z0-9]+$', autogeneratePattern: '[a-z0-9]{15}' }),
  id: 'text3208210256',
  system: true,
  required: true,
  primaryKey: true,
};

export function generatePocketBaseDir(
  dir: string,
  fixture: string,
  totalMb: number,
): { users: number; posts: number; comments: number; files: number } {
  fs.mkdirSync(dir, { recursive: true });
  const db = new BetterSqlite3(path.join(fixture, 'data.db'), { readonly: true });
  db.prepare('VACUUM INTO ?').run(path.join(dir, 'data.db'));
  db.close();
  const out = new BetterSqlite3(path.join(dir, 'data.db'));
  out.pragma('journal_mode = WAL');
  out.pragma('synchronous = OFF');
  // Keep PocketBase's system collections and settings; the fixture's own collections go.
  const own = out.prepare("SELECT name, type FROM _collections WHERE system = 0 OR name = 'nologin'").all() as {
    name: string;
    type: string;
  }[];
  for (const c of own.filter((c) => c.type === 'view')) {
    out.exec(`DROP VIEW "${c.name}"`);
  }
  for (const c of own.filter((c) => c.type !== 'view')) {
    out.exec(`DROP TABLE "${c.name}"`);
  }
  out.exec("DELETE FROM _collections WHERE system = 0 OR name = 'nologin'");
  const auth = out.prepare("SELECT options FROM _collections WHERE name = '_superusers'").get() as { options: string };
  const authFields = (
    JSON.parse(
      (out.prepare("SELECT fields FROM _collections WHERE name = '_superusers'").get() as { fields: string }).fields,
    ) as { name: string }[]
  ).filter((f) => !['id', 'created', 'updated'].includes(f.name));
  const add = out.prepare(
    'INSERT INTO _collections (id, system, type, name, fields, indexes, listRule, viewRule, options, created, updated) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const now = '2025-01-01 00:00:00.000Z';
  add.run(
    'pbc_benchusers',
    'auth',
    'users',
    JSON.stringify([idField, ...authFields, text('name'), rel('favorite', 'pbc_benchposts', 1), ...dates]),
    JSON.stringify([
      'CREATE UNIQUE INDEX `idx_tokenKey_bu` ON `users` (`tokenKey`)',
      "CREATE UNIQUE INDEX `idx_email_bu` ON `users` (`email`) WHERE `email` != ''",
    ]),
    '',
    'id = @request.auth.id',
    auth.options,
    now,
    now,
  );
  add.run(
    'pbc_benchposts',
    'base',
    'posts',
    JSON.stringify([
      idField,
      text('title'),
      text('body'),
      num('score'),
      bool('published'),
      json('meta'),
      rel('author', 'pbc_benchusers', 1),
      file('cover'),
      ...dates,
    ]),
    JSON.stringify(['CREATE INDEX `idx_posts_author` ON `posts` (`author`)']),
    '',
    '',
    '{}',
    now,
    now,
  );
  add.run(
    'pbc_benchcomments',
    'base',
    'comments',
    JSON.stringify([
      idField,
      text('body'),
      rel('post', 'pbc_benchposts', 1),
      rel('likes', 'pbc_benchusers', 99),
      ...dates,
    ]),
    '[]',
    '',
    '',
    '{}',
    now,
    now,
  );
  out.exec(`CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT DEFAULT '' NOT NULL, emailVisibility BOOLEAN DEFAULT FALSE NOT NULL, verified BOOLEAN DEFAULT FALSE NOT NULL, password TEXT NOT NULL, tokenKey TEXT NOT NULL, name TEXT DEFAULT '', favorite TEXT DEFAULT '', created TEXT DEFAULT '' NOT NULL, updated TEXT DEFAULT '' NOT NULL);
    CREATE TABLE posts (id TEXT PRIMARY KEY, title TEXT DEFAULT '', body TEXT DEFAULT '', score REAL DEFAULT 0, published BOOLEAN DEFAULT FALSE, meta JSON DEFAULT NULL, author TEXT DEFAULT '', cover TEXT DEFAULT '', created TEXT DEFAULT '' NOT NULL, updated TEXT DEFAULT '' NOT NULL);
    CREATE INDEX idx_posts_author ON posts (author);
    CREATE TABLE comments (id TEXT PRIMARY KEY, body TEXT DEFAULT '', post TEXT DEFAULT '', likes JSON DEFAULT '[]' NOT NULL, created TEXT DEFAULT '' NOT NULL, updated TEXT DEFAULT '' NOT NULL);`);
  const id = (prefix: string, n: number) => `${prefix}${n.toString(36).padStart(13, '0')}`;
  const users = 10_000;
  const fileCount = 300;
  const storage = path.join(dir, 'storage', 'pbc_benchposts');
  const insUser = out.prepare('INSERT INTO users VALUES (?, ?, 0, 1, ?, ?, ?, ?, ?, ?)');
  out.transaction(() => {
    for (let i = 0; i < users; i++) {
      insUser.run(
        id('u_', i),
        `user${i}@example.com`,
        HASH,
        `tk${i}`.padEnd(50, 'x'),
        `User ${i}`,
        id('p_', i),
        now,
        now,
      );
    }
  })();
  const body = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(12);
  const insPost = out.prepare('INSERT INTO posts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insComment = out.prepare('INSERT INTO comments VALUES (?, ?, ?, ?, ?, ?)');
  let posts = 0;
  let comments = 0;
  const target = totalMb * 1024 * 1024;
  while ((out.pragma('page_count', { simple: true }) as number) * 4096 < target) {
    out.transaction(() => {
      for (let i = 0; i < 20_000; i++, posts++) {
        const cover = posts < fileCount ? `cover_${posts}.jpg` : '';
        insPost.run(
          id('p_', posts),
          `Post ${posts}`,
          body,
          posts % 100,
          posts % 2,
          JSON.stringify({ tags: ['a', 'b'], n: posts }),
          id('u_', posts % users),
          cover,
          now,
          now,
        );
        for (let j = 0; j < 2; j++, comments++) {
          insComment.run(
            id('c_', comments),
            body.slice(0, 200),
            id('p_', posts),
            JSON.stringify([id('u_', comments % users), id('u_', (comments + 1) % users)]),
            now,
            now,
          );
        }
      }
    })();
  }
  out.close();
  for (let i = 0; i < fileCount; i++) {
    fs.mkdirSync(path.join(storage, id('p_', i)), { recursive: true });
    fs.writeFileSync(path.join(storage, id('p_', i), `cover_${i}.jpg`), Buffer.alloc(64 * 1024, i % 251));
  }
  return { users, posts, comments, files: fileCount };
}
