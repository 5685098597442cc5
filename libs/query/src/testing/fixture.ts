import Database from 'better-sqlite3';
import { isMultiple, type CollectionModel, type FieldModel, type FieldType } from '@lib/schema';
import type { CompileOptions, RequestInfo, SchemaLookup } from '../query.types';
import { QueryCompiler } from '../query-compiler';
import { recordCall } from './recorded-calls';

/** Test fixture: users/teams/tags/posts/comments/memberships collections in an in-memory SQLite database. */
export function field(name: string, type: FieldType, extra: Partial<FieldModel> = {}): FieldModel {
  return { id: `${type}_${name}`, name, type, system: false, hidden: false, presentable: false, ...extra };
}

function collection(
  id: string,
  name: string,
  fields: FieldModel[],
  extra: Partial<CollectionModel> = {},
): CollectionModel {
  return {
    id,
    name,
    type: 'base',
    system: false,
    listRule: '',
    viewRule: '',
    createRule: null,
    updateRule: null,
    deleteRule: null,
    fields: [field('id', 'text', { system: true, primaryKey: true }), ...fields],
    indexes: [],
    created: '2024-01-01 00:00:00.000Z',
    updated: '2024-01-01 00:00:00.000Z',
    ...extra,
  };
}

export const users = collection(
  '_pb_users_auth_',
  'users',
  [
    field('password', 'password', { hidden: true }),
    field('tokenKey', 'text', { hidden: true }),
    field('email', 'email'),
    field('emailVisibility', 'bool'),
    field('verified', 'bool'),
    field('name', 'text'),
    field('team', 'relation', { collectionId: 'col_teams', maxSelect: 1 }),
    field('roles', 'select', { values: ['admin', 'editor', 'viewer'], maxSelect: 3 }),
  ],
  { type: 'auth' },
);
export const teams = collection('col_teams', 'teams', [field('name', 'text')]);
export const tags = collection('col_tags', 'tags', [field('name', 'text'), field('color', 'text')]);
export const posts = collection('col_posts', 'posts', [
  field('title', 'text'),
  field('views', 'number'),
  field('published', 'bool'),
  field('status', 'select', { values: ['draft', 'published', 'archived'], maxSelect: 1 }),
  field('labels', 'select', { values: ['a', 'b', 'c'], maxSelect: 3 }),
  field('author', 'relation', { collectionId: '_pb_users_auth_', maxSelect: 1 }),
  field('tags', 'relation', { collectionId: 'col_tags', maxSelect: 5 }),
  field('meta', 'json'),
  field('location', 'geoPoint'),
  field('secret', 'text', { hidden: true }),
  field('created', 'autodate'),
]);
export const comments = collection('col_comments', 'comments', [
  field('post', 'relation', { collectionId: 'col_posts', maxSelect: 1 }),
  field('text', 'text'),
  field('author', 'relation', { collectionId: '_pb_users_auth_', maxSelect: 1 }),
]);
export const memberships = collection(
  'col_memberships',
  'memberships',
  [
    field('user', 'relation', { collectionId: '_pb_users_auth_', maxSelect: 1 }),
    field('team', 'relation', { collectionId: 'col_teams', maxSelect: 1 }),
    field('role', 'text'),
  ],
  { listRule: null },
);

export const allCollections = [users, teams, tags, posts, comments, memberships];

export const schema: SchemaLookup = {
  findCollection: (nameOrId) =>
    allCollections.find((c) => c.id === nameOrId || c.name.toLowerCase() === nameOrId.toLowerCase()),
  allCollections: () => allCollections,
};

function columnType(f: FieldModel): string {
  if (f.name === 'id') {
    return 'TEXT PRIMARY KEY NOT NULL';
  }
  if (isMultiple(f)) {
    return `TEXT NOT NULL DEFAULT '[]'`;
  }
  const byType: Partial<Record<FieldType, string>> = {
    number: 'NUMERIC NOT NULL DEFAULT 0',
    bool: 'INTEGER NOT NULL DEFAULT 0',
    json: 'TEXT DEFAULT NULL',
    geoPoint: `TEXT NOT NULL DEFAULT '{"lon":0,"lat":0}'`,
  };
  return byType[f.type] ?? `TEXT NOT NULL DEFAULT ''`;
}

export type Row = Record<string, unknown>;

