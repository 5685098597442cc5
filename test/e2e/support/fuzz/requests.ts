// Generated requests for one route of the route list: the method (mostly the route's), path params (names from
// the world or hostile segments), query params, a body (JSON, form, multipart or garbage) with its content type
// or a wrong one, extra headers and the credentials.
import fc from 'fast-check';

import type { RouteTemplate } from '@lib/testing';

import { encodeAny, hostileSegment, hostileText, numberText, rawQuery } from './strings';
import { AUTH_KINDS, type AuthKind, type World } from './world';

export interface FuzzRequest {
  method: string;
  /** Path and query, sent verbatim. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
  auth: AuthKind;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** The value of one path param: something the world holds, or a hostile segment. */
function paramValue(world: World, path: string, name: string): fc.Arbitrary<string> {
  const known =
    name === 'collection'
      ? [world.open, world.locked, world.members, world.view, '_superusers', world.open.toUpperCase()]
      : path.startsWith('/api/backups')
        ? ['x.zip', 'pb_backup_20240101000000.zip']
        : path.startsWith('/api/crons')
          ? ['__pbLogsCleanup__', '__pbDBOptimize__']
          : path.startsWith('/api/logs')
            ? ['abcdefghijklmno']
            : name === 'filename'
              ? [world.fileName, `thumbs_${world.fileName}`]
              : [world.openId, world.lockedId, world.memberId];
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 2, arbitrary: hostileSegment });
}

/** A filter or sort expression over the world's fields, hidden ones, relations and macros. */
function expression(world: World): fc.Arbitrary<string> {
  const names = [...world.fields, 'id', 'r.email', 'r.nick', `${world.open}_via_o`, '@request.auth.id', 'hid'];
  const ident = fc.oneof(
    fc.constantFrom(
      ...names,
      `@collection.${world.locked}.secret`,
      '@now',
      '@rowid',
      'hid:lower',
      's:each',
      'f:length',
    ),
    fc.string({ maxLength: 8 }),
  );
  const value = fc.oneof(
    hostileText.map((s) => JSON.stringify(s)),
    numberText,
    fc.constantFrom('true', 'false', 'null', "''", '""', '@request.auth.id', '@todayStart'),
  );
  const op = fc.constantFrom('=', '!=', '>', '>=', '<', '<=', '~', '!~', '?=', '?~', '', '==');
  const term = fc.tuple(ident, op, value).map(([a, o, v]) => `${a} ${o} ${v}`);
  return fc.oneof(
    { weight: 3, arbitrary: term },
    {
      weight: 2,
      arbitrary: fc.array(term, { minLength: 2, maxLength: 4 }).map((t) => `(${t.join(' && ')}) || ${t[0]}`),
    },
    { weight: 1, arbitrary: hostileText },
    { weight: 1, arbitrary: fc.constantFrom('-hid', 'hid', '@random', `-${world.fields.join(',+')}`, '((((', ')') },
  );
}

function query(world: World): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('filter', 'sort', 'expand', 'fields', 'page', 'perPage', 'skipTotal') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('thumb', 'download', 'token', '__proto__', 'constructor[prototype][x]', 'a[b]'),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );
  const value = fc.oneof(
    expression(world),
    numberText,
    fc.constantFrom(
      'r',
      'r.o',
      'expand.r.email',
      '*',
      'title:excerpt(5,true)',
      '100x100',
      '1',
      world.tokens.fileToken ?? '',
    ),
  );
  const pair = fc
    .tuple(key, value, fc.boolean())
    .map(([k, v, raw]) => `${encodeAny(k)}=${raw ? rawQuery(v) : encodeAny(v)}`);
  return fc.array(pair, { maxLength: 4 }).map((pairs) => (pairs.length > 0 ? `?${pairs.join('&')}` : ''));
}

/** A body member name: a field, a modifier, an auth or admin key, or anything. */
function memberName(world: World): fc.Arbitrary<string> {
  const known = [
    ...world.fields,
    'n+',
    'n-',
    '+f',
    'f-',
    's+',
    'id',
    'collectionId',
    'expand',
    'password',
    'passwordConfirm',
    'oldPassword',
    'email',
    'emailVisibility',
    'verified',
    'tokenKey',
    'identity',
    'identityField',
    'otpId',
    'mfaId',
    'token',
    'newEmail',
    'requests',
    'clientId',
    'subscriptions',
    'name',
    'type',
    'fields',
    'listRule',
    'viewRule',
    'collections',
    'deleteMissing',
    'query',
    'duration',
    'provider',
    'code',
    'meta',
    'batch',
    'filesystem',
    'template',
    '@jsonPayload',
    '__proto__',
    'constructor',
  ];
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  );
}

