import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Validator } from '@seriousme/openapi-schema-validator';
import { CONTROLLER_ROUTES, FASTIFY_ROUTES } from '@lib/testing';
import { scaffold, type CollectionModel, type FieldModel } from '@lib/schema';

import { buildOpenApiDocument } from './openapi-document';

const field = (name: string, type: FieldModel['type'], options: Partial<FieldModel> = {}): FieldModel => ({
  id: `f_${name}`,
  name,
  type,
  system: false,
  hidden: false,
  presentable: false,
  ...options,
});

function collection(type: CollectionModel['type'], name: string, fields: FieldModel[] = []): CollectionModel {
  const base = scaffold(type);
  return { ...base, id: `pbc_${name}`, name, fields: [...base.fields, ...fields] };
}

const COLLECTIONS = [
  collection('auth', 'users', [field('avatar', 'file', { maxSelect: 1 })]),
  collection('base', 'posts', [
    field('title', 'text', { required: true }),
    field('n', 'number'),
    field('tags', 'select', { values: ['a', 'b'], maxSelect: 2 }),
    field('author', 'relation', { collectionId: 'pbc_users', maxSelect: 1 }),
  ]),
  collection('view', 'totals', [field('n', 'number')]),
];
const INFO = { appName: 'Test', version: '1.2.3' };

/** A document path or route as a comparable shape: every parameter and the collection name become `*`. */
const shape = (path: string) =>
  path
    .replace(/\{[^}]+\}|:[A-Za-z]+/g, '*')
    .replace(/^\/api\/collections\/(users|posts|totals)\//, '/api/collections/*/');

void describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument(COLLECTIONS, INFO);

  void it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc);
    assert.deepEqual(result, { valid: true }, JSON.stringify(result.errors)?.slice(0, 2000));
  });

  void it('documents every route the standalone app serves, but the internal API and the viewer assets', () => {
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item).map((m) => `${m.toUpperCase()} ${shape(path)}`),
      ),
    );
    const missing = [...CONTROLLER_ROUTES, ...FASTIFY_ROUTES]
      .filter((r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/_internal/'))
      .filter((r) => !r.path.startsWith('/api/docs/'))
      .map((r) => `${r.method} ${shape(r.path)}`)
      .filter((r) => !documented.has(r));
    assert.deepEqual(missing, []);
  });

  void it('gives each operation a unique operationId where set, and every tag it uses a definition', () => {
    const ops = Object.values(doc.paths).flatMap((item) => Object.values(item));
    const ids = ops.map((o) => o.operationId).filter(Boolean);
    assert.equal(new Set(ids).size, ids.length);
    const tags = new Set((doc.tags as { name: string }[]).map((t) => t.name));
    assert.deepEqual(
      ops.flatMap((o) => o.tags as string[]).filter((t) => !tags.has(t)),
      [],
    );
  });

  void it('lists the routes hooks added, with their path parameters, and stays valid', async () => {
    const routes = [
      { method: 'GET', path: '/api/hello/{name}' },
      { method: 'POST', path: '/api/hello/{name}' },
      { method: 'GET', path: '/api/files-of/{path...}' },
      { method: 'GET', path: '/api/health' },
    ];
    const withHooks = buildOpenApiDocument(COLLECTIONS, INFO, routes);
    assert.deepEqual(await new Validator().validate(withHooks), { valid: true });
    assert.deepEqual(Object.keys(withHooks.paths['/api/hello/{name}']).sort(), ['get', 'post']);
    const rest = withHooks.paths['/api/files-of/{path}'].get;
    assert.deepEqual(rest.tags, ['api/hooks']);
    assert.equal((rest.parameters as { name: string }[])[0].name, 'path');
    // A hook route on a documented path never replaces the documented operation.
    assert.deepEqual(withHooks.paths['/api/health'].get, doc.paths['/api/health'].get);
  });

  void it('is the same for the same collections, in any order', () => {
    const again = buildOpenApiDocument([...COLLECTIONS].reverse(), INFO);
    assert.equal(JSON.stringify(again), JSON.stringify(doc));
  });
});
