// Generated request bodies for the route fuzzer: JSON objects of field, auth and admin member names with any
// values (batch sub-requests included), bare JSON values, forms, multipart bodies with file parts of hostile
// names (closed or cut short), JSON nested too deep, and garbage bytes.
import fc from 'fast-check';

import { expression } from './expressions';
import { hostileSegment, hostileText } from './strings';
import type { World } from './world';

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

export function bodies(world: World): fc.Arbitrary<Body> {
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