export const DATA: Record<string, Row[]> = {
  teams: [
    { id: 'tm1', name: 'red' },
    { id: 'tm2', name: 'blue' },
  ],
  users: [
    {
      id: 'u1',
      name: 'alice',
      email: 'alice@x.com',
      emailVisibility: 1,
      verified: 1,
      team: 'tm1',
      roles: '["admin","editor"]',
      password: 'h1',
    },
    {
      id: 'u2',
      name: 'bob',
      email: 'bob@x.com',
      emailVisibility: 0,
      verified: 0,
      team: 'tm2',
      roles: '["viewer"]',
      password: 'h2',
    },
    {
      id: 'u3',
      name: 'carol',
      email: 'carol@x.com',
      emailVisibility: 1,
      verified: 1,
      team: '',
      roles: '[]',
      password: 'h3',
    },
  ],
  tags: [
    { id: 'g1', name: 'news', color: 'red' },
    { id: 'g2', name: 'tech', color: 'blue' },
    { id: 'g3', name: 'fun', color: '' },
  ],
  posts: [
    {
      id: 'p1',
      title: 'Hello World',
      views: 10,
      published: 1,
      status: 'draft',
      labels: '["a","b"]',
      author: 'u1',
      tags: '["g1","g2"]',
      meta: '{"a":{"b":[1,2]},"n":5}',
      location: '{"lon":23.32,"lat":42.69}',
      secret: 's1',
      created: '2024-01-10 10:00:00.000Z',
    },
    {
      id: 'p2',
      title: 'Second_post 100%',
      views: 0,
      published: 0,
      status: 'published',
      labels: '["b"]',
      author: 'u2',
      tags: '["g2"]',
      meta: null,
      created: '2024-02-10 08:30:00.000Z',
    },
    {
      id: 'p3',
      title: '',
      views: 5.5,
      published: 1,
      status: '',
      labels: '[]',
      author: '',
      tags: '[]',
      meta: '{"a":{"b":[3]}}',
      location: '{"lon":-0.12,"lat":51.5}',
      created: '2024-03-01 00:00:00.000Z',
    },
    {
      id: 'p4',
      title: `O'Reilly "quotes" \\ back`,
      views: -3,
      published: 0,
      status: 'draft',
      labels: '["a"]',
      author: 'u3',
      tags: '["g1","g3"]',
      meta: '"str"',
      created: '2025-01-01 12:00:00.000Z',
    },
    {
      id: 'p5',
      title: 'hello again',
      views: 100,
      published: 1,
      status: 'archived',
      labels: '["a","b","c"]',
      author: 'u1',
      tags: '["g3","missing"]',
      meta: '{"n":7}',
      created: '2023-12-31 23:59:59.999Z',
    },
  ],
  comments: [
    { id: 'c1', post: 'p1', text: 'great', author: 'u2' },
    { id: 'c2', post: 'p1', text: 'meh', author: 'u3' },
    { id: 'c3', post: 'p2', text: 'great', author: 'u1' },
    { id: 'c4', post: 'p4', text: 'wow', author: 'u1' },
  ],
  memberships: [
    { id: 'm1', user: 'u1', team: 'tm1', role: 'owner' },
    { id: 'm2', user: 'u2', team: 'tm1', role: 'member' },
    { id: 'm3', user: 'u2', team: 'tm2', role: 'owner' },
  ],
};

export function createDatabase(): Database.Database {
  const db = new Database(':memory:');
  db.function('nb_tick', () => 1); // the interrupt check compiled joins carry (libs/database registers the real one)
  for (const c of allCollections) {
    const columns = c.fields.map((f) => `"${f.name}" ${columnType(f)}`).join(', ');
    db.exec(`CREATE TABLE "${c.name}" (${columns})`);
    for (const row of DATA[c.name] ?? []) {
      const keys = Object.keys(row);
      const sql = `INSERT INTO "${c.name}" (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`;
      db.prepare(sql).run(...keys.map((k) => row[k]));
    }
  }
  return db;
}

export function request(overrides: Partial<RequestInfo> = {}): RequestInfo {
  return { auth: null, body: {}, query: {}, headers: {}, method: 'GET', context: 'default', ...overrides };
}

/** The auth record of user `u1`/`u2`/`u3` as a RequestInfo.auth value. */
export function authOf(db: Database.Database, id: string): Record<string, unknown> {
  const row = db.prepare('SELECT * FROM "users" WHERE id = ?').get(id) as Record<string, unknown>;
  return {
    ...row,
    roles: JSON.parse(String(row['roles'])),
    emailVisibility: !!row['emailVisibility'],
    verified: !!row['verified'],
    collectionId: users.id,
    collectionName: 'users',
  };
}

export interface Runner {
  db: Database.Database;
  compiler: QueryCompiler;
  /** Sorted ids of `collection` rows matching `expr`. */
  ids(expr: string, opts?: Partial<CompileOptions>, req?: RequestInfo): string[];
  /** Ids of `collection` rows in the order of the `sort` param. */
  sorted(sort: string, opts?: Partial<CompileOptions>, req?: RequestInfo): string[];
}

export function runner(): Runner {
  const db = createDatabase();
  const compiler = new QueryCompiler();
  return {
    db,
    compiler,
    ids(expr, opts = {}, req = request()) {
      const full: CompileOptions = { collection: posts, schema, mode: 'rule', isSuperuser: false, alias: 'r', ...opts };
      return recordCall({ kind: 'filter', expr, opts: full, req }, () => {
        const compiled = compiler.compile(expr, full);
        const sql = `SELECT "r"."id" AS id FROM "${full.collection.name}" "r" WHERE ${compiled.sql} ORDER BY "r"."id"`;
        const rows = db.prepare(sql).all(...(compiled.bind(req) as never[])) as { id: string }[];
        return rows.map((r) => r.id);
      });
    },
    sorted(sort, opts = {}, req = request()) {
      const full: CompileOptions = {
        collection: posts,
        schema,
        mode: 'filter',
        isSuperuser: false,
        alias: 'r',
        ...opts,
      };
      return recordCall({ kind: 'sort', expr: sort, opts: full, req }, () => {
        const compiled = compiler.compileSort(sort, full);
        const sql = `SELECT "r"."id" AS id FROM "${full.collection.name}" "r" ORDER BY ${compiled.sql}`;
        const rows = db.prepare(sql).all(...(compiled.bind(req) as never[])) as { id: string }[];
        return rows.map((r) => r.id);
      });
    },
  };
}

export type Case = [expr: string, expected: string[], opts?: Partial<CompileOptions>, req?: RequestInfo];

export const ALL_POSTS = ['p1', 'p2', 'p3', 'p4', 'p5'];