function memberValue(world: World): fc.Arbitrary<unknown> {
  const subRequest = fc.record({
    method: fc.constantFrom('POST', 'PATCH', 'PUT', 'DELETE', 'GET', 'TRACE'),
    url: fc.oneof(
      fc.constantFrom(
        `/api/collections/${world.open}/records`,
        `/api/collections/${world.open}/records/${world.openId}`,
      ),
      hostileSegment.map((s) => `/api/collections/${s}/records/${s}`),
      fc.constantFrom('/api/settings', '/api/batch', `http://evil.example/api/collections/${world.open}/records`),
    ),
    body: fc.dictionary(fc.constantFrom(...world.fields), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  });
  return fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 3, arbitrary: hostileText },
    { weight: 1, arbitrary: fc.constantFrom(world.openId, world.lockedId, world.memberId, world.fileName) },
    { weight: 1, arbitrary: expression(world) },
    { weight: 1, arbitrary: fc.array(subRequest, { maxLength: 3 }) },
  );
}

interface Body {
  body?: Buffer;
  contentType?: string;
}

function bodies(world: World): fc.Arbitrary<Body> {
  const members = fc.dictionary(memberName(world), memberValue(world), { maxKeys: 5 });
  const json = members.map((m): Body => ({ body: Buffer.from(JSON.stringify(m)), contentType: 'application/json' }));
  const form = members.map((m): Body => ({
    body: Buffer.from(
      new URLSearchParams(
        Object.entries(m).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')]),
      ).toString(),
    ),
    contentType: 'application/x-www-form-urlencoded',
  }));
  const boundary = 'fzb';
  const part = fc
    .tuple(memberName(world), memberValue(world), fc.option(hostileText, { nil: undefined }))
    .map(
      ([name, value, filename]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}\r\n\r\n${typeof value === 'string' ? value : JSON.stringify(value)}\r\n`,
    );
  const multipart = fc.tuple(fc.array(part, { maxLength: 4 }), fc.boolean()).map(([parts, closed]): Body => ({
    body: Buffer.from(parts.join('') + (closed ? `--${boundary}--\r\n` : '')),
    contentType: `multipart/form-data; boundary=${boundary}`,
  }));
  const deep = fc.integer({ min: 200, max: 3000 }).map((n): Body => ({
    body: Buffer.from(`{"j":${'['.repeat(n)}${']'.repeat(n)}}`),
    contentType: 'application/json',
  }));
  const garbage = fc
    .uint8Array({ maxLength: 300 })
    .map((b): Body => ({ body: Buffer.from(b), contentType: 'application/json' }));
  const raw = fc
    .jsonValue({ maxDepth: 3 })
    .map((v): Body => ({ body: Buffer.from(JSON.stringify(v) ?? 'null'), contentType: 'application/json' }));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<Body>({}) },
    { weight: 4, arbitrary: json },
    { weight: 1, arbitrary: raw },
    { weight: 2, arbitrary: form },
    { weight: 3, arbitrary: multipart },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: garbage },
  );
}

const CONTENT_TYPES = [
  'text/plain',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/json; charset=utf-16',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/json',
  '*/*',
  'garbage',
];

const HEADERS: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom(
    'range',
    'if-none-match',
    'if-modified-since',
    'accept-encoding',
    'x-forwarded-for',
    'origin',
    'content-encoding',
    'accept',
  ),
  fc.oneof(
    fc.constantFrom(
      'bytes=0-1',
      'bytes=-5',
      'bytes=abc',
      'bytes=5-1,0-0,0-',
      '*',
      'gzip, br',
      '1.2.3.4, <x>',
      'null',
      'Thu, 01 Jan 1970 00:00:00 GMT',
    ),
    fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
  ),
  { maxKeys: 2 },
);

/** Requests for `route` against `world`. */
export function requestsFor(route: RouteTemplate, world: World): fc.Arbitrary<FuzzRequest> {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const params = fc.tuple(...names.map((n) => paramValue(world, route.path, n)));
  const method = fc.oneof(
    { weight: 9, arbitrary: fc.constant(route.method) },
    { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
  );
  const contentType = fc.option(fc.constantFrom(...CONTENT_TYPES), { freq: 6, nil: undefined });
  return fc
    .record({
      method,
      params,
      query: query(world),
      body: bodies(world),
      contentType,
      headers: HEADERS,
      auth: fc.constantFrom(...AUTH_KINDS),
    })
    .map((r) => {
      let i = 0;
      const path = route.path.replace(/:\w+/g, () => r.params[i++] ?? '');
      const headers: Record<string, string> = { ...r.headers };
      const type = r.contentType ?? r.body.contentType;
      if (r.body.body !== undefined && type !== undefined) {
        headers['content-type'] = type;
      }
      return { method: r.method, target: `${path}${r.query}`, headers, body: r.body.body, auth: r.auth };
    });
}

/**
 * What the fuzzer never sends, so that a run changes nothing but its own data, even on a deployment other files
 * share: the superuser only reads (and writes records of the fuzzer's open collection), and the realtime stream
 * is never opened (its GET never ends).
 */
export function withinBounds(req: FuzzRequest, world: World): FuzzRequest {
  const path = req.target.split('?')[0];
  const reads = ['GET', 'HEAD', 'OPTIONS'].includes(req.method);
  const own = path.startsWith(`/api/collections/${world.open}/records`);
  const auth = req.auth === 'superuser' && !reads && !own ? 'member' : req.auth;
  const method = path === '/api/realtime' && (req.method === 'GET' || req.method === 'HEAD') ? 'POST' : req.method;
  return { ...req, auth, method };
}
