// Serving: headers, ranges, conditional requests, thumbs, protected files, bad names.
import assert from 'node:assert/strict';

import { RecordJson, relation, Scenario, ScenarioContext, text, file } from '@lib/testing';

import { docWithImage, fetchRaw, fileUrl, FileMode, form } from './file-helpers';
import { imageSize, makeImage } from './images';

function getFile(
  name: string,
  query: (t: ScenarioContext) => string,
  check: (t: ScenarioContext) => Promise<void>,
  mode: FileMode,
): Scenario {
  return {
    name,
    method: 'GET',
    url: (t) => fileUrl(t, t.vars.one, query(t)),
    before: (t) => docWithImage(t, mode).then(() => undefined),
    expectStatus: 200,
    after: check,
  };
}

function thumb(spec: string, width: number, height: number, mode: FileMode, type = 'png'): Scenario {
  return getFile(
    `thumb=${spec} → ${width}x${height} ${type}`,
    () => `?thumb=${spec}`,
    async (t) => {
      const got = await fetchRaw(t, fileUrl(t, t.vars.one, `?thumb=${spec}`));
      assert.equal(got.status, 200);
      assert.deepEqual(imageSize(got.bytes), { type, width, height });
      assert.equal(got.headers.get('content-type'), `image/${type}`);
    },
    mode,
  );
}

/** `notes` with a protected file, view rule = owner; `t.vars.url` of the owner's file. */
async function protectedNote(t: ScenarioContext, mode: FileMode): Promise<void> {
  await mode.setup(t);
  const users = await t.su.expectOk<{ id: string }>('GET', '/api/collections/users');
  await t.createCollection({
    name: 'notes',
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id && @request.context = "protectedFile"',
    createRule: '',
    updateRule: null,
    deleteRule: null,
    fields: [text('title'), relation('owner', users.id, { maxSelect: 1 }), file('doc', { protected: true })],
  });
  const owner = await t.makeUser({}, 'users', 'owner');
  await t.makeUser({}, 'users', 'other');
  const res = await t.request('POST', t.records('notes'), {
    body: form([
      ['owner', String(owner.record.id)],
      ['doc', 'top secret', 'secret.txt'],
    ]),
  });
  assert.equal(res.status, 200, res.text);
  const rec = res.json<RecordJson>();
  t.vars.url = `/api/files/${t.col('notes')}/${String(rec.id)}/${String(rec.doc)}`;
}

async function fileToken(t: ScenarioContext, authToken: string): Promise<string> {
  const res = await t.request('POST', '/api/files/token', { token: authToken });
  assert.equal(res.status, 200, res.text);
  return res.json<{ token: string }>().token;
}

