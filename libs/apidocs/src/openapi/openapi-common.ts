import type { JsonSchema } from './field-schemas';

/** One OpenAPI operation object, as plain data. */
export type Operation = Record<string, unknown>;
/** The operations of one path, by lower-case method. */
export type PathItem = Record<string, Operation>;

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const paramRef = (name: string): JsonSchema => ({ $ref: `#/components/parameters/${name}` });
export const responseRef = (name: string): JsonSchema => ({ $ref: `#/components/responses/${name}` });

export const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

/** A 200/204 answer with a JSON body (or none when `schema` is null). */
export function ok(description: string, schema: JsonSchema | null, status = '200'): Record<string, unknown> {
  return { [status]: schema === null ? { description } : { description, content: json(schema) } };
}

/** The error answers an operation may give, by status. */
export function errors(...statuses: number[]): Record<string, unknown> {
  const names: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    413: 'TooLarge',
    429: 'TooManyRequests',
  };
  return Object.fromEntries(statuses.map((s) => [String(s), responseRef(names[s])]));
}

/** A JSON request body. */
export function jsonBody(schema: JsonSchema, required = true): Record<string, unknown> {
  return { required, content: json(schema) };
}

/** An object schema whose listed keys are all required. */
export function object(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

export const str: JsonSchema = { type: 'string' };
export const int: JsonSchema = { type: 'integer' };
export const bool: JsonSchema = { type: 'boolean' };

/** The superuser token requirement, stated on superuser-only operations. */
export const SUPERUSER = 'Superusers only: 401 without a token, 403 for any other auth record.';

/** The tag of a part of the fixed API: `api/<part>` (no collection name has a `/`, so none clashes). */
export const fixedTag = (part: string): string => `api/${part}`;

/** A fixed-API operation: summary, tag, description, and the answers (400/401/403 are implied by `who`). */
export function op(
  tag: string,
  summary: string,
  responses: Record<string, unknown>,
  extra: Operation & { who?: 'superuser' | 'auth' | 'public' } = {},
): Operation {
  const { who = 'superuser', description, ...rest } = extra;
  const access = who === 'superuser' ? SUPERUSER : who === 'auth' ? 'Any authenticated record.' : 'Public.';
  const denial = who === 'superuser' ? errors(401, 403) : who === 'auth' ? errors(401) : {};
  return {
    tags: [fixedTag(tag)],
    summary,
    description: [description, access].filter(Boolean).join('\n\n'),
    ...rest,
    responses: { ...responses, ...denial },
  };
}

/** The shared components: the error envelope, the answers that use it, the list parameters, the auth header. */
export function commonComponents(): Record<string, unknown> {
  const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });
  const query = (name: string, description: string, schema: JsonSchema = str) => ({
    name,
    in: 'query',
    required: false,
    description,
    schema,
  });
  return {
    schemas: {
      Error: object(
        {
          status: int,
          message: str,
          data: {
            type: 'object',
            description: 'Field errors `{field: {code, message}}` (validation only; `{}` otherwise).',
            additionalProperties: true,
          },
        },
        ['status', 'message', 'data'],
      ),
    },
    responses: {
      BadRequest: errorResponse('Bad request or failed validation.'),
      Unauthorized: errorResponse('Missing or invalid authentication.'),
      Forbidden: errorResponse('Not allowed.'),
      NotFound: errorResponse('Not found (or hidden by a rule).'),
      TooLarge: errorResponse('Request entity too large.'),
      TooManyRequests: errorResponse('Rate limited.'),
    },
    parameters: {
      filter: query('filter', 'Filter expression, e.g. `title ~ "abc" && created > "2024-01-01"`.'),
      sort: query('sort', 'Comma-separated fields, `-` for descending, e.g. `-created,title`; `@random`, `@rowid`.'),
      expand: query('expand', 'Comma-separated relation paths to expand, e.g. `author,comments_via_post.user`.'),
      fields: query('fields', 'Comma-separated keys to return, e.g. `id,title,expand.author.name`; `:excerpt(n)`.'),
      page: query('page', 'Page number (default 1).', { type: 'integer', minimum: 1 }),
      perPage: query('perPage', 'Items per page (default 30, at most 1000).', {
        type: 'integer',
        minimum: 1,
        maximum: 1000,
      }),
      skipTotal: query('skipTotal', 'Skip the total count (totalItems and totalPages are then -1).', bool),
      recordId: { name: 'id', in: 'path', required: true, description: 'The record id.', schema: str },
      collection: {
        name: 'collectionIdOrName',
        in: 'path',
        required: true,
        description: 'A collection id or name.',
        schema: str,
      },
    },
    securitySchemes: {
      pbAuth: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: 'An auth token (`token` of an auth response), raw or as `Bearer <token>`.',
      },
    },
  };
}

/** A list answer of `item`s. */
export function listOf(item: JsonSchema): JsonSchema {
  return object({ page: int, perPage: int, totalItems: int, totalPages: int, items: { type: 'array', items: item } }, [
    'page',
    'perPage',
    'totalItems',
    'totalPages',
    'items',
  ]);
}
