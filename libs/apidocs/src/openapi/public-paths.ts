import type { JsonSchema } from './field-schemas';
import { errors, jsonBody, object, ok, op, str, type PathItem } from './openapi-common';

const anyObject: JsonSchema = { type: 'object', additionalProperties: true };
const html = (description: string) => ({ description, content: { 'text/html': { schema: str } } });
const query = (name: string, description: string, schema: JsonSchema = str) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const path = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: str });

/** Files, realtime, batch, health, the OAuth2 redirect, this document and its viewer (reference §2.5–2.7). */
export function publicPaths(): Record<string, PathItem> {
  return {
    '/api/health': {
      get: op('health', 'Health check', ok('`{code: 200, message, data}`.', anyObject), {
        who: 'public',
        description: 'Superusers also get `data.canBackup`, `realIP`, `possibleProxyHeader`.',
      }),
    },
    '/api/files/token': {
      post: op('files', 'Get a short-lived file token', ok('`{token}`.', object({ token: str }, ['token'])), {
        who: 'auth',
        description: 'For protected files and backup downloads (`?token=`).',
      }),
    },
    '/api/files/{collectionIdOrName}/{recordId}/{filename}': {
      get: op(
        'files',
        'Download a record file',
        {
          '200': { description: 'The file (Range and conditional requests are honoured).' },
          ...errors(400, 404),
        },
        {
          who: 'public',
          description: 'Protected files need `?token=` (a file token) and pass the collection viewRule; 404 otherwise.',
          parameters: [
            path('collectionIdOrName', 'A collection id or name.'),
            path('recordId', 'The record id.'),
            path('filename', 'A stored file name of one of the record file fields.'),
            query('thumb', 'A thumb size: `WxH`, `WxHt`, `WxHb`, `WxHf`, `0xH`, `Wx0`.'),
            query('download', 'Send as an attachment.', { type: 'boolean' }),
            query('token', 'A file token, for protected files.'),
          ],
        },
      ),
    },
    '/api/realtime': {
      get: op(
        'realtime',
        'Open the realtime stream (SSE)',
        {
          '200': {
            description: 'An endless event stream; the first event is `PB_CONNECT` with `{clientId}`.',
            content: { 'text/event-stream': { schema: str } },
          },
        },
        { who: 'public', description: 'WebSocket clients upgrade the same path (`?token=` for auth).' },
      ),
      post: op(
        'realtime',
        'Set the subscriptions of a client',
        { ...ok('Done.', null, '204'), ...errors(400, 403, 404) },
        {
          who: 'public',
          description: 'Replaces the whole set. Topics: `collection/*` (listRule), `collection/id` (viewRule).',
          requestBody: jsonBody(object({ clientId: str, subscriptions: { type: 'array', items: str } }, ['clientId'])),
        },
      ),
    },
    '/api/batch': {
      post: op(
        'batch',
        'Run record writes in one transaction',
        {
          ...ok('One `{status, body}` per request, in order.', { type: 'array', items: anyObject }),
          ...errors(400, 403),
        },
        {
          who: 'public',
          description:
            'Off until `settings.batch.enabled` (403). Sub-requests: create, update, delete, upsert (PUT) of records, ' +
            'each under its collection rules.',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: object(
                  {
                    requests: {
                      type: 'array',
                      items: object({ method: str, url: str, headers: anyObject, body: anyObject }, ['method', 'url']),
                    },
                  },
                  ['requests'],
                ),
              },
              'multipart/form-data': { schema: object({ '@jsonPayload': str }, ['@jsonPayload']) },
            },
          },
        },
      ),
    },
    '/api/oauth2-redirect': {
      get: op(
        'auth',
        'OAuth2 redirect target',
        { '307': { description: 'To the dashboard page.' }, ...errors(400) },
        {
          who: 'public',
          description: 'The provider sends the browser here; the code goes to the waiting realtime client.',
          parameters: [query('state', 'The realtime client id.'), query('code', 'The provider code.')],
        },
      ),
      post: op(
        'auth',
        'OAuth2 redirect target (form post)',
        { '303': { description: 'To the dashboard page.' } },
        {
          who: 'public',
        },
      ),
    },
    '/api/users': {
      post: op(
        'auth',
        'Create a users record (older tutorial API)',
        { ...ok('The record.', anyObject), ...errors(400) },
        {
          who: 'public',
          deprecated: true,
          description: 'Kept for older clients: `POST /api/collections/users/records` does the same.',
          requestBody: jsonBody(anyObject),
        },
      ),
    },
    '/api/users/auth-via-email': {
      post: op(
        'auth',
        'Sign in to users (older tutorial API)',
        { ...ok('`{token, user}`.', anyObject), ...errors(400) },
        {
          who: 'public',
          deprecated: true,
          description: 'Kept for older clients: `POST /api/collections/users/auth-with-password` does the same.',
          requestBody: jsonBody(object({ email: str, password: str }, ['email', 'password'])),
        },
      ),
    },
    '/api/openapi.json': {
      get: op('docs', 'This document', ok('The OpenAPI 3.1 document of the live collections.', anyObject), {
        description: 'Public when `settings.openapi.public` is true.',
      }),
    },
    '/api/docs': {
      get: op(
        'docs',
        'The API viewer (Swagger UI)',
        { '200': html('The viewer page.') },
        {
          who: 'public',
          description: 'The page fetches /api/openapi.json with the dashboard sign-in (or a `#token=` in the URL).',
        },
      ),
    },
  };
}