export function serveScenarios(mode: FileMode): Scenario[] {
  return [
    getFile(
      'headers: type, length, validators, inline disposition, CSP, no X-Frame-Options',
      () => '',
      async (t) => {
        const got = await fetchRaw(t, fileUrl(t, t.vars.one));
        assert.equal(got.headers.get('content-type'), 'image/png');
        assert.match(got.headers.get('content-disposition') ?? '', /^inline; filename="photo_[a-z0-9]{10}\.png"$/);
        assert.ok(got.headers.get('etag'));
        assert.ok(got.headers.get('last-modified'));
        assert.equal(got.headers.get('accept-ranges'), 'bytes');
        assert.equal(
          got.headers.get('content-security-policy'),
          "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
        );
        assert.equal(got.headers.get('x-frame-options'), null);
      },
      mode,
    ),
    getFile(
      'download=1 → attachment',
      () => '?download=1',
      async (t) => {
        const got = await fetchRaw(t, fileUrl(t, t.vars.one, '?download=1'));
        assert.match(got.headers.get('content-disposition') ?? '', /^attachment; /);
      },
      mode,
    ),
    getFile(
      'Range: bytes=10-19 → 206 with those bytes',
      () => '',
      async (t) => {
        const got = await fetchRaw(t, fileUrl(t, t.vars.one), { range: 'bytes=10-19' });
        const png = t.data as Buffer;
        assert.equal(got.status, 206);
        assert.equal(got.headers.get('content-range'), `bytes 10-19/${png.length}`);
        assert.ok(got.bytes.equals(png.subarray(10, 20)));
      },
      mode,
    ),
    getFile(
      'Range: suffix and open-ended ranges',
      () => '',
      async (t) => {
        const png = t.data as Buffer;
        const tail = await fetchRaw(t, fileUrl(t, t.vars.one), { range: 'bytes=-7' });
        assert.equal(tail.status, 206);
        assert.ok(tail.bytes.equals(png.subarray(png.length - 7)));
        const rest = await fetchRaw(t, fileUrl(t, t.vars.one), { range: `bytes=${png.length - 3}-` });
        assert.ok(rest.bytes.equals(png.subarray(png.length - 3)));
      },
      mode,
    ),
    getFile(
      'Range past the end → 416',
      () => '',
      async (t) => {
        const got = await fetchRaw(t, fileUrl(t, t.vars.one), { range: 'bytes=999999-' });
        assert.equal(got.status, 416);
        assert.equal(got.headers.get('content-range'), `bytes */${(t.data as Buffer).length}`);
      },
      mode,
    ),
    getFile(
      'If-None-Match with the ETag → 304; If-Range mismatch → whole file',
      () => '',
      async (t) => {
        const first = await fetchRaw(t, fileUrl(t, t.vars.one));
        const etag = first.headers.get('etag') ?? '';
        assert.equal((await fetchRaw(t, fileUrl(t, t.vars.one), { 'if-none-match': etag })).status, 304);
        const stale = await fetchRaw(t, fileUrl(t, t.vars.one), { range: 'bytes=0-3', 'if-range': '"other"' });
        assert.equal(stale.status, 200);
        assert.equal(stale.bytes.length, (t.data as Buffer).length);
      },
      mode,
    ),
    thumb('100x100', 100, 100, mode),
    thumb('60x40', 60, 40, mode),
    thumb('60x40t', 60, 40, mode),
    thumb('60x40b', 60, 40, mode),
    thumb('50x50f', 50, 33, mode),
    thumb('0x50', 75, 50, mode),
    thumb('30x0', 30, 20, mode),
    getFile(
      'a size the field does not list serves the original',
      () => '?thumb=77x77',
      async (t) => {
        const got = await fetchRaw(t, fileUrl(t, t.vars.one, '?thumb=77x77'));
        assert.ok(got.bytes.equals(t.data as Buffer));
      },
      mode,
    ),
    getFile(
      'concurrent first requests of a thumb all get the same, whole thumb',
      () => '',
      async (t) => {
        const all = await Promise.all(
          Array.from({ length: 8 }, () => fetchRaw(t, fileUrl(t, t.vars.one, '?thumb=60x40b'))),
        );
        for (const got of all) {
          assert.equal(got.status, 200);
          assert.deepEqual(imageSize(got.bytes), { type: 'png', width: 60, height: 40 });
          assert.ok(got.bytes.equals(all[0].bytes));
        }
      },
      mode,
    ),
    {
      name: 'thumbs of a JPEG stay JPEG; non-images serve the original',
      method: 'POST',
      url: (t) => t.records('docs'),
      before: async (t) => {
        await docWithImage(t, mode);
        t.data = await makeImage(120, 80, 'jpeg');
      },
      body: (t) =>
        form([
          ['one', t.data as Buffer, 'p.jpg'],
          ['many', 'plain text', 'n.txt'],
        ]),
      expectStatus: 200,
      after: async (t, res) => {
        const rec = res.json<RecordJson & { many: string[] }>();
        t.vars.rec = String(rec.id);
        const jpg = await fetchRaw(t, fileUrl(t, String(rec.one), '?thumb=60x40'));
        assert.deepEqual(imageSize(jpg.bytes), { type: 'jpeg', width: 60, height: 40 });
        const txt = await fetchRaw(t, fileUrl(t, rec.many[0], '?thumb=100x100'));
        assert.equal(txt.bytes.toString(), 'plain text');
      },
    },
    {
      name: 'protected file without a token → 404',
      method: 'GET',
      url: (t) => t.vars.url,
      before: (t) => protectedNote(t, mode),
      auth: (t) => Promise.resolve(t.users.owner.token),
      expectStatus: 404,
    },
    {
      name: "protected file with the owner's file token → 200",
      method: 'GET',
      url: (t) => `${t.vars.url}?token=${t.vars.ft}`,
      before: async (t) => {
        await protectedNote(t, mode);
        t.vars.ft = await fileToken(t, t.users.owner.token);
      },
      expectStatus: 200,
      expectContains: ['top secret'],
    },
    {
      name: "protected file with another user's file token (view rule fails) → 404",
      method: 'GET',
      url: (t) => `${t.vars.url}?token=${t.vars.ft}`,
      before: async (t) => {
        await protectedNote(t, mode);
        t.vars.ft = await fileToken(t, t.users.other.token);
      },
      expectStatus: 404,
    },
    {
      name: 'protected file with an auth token in ?token → 404',
      method: 'GET',
      url: (t) => `${t.vars.url}?token=${t.users.owner.token}`,
      before: (t) => protectedNote(t, mode),
      expectStatus: 404,
    },
    {
      name: 'protected file with a superuser file token → 200',
      method: 'GET',
      url: (t) => `${t.vars.url}?token=${t.vars.ft}`,
      before: async (t) => {
        await protectedNote(t, mode);
        t.vars.ft = await fileToken(t, t.su.token);
      },
      expectStatus: 200,
    },
    {
      name: 'POST /api/files/token as a guest → 401',
      method: 'POST',
      url: '/api/files/token',
      auth: 'guest',
      expectStatus: 401,
    },
    {
      name: 'traversal in the filename → 404',
      method: 'GET',
      url: (t) => `/api/files/${t.col('docs')}/${t.vars.rec}/..%2F..%2Fdata.db`,
      before: (t) => docWithImage(t, mode).then(() => undefined),
      expectStatus: 404,
    },
    {
      name: 'traversal in the record id → 404',
      method: 'GET',
      url: (t) => `/api/files/${t.col('docs')}/..%2F${t.vars.rec}/${t.vars.one}`,
      before: (t) => docWithImage(t, mode).then(() => undefined),
      expectStatus: 404,
    },
    {
      name: 'traversal in the thumb size → original, nothing escapes',
      method: 'GET',
      url: (t) => fileUrl(t, t.vars.one, '?thumb=..%2F..%2Fx'),
      before: (t) => docWithImage(t, mode).then(() => undefined),
      expectStatus: 200,
    },
    {
      name: "another record's filename → 404",
      method: 'GET',
      url: (t) => `/api/files/${t.col('docs')}/${t.vars.other}/${t.vars.one}`,
      before: async (t) => {
        await docWithImage(t, mode);
        t.vars.other = String((await t.createRecord('docs', { title: 'empty' })).id);
      },
      expectStatus: 404,
    },
    { name: 'unknown collection → 404', method: 'GET', url: '/api/files/nope/abc/x.png', expectStatus: 404 },
  ];
}
