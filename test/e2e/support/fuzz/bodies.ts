// Generated request bodies for the route fuzzer: JSON objects of field, auth and admin member names with any
// values (batch sub-requests included), bare JSON values, forms, multipart bodies with file parts of hostile
// names (closed or cut short), JSON nested too deep, and garbage bytes.
import fc from 'fast-check';

import { expression } from './expressions';
import { collectionBody, recordBody } from './shaped-bodies';
import { hostileSegment, hostileText } from './strings';
import type { World } from './world';

/** The first bytes of a PNG (the rest cut off). */
const PNG_HEAD = '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR';

export interface Body {
  body?: Buffer;
  contentType?: string;
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
    { weight: 1, arbitrary: fc.constantFrom(world.openId, world.lockedId, world.memberId, ...world.fileNames) },
    { weight: 1, arbitrary: expression(world) },
    { weight: 1, arbitrary: fc.array(subRequest, { maxLength: 3 }) },
  );
}

/** The shaped members of `path`'s body (a record, a collection definition), or none. */
function shapedFor(world: World, path: string): fc.Arbitrary<Record<string, unknown>> | undefined {
  if (path.startsWith('/api/collections/:collection/records')) {
    return recordBody(world);
  }
  return /^\/api\/collections(\/:collection|\/meta\/view-preview)?$/.test(path) ? collectionBody(world) : undefined;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

export function bodies(world: World, path: string): fc.Arbitrary<Body> {
  const generic = fc.dictionary(memberName(world), memberValue(world), { maxKeys: 5 });
  const shaped = shapedFor(world, path);
  const members = shaped ? fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: generic }) : generic;
  const json = members.map((m): Body => ({ body: Buffer.from(JSON.stringify(m)), contentType: 'application/json' }));
  const form = members.map((m): Body => ({
    body: Buffer.from(
      new URLSearchParams(Object.entries(m).map(([k, v]): [string, string] => [k, text(v)])).toString(),
    ),
    contentType: 'application/x-www-form-urlencoded',
  }));
  const boundary = 'fzb';
  const header = (name: string, filename?: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}\r\n\r\n`;
  const file = fc
    .tuple(
      fc.oneof(fc.constantFrom('f', 'f+', '+f', 'file', '@jsonPayload'), memberName(world)),
      fc.oneof(fc.constantFrom('a.png', 'a.txt', 'a.zip', ''), hostileText),
      fc.oneof(fc.constantFrom(PNG_HEAD, 'PK\u0005\u0006', 'hello'), fc.string({ unit: 'binary', maxLength: 40 })),
    )
    .map(([name, filename, content]) => `${header(name, filename)}${content}\r\n`);
  const multipart = fc
    .tuple(
      members,
      fc.array(file, { maxLength: 2 }),
      fc.boolean(),
      fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
    )
    .map(([m, files, payload, closed]): Body => {
      const values = payload
        ? `${header('@jsonPayload')}${JSON.stringify(m)}\r\n`
        : Object.entries(m)
            .map(([k, v]) => `${header(k)}${text(v)}\r\n`)
            .join('');
      return {
        body: Buffer.from(values + files.join('') + (closed ? `--${boundary}--\r\n` : '')),
        contentType: `multipart/form-data; boundary=${boundary}`,
      };
    });
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

export const CONTENT_TYPES = [
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
