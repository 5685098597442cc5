import type { JsonSchema } from './field-schemas';
import { errors, jsonBody, listOf, object, ok, op, paramRef, str, type PathItem } from './openapi-common';

const anyObject: JsonSchema = { type: 'object', additionalProperties: true };
const collectionSchema: JsonSchema = {
  type: 'object',
  description: 'A collection definition: id, name, type (base | auth | view), the rules, fields, indexes, options.',
  properties: {
    id: str,
    name: str,
    type: { type: 'string', enum: ['base', 'auth', 'view'] },
    fields: { type: 'array', items: anyObject },
    indexes: { type: 'array', items: str },
  },
  additionalProperties: true,
};
const listParams = ['page', 'perPage', 'sort', 'filter', 'skipTotal', 'fields'].map(paramRef);
const keyParam = { name: 'key', in: 'path', required: true, description: 'The backup file name.', schema: str };
const idParam = (description: string) => ({ name: 'id', in: 'path', required: true, description, schema: str });

/** The superuser API: collections, settings, logs, backups, crons (reference §2.8, §2.9). */
export function adminPaths(): Record<string, PathItem> {
  const collection = [paramRef('collection')];
  const done = ok('Done.', null, '204');
  return {
    '/api/collections': {
      get: op('collections', 'List collections', ok('A page of collections.', listOf(collectionSchema)), {
        parameters: listParams,
      }),
      post: op(
        'collections',
        'Create a collection',
        { ...ok('The collection.', collectionSchema), ...errors(400) },
        {
          requestBody: jsonBody(collectionSchema),
        },
      ),
    },
    '/api/collections/{collectionIdOrName}': {
      get: op(
        'collections',
        'View a collection',
        { ...ok('The collection.', collectionSchema), ...errors(404) },
        {
          parameters: collection,
        },
      ),
      patch: op(
        'collections',
        'Update a collection',
        { ...ok('The collection.', collectionSchema), ...errors(400, 404) },
        {
          parameters: collection,
          requestBody: jsonBody(collectionSchema),
          description: 'A given `fields` array replaces the list; system fields are added back.',
        },
      ),
      delete: op('collections', 'Delete a collection', { ...done, ...errors(400, 404) }, { parameters: collection }),
    },
    '/api/collections/{collectionIdOrName}/truncate': {
      delete: op(
        'collections',
        'Delete every record of a collection',
        { ...done, ...errors(400, 404) },
        {
          parameters: collection,
        },
      ),
    },
    '/api/collections/import': {
      put: op(
        'collections',
        'Import collections',
        { ...done, ...errors(400) },
        {
          requestBody: jsonBody(
            object({ collections: { type: 'array', items: collectionSchema }, deleteMissing: { type: 'boolean' } }, [
              'collections',
            ]),
          ),
        },
      ),
    },
    '/api/collections/meta/scaffolds': {
      get: op('collections', 'Default collection objects per type', ok('`{auth, base, view}`.', anyObject)),
    },
    '/api/collections/meta/view-preview': {
      post: op(
        'collections',
        'Preview a view query',
        { ...ok('`{fields, sample}`.', anyObject), ...errors(400) },
        {
          requestBody: jsonBody(object({ query: str }, ['query'])),
        },
      ),
    },
    '/api/collections/meta/oauth2-providers': {
      get: op('collections', 'The OAuth2 providers known', ok('The providers.', { type: 'array', items: anyObject })),
    },
    '/api/settings': {
      get: op('settings', 'The settings (secrets blanked)', ok('The settings.', anyObject)),
      patch: op(
        'settings',
        'Change settings',
        { ...ok('The settings.', anyObject), ...errors(400) },
        {
          requestBody: jsonBody(anyObject),
          description: '`openapi.public: true` serves /api/openapi.json and /api/docs to anyone.',
        },
      ),
    },
    '/api/settings/test/email': {
      post: op(
        'settings',
        'Send a test email',
        { ...done, ...errors(400) },
        {
          requestBody: jsonBody(object({ email: str, template: str, collection: str }, ['email', 'template'])),
        },
      ),
    },
    '/api/settings/test/s3': {
      post: op(
        'settings',
        'Test the S3 connection',
        { ...done, ...errors(400) },
        {
          requestBody: jsonBody(object({ filesystem: { type: 'string', enum: ['storage', 'backups'] } })),
        },
      ),
    },
    '/api/settings/apple/generate-client-secret': {
      post: op(
        'settings',
        'Make a Sign in with Apple client secret',
        { ...ok('`{secret}`.', anyObject), ...errors(400) },
        {
          requestBody: jsonBody(
            object(
              { clientId: str, teamId: str, keyId: str, privateKey: str, duration: { type: 'integer', minimum: 1 } },
              ['clientId', 'teamId', 'keyId', 'privateKey', 'duration'],
            ),
          ),
        },
      ),
    },
    '/api/logs': {
      get: op(
        'logs',
        'List request and app logs',
        { ...ok('A page of logs.', listOf(anyObject)), ...errors(400) },
        {
          parameters: listParams,
        },
      ),
      delete: op('logs', 'Delete every log', done),
    },
    '/api/logs/stats': {
      get: op('logs', 'Hourly log counts', ok('`[{total, date}]`.', { type: 'array', items: anyObject }), {
        parameters: [paramRef('filter')],
      }),
    },
    '/api/logs/{id}': {
      get: op(
        'logs',
        'View a log',
        { ...ok('The log.', anyObject), ...errors(404) },
        {
          parameters: [idParam('The log id.')],
        },
      ),
    },
    '/api/backups': {
      get: op('backups', 'List backups', ok('`[{key, size, modified}]`.', { type: 'array', items: anyObject })),
      post: op(
        'backups',
        'Create a backup',
        { ...done, ...errors(400) },
        {
          requestBody: jsonBody(object({ name: { type: 'string', pattern: '^[a-z0-9_-]+\\.zip$' } }), false),
        },
      ),
    },
    '/api/backups/upload': {
      post: op(
        'backups',
        'Upload a backup',
        { ...done, ...errors(400) },
        {
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': { schema: object({ file: { type: 'string', format: 'binary' } }, ['file']) },
            },
          },
        },
      ),
    },
    '/api/backups/{key}': {
      get: op(
        'backups',
        'Download a backup',
        { '200': { description: 'The zip file.' }, ...errors(403) },
        {
          who: 'public',
          description: 'Needs a superuser file token (`POST /api/files/token`) as `?token=`, not the header.',
          parameters: [keyParam, { name: 'token', in: 'query', required: true, schema: str }],
        },
      ),
      delete: op('backups', 'Delete a backup', { ...done, ...errors(400) }, { parameters: [keyParam] }),
    },
    '/api/backups/{key}/restore': {
      post: op(
        'backups',
        'Restore a backup (the app restarts)',
        { ...done, ...errors(400) },
        {
          parameters: [keyParam],
        },
      ),
    },
    '/api/crons': {
      get: op('crons', 'List cron jobs', ok('`[{id, expression}]`.', { type: 'array', items: anyObject })),
    },
    '/api/crons/{id}': {
      post: op('crons', 'Run a cron job now', { ...done, ...errors(404) }, { parameters: [idParam('The job id.')] }),
    },
    '/api/jobs/{name}': {
      get: op(
        'crons',
        'Count the unfinished jobs of a name (nestbase only)',
        { ...ok('`{name, pending}`: waiting, delayed, retrying or running.', anyObject), ...errors(400) },
        { parameters: [{ name: 'name', in: 'path', required: true, description: 'e.g. `mail.send`.', schema: str }] },
      ),
    },
  };
}
