// Bad-input corpus, request bodies: hostile upload file names (CR/LF that would reach Content-Disposition,
// traversal, NUL, right-to-left override, overlong UTF-8, quotes, 5000 characters), malformed multipart and
// @jsonPayload, odd JSON and form bodies, content types and prototype keys in bodies and query params. Each: a 4xx
// in the envelope or the documented 200, stored names safe to serve, no header injected.
import assert from 'node:assert/strict';

import { file, OPEN_RULES, runScenarios, Scenario, ScenarioContext, text } from '@lib/testing';

import { hostileRows } from './support/hostile';

const BOUNDARY = 'nb-bodies';
const MULTIPART = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

async function docs(t: ScenarioContext): Promise<void> {
  await t.createCollection({ name: 'docs', ...OPEN_RULES, fields: [text('title'), file('f', { maxSelect: 5 })] });
}

/** A multipart body of raw parts (headers and content as bytes, so names keep whatever they hold). */
function multipart(...parts: (string | Buffer)[]): Uint8Array {
  const chunks = parts.map((p) =>
    Buffer.concat([Buffer.from(`--${BOUNDARY}\r\n`), Buffer.from(p), Buffer.from('\r\n')]),
  );
  return new Uint8Array(Buffer.concat([...chunks, Buffer.from(`--${BOUNDARY}--\r\n`)]));
}

/** A file part of field `f` named `name` (raw bytes allowed) holding `hello`. */
function filePart(name: string | Buffer): Buffer {
  return Buffer.concat([
    Buffer.from('Content-Disposition: form-data; name="f"; filename="'),
    Buffer.from(name),
    Buffer.from('"\r\nContent-Type: text/plain\r\n\r\nhello'),
  ]);
}

/** The stored name is a plain name, and serving it sends `hello` with a Content-Disposition free of injection. */
async function servedSafely(t: ScenarioContext, res: { json<T>(): T }): Promise<void> {
  const rec = res.json<{ id: string; f: string[] }>();
  assert.equal(rec.f.length, 1, JSON.stringify(rec));
  const name = rec.f[0];
  assert.match(name, /^[\w.-]{1,130}$/, `stored name ${JSON.stringify(name)}`);
  assert.ok(!name.includes('..'), name);
  const served = await t.request('GET', `/api/files/${t.col('docs')}/${rec.id}/${name}?download=1`);
  assert.equal(served.status, 200, served.text);
  assert.equal(served.text, 'hello');
  const disposition = served.headers.get('content-disposition') ?? '';
  assert.ok(!/[\r\n]/.test(disposition) && disposition.startsWith('attachment'), disposition);
  assert.equal(served.headers.get('set-cookie'), null);
}

function upload(name: string, fileName: string | Buffer): Scenario {
  return {
    name: `upload named ${name} → 200, a safe stored name`,
    method: 'POST',
    url: (t) => t.records('docs'),
    headers: MULTIPART,
    body: multipart(filePart(fileName)),
    before: docs,
    expectStatus: 200,
    after: servedSafely,
  };
}

runScenarios(
  'bad input: upload file names',
  hostileRows([
    upload('with CR/LF and a Set-Cookie header', 'a\r\nSet-Cookie: x=1.txt'),
    upload('../../etc/passwd', '../../etc/passwd'),
    upload('..\\..\\windows\\win.ini', '..\\..\\windows\\win.ini'),
    upload('with NUL', 'a\u0000b.txt'),
    upload('with a right-to-left override', '\u202egnp.exe'),
    upload('with overlong UTF-8 dots', Buffer.from([0x61, 0xc0, 0xae, 0xc0, 0xae, 0x2f, 0x2e, 0x74, 0x78, 0x74])),
    upload('with combining marks', 'e\u0301\u0301.p\u0301ng'),
    upload('with quotes and backslashes', 'a"b\\c.txt'),
    upload('of 5000 characters', `${'x'.repeat(5000)}.txt`),
    upload('.htaccess', '.htaccess'),
    upload('a.php%00.jpg', 'a.php%00.jpg'),
  ]),
);

/** POST `body` (raw, with `headers`) to docs → `status`; `title` is what a 200 stored. */
function body(
  name: string,
  payload: string | Uint8Array,
  headers: Record<string, string>,
  status: number,
  title?: string,
): Scenario {
  return {
    name: `${name} → ${status}`,
    method: 'POST',
    url: (t) => t.records('docs'),
    headers,
    body: payload,
    before: docs,
    expectStatus: status,
    expectBody: title === undefined ? undefined : { title },
    after: async (t) => assert.equal(await t.countRecords('docs'), status === 200 ? 1 : 0),
  };
}

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

