// Generated requests for one route of the route list: the method (mostly the route's), path params (names from
// the world or hostile segments), query params, a body (JSON, form, multipart or garbage) with its content type
// or a wrong one, extra headers and the credentials.
import fc from 'fast-check';

import type { RouteTemplate } from '@lib/testing';

import { bodies, CONTENT_TYPES } from './bodies';
import { expression } from './expressions';
import { encodeAny, hostileSegment, numberText, rawQuery } from './strings';
import { AUTH_KINDS, type AuthKind, type World } from './world';

export interface FuzzRequest {
  method: string;
  /** Path and query, sent verbatim. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
  auth: AuthKind;
}

/** Credentials: the superuser and the member most often (they get furthest), every forged kind now and then. */
const AUTH: fc.Arbitrary<AuthKind> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<AuthKind>('superuser') },
  { weight: 2, arbitrary: fc.constant<AuthKind>('member') },
  { weight: 2, arbitrary: fc.constantFrom(...AUTH_KINDS) },
);

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
              ? [...world.fileNames, `thumbs_${world.fileNames[0]}`]
              : [world.openId, world.lockedId, world.memberId];
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 2, arbitrary: hostileSegment });
}

/** Path params that belong together (a record of the named collection, a file of that record): deeper paths. */
function coherentParams(world: World, names: string[]): fc.Arbitrary<string[]> {
  const records: [string, string][] = [
    [world.open, world.openId],
    [world.locked, world.lockedId],
    [world.members, world.memberId],
  ];
  return fc
    .tuple(fc.constantFrom(...records), fc.constantFrom(...world.fileNames))
    .map(([[collection, id], file]) =>
      names.map((n) => (n === 'collection' ? collection : n === 'filename' ? file : id)),
    );
}

/** The query params a route reads first: a file's, or a list's. */
const FILE_PARAMS = ['thumb', 'thumb', 'download', 'token', 'fields'];
const LIST_PARAMS = ['filter', 'sort', 'expand', 'fields', 'page', 'perPage', 'skipTotal'];

function query(world: World, files: boolean): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...(files ? FILE_PARAMS : LIST_PARAMS)) },
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
      '10x10',
      '0x20',
      '20x0f',
      '0x0',
      '99999x99999',
      '1',
      world.tokens.fileToken ?? '',
    ),
  );
  const pair = fc
    .tuple(key, value, fc.boolean())
    .map(([k, v, raw]) => `${encodeAny(k)}=${raw ? rawQuery(v) : encodeAny(v)}`);
  return fc.array(pair, { maxLength: 4 }).map((pairs) => (pairs.length > 0 ? `?${pairs.join('&')}` : ''));
}

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
  const random = fc.tuple(...names.map((n) => paramValue(world, route.path, n)));
  const params = names.includes('collection') ? fc.oneof(random, coherentParams(world, names)) : random;
  const method = fc.oneof(
    { weight: 9, arbitrary: fc.constant(route.method) },
    { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
  );
  // Mostly the body's own content type; one time in six another one.
  const contentType = fc.oneof(
    { weight: 5, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  );
  return fc
    .record({
      method,
      params,
      query: query(world, route.path.startsWith('/api/files/')),
      body: bodies(world, route.path),
      contentType,
      headers: HEADERS,
      auth: AUTH,
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
