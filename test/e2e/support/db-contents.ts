// Helpers of the tests that move a database between SQLite and PostgreSQL (db copy, backups): a seeded data set
// and what a server shows of it.
import assert from 'node:assert/strict';

import { HttpClient, startNestbase, tokenFor } from '@lib/testing';

export const SU = { email: 'copy-su@example.com', password: 'copy-Su-Passw0rd' };
export const USER = { email: 'copy-user@example.com', password: 'copy-User-Passw0rd' };

/** A server on `dir` (on PostgreSQL with `url`), `fn` with a superuser client, then stopped. */
export async function withServer(dir: string, url: string | null, fn: (http: HttpClient, su: string) => Promise<void>) {
  const env: Record<string, string> = { PB_ADMIN_EMAIL: SU.email, PB_ADMIN_PASSWORD: SU.password };
  const proc = await startNestbase(dir, [], { env: url ? { ...env, DATABASE_URL: url } : env });
  try {
    const http = new HttpClient(proc.baseUrl);
    await fn(http, await tokenFor(http, '_superusers', SU.email, SU.password));
  } finally {
    await proc.stop();
  }
}

export async function ok(http: HttpClient, method: 'POST' | 'GET', path: string, token: string, body?: unknown) {
  const res = await http.request(method, path, { token, ...(body === undefined ? {} : { body }) });
  assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
  return res.json<Record<string, unknown>>();
}

/** What a server shows: the posts (every field), the view, the users, the collections' names and indexes. */
export async function contents(http: HttpClient, su: string) {
  const posts = await ok(http, 'GET', '/api/collections/posts/records?perPage=500&sort=id', su);
  const view = await ok(http, 'GET', '/api/collections/post_titles/records?perPage=500&sort=id', su);
  const users = await ok(http, 'GET', '/api/collections/users/records?sort=id', su);
  const cols = await ok(http, 'GET', '/api/collections?perPage=200&sort=name', su);
  const shape = (cols.items as { name: string; indexes: string[]; fields: unknown[] }[]).map((c) => [
    c.name,
    c.indexes,
    c.fields.length,
  ]);
  // a user signs in with the password set before the copy
  await tokenFor(http, 'users', USER.email, USER.password);
  return { posts: posts.items, view: view.items, users: users.items, shape };
}

export async function seed(http: HttpClient, su: string): Promise<void> {
  await ok(http, 'POST', '/api/collections', su, {
    name: 'posts',
    type: 'base',
    listRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'n', type: 'number' },
      { name: 'flag', type: 'bool' },
      { name: 'meta', type: 'json' },
      { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
    ],
    indexes: ['CREATE UNIQUE INDEX idx_posts_title ON posts (title)'],
  });
  await ok(http, 'POST', '/api/collections', su, {
    name: 'post_titles',
    type: 'view',
    listRule: '',
    viewQuery: 'SELECT id, title FROM posts WHERE n > 2',
  });
  for (let i = 0; i < 30; i++) {
    const meta = { z: i, a: [1, 'two', null], nested: { ü: 'é', k: i % 2 === 0 } };
    await ok(http, 'POST', '/api/collections/posts/records', su, {
      title: `post ${i} ✓`,
      n: i / 4,
      flag: i % 3 === 0,
      meta,
      tags: i % 2 ? ['a', 'c'] : [],
    });
  }
  await ok(http, 'POST', '/api/collections/users/records', su, {
    ...USER,
    passwordConfirm: USER.password,
    name: 'Copy User',
  });
}