runScenarios(
  'bad input: malformed and odd bodies',
  hostileRows([
    body(
      'a field named with NUL',
      multipart('Content-Disposition: form-data; name="ti\u0000tle"\r\n\r\nx'),
      MULTIPART,
      200,
      '',
    ),
    body(
      '@jsonPayload holding an array',
      multipart('Content-Disposition: form-data; name="@jsonPayload"\r\n\r\n[1,2]'),
      MULTIPART,
      200,
      '',
    ),
    body(
      'two @jsonPayload parts, the second malformed',
      multipart(
        'Content-Disposition: form-data; name="@jsonPayload"\r\n\r\n{"title":"ok"}',
        'Content-Disposition: form-data; name="@jsonPayload"\r\n\r\n{"title":',
      ),
      MULTIPART,
      400,
    ),
    body(
      '@jsonPayload with constructor.prototype',
      multipart(
        'Content-Disposition: form-data; name="@jsonPayload"\r\n\r\n{"constructor":{"prototype":{"title":"polluted"}}}',
      ),
      MULTIPART,
      200,
      '',
    ),
    body('a part without a name', multipart('Content-Disposition: form-data\r\n\r\nx'), MULTIPART, 200, ''),
    body('a part without headers', multipart('\r\nx'), MULTIPART, 200, ''),
    body(
      'a file part without a name',
      multipart('Content-Disposition: form-data; filename="x.txt"\r\n\r\nhello'),
      MULTIPART,
      200,
      '',
    ),
    body('a boundary that never appears', 'title=x', MULTIPART, 400),
    body(
      'multipart/mixed',
      multipart('Content-Disposition: form-data; name="title"\r\n\r\nx'),
      { 'content-type': `multipart/mixed; boundary=${BOUNDARY}` },
      400,
    ),
    body('an empty boundary', 'x', { 'content-type': 'multipart/form-data; boundary=' }, 400),
    body('JSON with trailing garbage', '{"title":"x"} xyz', JSON_TYPE, 400),
    body('the JSON number 1', '1', JSON_TYPE, 400),
    body('the JSON string "x"', '"x"', JSON_TYPE, 400),
    body('JSON null (an empty record)', 'null', JSON_TYPE, 200, ''),
    body('JSON with duplicate keys (the last wins)', '{"title":"a","title":"b"}', JSON_TYPE, 200, 'b'),
    body('JSON with a byte-order mark', '\ufeff{"title":"bom"}', JSON_TYPE, 200, 'bom'),
    body('a content type without a slash', '{"title":"x"}', { 'content-type': 'garbage' }, 400),
    body('JSON as application/json+evil', '{"title":"x"}', { 'content-type': 'application/json+evil' }, 400),
    body('JSON with a __proto__ member', '{"__proto__":{"title":"polluted"},"title":"own"}', JSON_TYPE, 200, 'own'),
    body(
      'a form with qs-style prototype keys',
      '__proto__[title]=x&constructor[prototype][title]=y&title=z',
      FORM,
      200,
      'z',
    ),
    body('a form with malformed percent-encoding', '%zz=%zz&title=%E0%A4%A', FORM, 200, '\ufffd%A'),
    body('a form repeating a text field 3000 times', `title=${'a&title='.repeat(3000)}`, FORM, 400),
    body(
      'a content type of 2000 characters',
      '{"title":"x"}',
      { 'content-type': `application/${'x'.repeat(2000)}` },
      400,
    ),
    {
      name: 'prototype keys in query params → 200, ignored',
      method: 'POST',
      url: (t) =>
        t.records('docs', undefined, '?__proto__[x]=1&constructor[prototype][y]=2&expand=__proto__&fields=title'),
      body: { title: 'q' },
      before: docs,
      expectStatus: 200,
      expectBody: { title: 'q' },
    },
    {
      name: 'a filter given twice (the first counts) → 200',
      method: 'GET',
      url: (t) => t.records('docs', undefined, '?filter=title%3D%22nothing%22&filter=1%3D1'),
      before: async (t) => {
        await docs(t);
        await t.createRecord('docs', { title: 'one' });
      },
      expectStatus: 200,
      expectBody: { totalItems: 0 },
    },
  ]),
);
