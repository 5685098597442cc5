import type { SchemaLookup } from '@lib/query';
import type { CollectionModel, FieldModel, FieldType } from '@lib/schema';

/** The query lib's test fixture schema (users, teams, tags, posts, comments, memberships), for the benchmark. */

function field(name: string, type: FieldType, extra: Partial<FieldModel> = {}): FieldModel {
  return { id: `${type}_${name}`, name, type, system: false, hidden: false, presentable: false, ...extra };
}

function collection(id: string, name: string, fields: FieldModel[], type: 'base' | 'auth' = 'base'): CollectionModel {
  return {
    id,
    name,
    type,
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
  };
}

const users = collection(
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
  'auth',
);

export const posts = collection('col_posts', 'posts', [
  field('title', 'text'),
  field('views', 'number'),
  field('published', 'bool'),
  field('status', 'select', { values: ['draft', 'published', 'archived'], maxSelect: 1 }),
  field('labels', 'select', { values: ['a', 'b', 'c'], maxSelect: 3 }),
  field('author', 'relation', { collectionId: '_pb_users_auth_', maxSelect: 1 }),
  field('tags', 'relation', { collectionId: 'col_tags', maxSelect: 5 }),
  field('meta', 'json'),
  field('secret', 'text', { hidden: true }),
  field('created', 'autodate'),
]);

const all: CollectionModel[] = [
  users,
  collection('col_teams', 'teams', [field('name', 'text')]),
  collection('col_tags', 'tags', [field('name', 'text'), field('color', 'text')]),
  posts,
  collection('col_comments', 'comments', [
    field('post', 'relation', { collectionId: 'col_posts', maxSelect: 1 }),
    field('text', 'text'),
    field('author', 'relation', { collectionId: '_pb_users_auth_', maxSelect: 1 }),
  ]),
  collection('col_memberships', 'memberships', [
    field('user', 'relation', { collectionId: '_pb_users_auth_', maxSelect: 1 }),
    field('team', 'relation', { collectionId: 'col_teams', maxSelect: 1 }),
    field('role', 'text'),
  ]),
];

export const schema: SchemaLookup = {
  findCollection: (nameOrId) => all.find((c) => c.id === nameOrId || c.name.toLowerCase() === nameOrId.toLowerCase()),
  allCollections: () => all,
};
