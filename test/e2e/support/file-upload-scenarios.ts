// Uploads with record create/update: modifiers, stored names, limits, spoofed types, bad names.
import assert from 'node:assert/strict';

import { arrayOfLength, file, matching, OPEN_RULES, RecordJson, Scenario, ScenarioContext } from '@lib/testing';

import { docsCollection, docWithImage, eventually, fetchRaw, fileUrl, FileMode, form } from './file-helpers';
import { makeImage } from './images';

const NAME = (base: string, ext: string) => matching(new RegExp(`^${base}_[a-z0-9]{10}\\${ext}$`));

async function docs(t: ScenarioContext, mode: FileMode): Promise<void> {
  await mode.setup(t);
  await docsCollection(t);
}

/** A record with two files in `many` (a.txt, b.txt); `t.vars.a`, `t.vars.b`. */
async function withTwo(t: ScenarioContext, mode: FileMode): Promise<void> {
  await docs(t, mode);
  const res = await t.request('POST', t.records('docs'), {
    body: form([
      ['many', 'first', 'alpha.txt'],
      ['many', 'second', 'beta.txt'],
    ]),
  });
  assert.equal(res.status, 200, res.text);
  const rec = res.json<RecordJson & { many: string[] }>();
  [t.vars.rec, t.vars.a, t.vars.b] = [String(rec.id), rec.many[0], rec.many[1]];
}

function storedGone(mode: FileMode, t: ScenarioContext, name: string): Promise<void> {
  return eventually(async () => {
    const res = await fetchRaw(t, fileUrl(t, name));
    const keys = mode.keys?.(`${t.id('docs')}/${t.vars.rec}/`) ?? [];
    return res.status === 404 && !keys.some((k) => k.endsWith(`/${name}`));
  }, `${name} removed`);
}

/** 19 MiB that no two parts of share: stored in several multipart parts on S3 (8 MiB each) plus a remainder. */
const BIG = Buffer.from(new Uint8Array(19 * 1024 * 1024 + 5).map((_, i) => (i * 7919 + (i >> 20)) % 251));

export function uploadScenarios(mode: FileMode): Scenario[] {
  return [
    {
      name: 'a file of several upload parts is stored and served byte for byte',
      method: 'POST',
      url: (t) => t.records('bigdocs'),
      before: async (t) => {
        await mode.setup(t);
        await t.createCollection({
          name: 'bigdocs',
          ...OPEN_RULES,
          fields: [file('blob', { maxSize: 32 * 1024 * 1024 })],
        });
      },
      body: () => form([['blob', BIG, 'big.bin']]),
      expectStatus: 200,
      after: async (t, res) => {
        const rec = res.json<RecordJson & { blob: string }>();
        const got = await fetchRaw(t, `/api/files/${t.col('bigdocs')}/${String(rec.id)}/${rec.blob}`);
        assert.equal(got.status, 200);
        assert.equal(got.bytes.length, BIG.length);
        assert.ok(got.bytes.equals(BIG), 'the bytes served are the bytes uploaded');
      },
    },
    {
      name: 'create with uploads: PocketBase stored names, values as names',
      method: 'POST',
      url: (t) => t.records('docs'),
      before: (t) => docs(t, mode),
      body: () =>
        form([
          ['title', 'x'],
          ['one', 'hello', 'My Holiday Photo.TXT'],
          ['many', '1', 'a.txt'],
          ['many', '2', 'report-2024.final.pdf'],
        ]),
      expectStatus: 200,
      expectBody: {
        title: 'x',
        one: NAME('my_holiday_photo', '.TXT'),
        many: [matching(/^a[a-z0-9]{10}_[a-z0-9]{10}\.txt$/), NAME('report_2024_final', '.pdf')],
      },
      after: async (t, res) => {
        const rec = res.json<Record<string, unknown>>();
        t.vars.rec = String(rec.id);
        const got = await fetchRaw(t, fileUrl(t, String(rec.one)));
        assert.equal(got.bytes.toString(), 'hello');
        if (mode.keys) {
          assert.equal(mode.keys(`${t.id('docs')}/${t.vars.rec}/`).length, 3, 'three objects in the bucket');
        }
      },
    },
    {
      name: 'bytes read back identical (binary image)',
      method: 'GET',
      url: (t) => fileUrl(t, t.vars.one),
      before: (t) => docWithImage(t, mode).then(() => undefined),
      expectStatus: 200,
      after: async (t) => {
        const got = await fetchRaw(t, fileUrl(t, t.vars.one));
        assert.ok(got.bytes.equals(t.data as Buffer), 'same bytes');
        assert.equal(got.headers.get('content-length'), String((t.data as Buffer).length));
      },
    },
    {
      name: 'field+ appends uploads',
      method: 'PATCH',
      url: (t) => t.records('docs', t.vars.rec),
      before: (t) => withTwo(t, mode),
      body: () => form([['many+', 'third', 'gamma.txt']]),
      expectStatus: 200,
      expectBody: (t) => ({ many: [t.vars.a, t.vars.b, NAME('gamma', '.txt')] }),
    },
    {
      name: '+field prepends uploads',
      method: 'PATCH',
      url: (t) => t.records('docs', t.vars.rec),
      before: (t) => withTwo(t, mode),
      body: () => form([['+many', 'zero', 'zero.txt']]),
      expectStatus: 200,
      expectBody: (t) => ({ many: [NAME('zero', '.txt'), t.vars.a, t.vars.b] }),
    },
    {
      name: 'field- removes by name; the file is deleted after commit',
      method: 'PATCH',
      url: (t) => t.records('docs', t.vars.rec),
      before: (t) => withTwo(t, mode),
      body: (t) => ({ 'many-': [t.vars.a] }),
      expectStatus: 200,
      expectBody: (t) => ({ many: [t.vars.b] }),
      after: async (t) => {
        await storedGone(mode, t, t.vars.a);
        assert.equal((await fetchRaw(t, fileUrl(t, t.vars.b))).status, 200);
      },
    },
    {
      name: 'field with kept names and a new upload: merged, the dropped one deleted',
      method: 'PATCH',
      url: (t) => t.records('docs', t.vars.rec),
      before: (t) => withTwo(t, mode),
      body: (t) =>
        form([
          ['many', t.vars.b],
          ['many', 'new', 'new.txt'],
        ]),
      expectStatus: 200,
      expectBody: (t) => ({ many: [t.vars.b, NAME('new', '.txt')] }),
      after: (t) => storedGone(mode, t, t.vars.a),
    },
    {
      name: 'field with only uploads replaces every file',
      method: 'PATCH',
      url: (t) => t.records('docs', t.vars.rec),
      before: (t) => withTwo(t, mode),
      body: () => form([['many', 'solo', 'solo.txt']]),
      expectStatus: 200,
      expectBody: { many: [NAME('solo', '.txt')] },
      after: async (t) => {
        await storedGone(mode, t, t.vars.a);
        await storedGone(mode, t, t.vars.b);
      },
    },
    {
      name: 'replacing a single file deletes the old one (and its thumbs)',
      method: 'PATCH',
      url: (t) => t.records('docs', t.vars.rec),
      before: async (t) => {
        await docWithImage(t, mode);
        assert.equal((await fetchRaw(t, fileUrl(t, t.vars.one, '?thumb=100x100'))).status, 200);
      },
      body: (t) => form([['one', t.data as Buffer, 'next.png']]),
      expectStatus: 200,
      expectBody: { one: NAME('next', '.png') },
      after: async (t) => {
        await storedGone(mode, t, t.vars.one);
        if (mode.keys) {
          await eventually(() => mode.keys!(`${t.id('docs')}/${t.vars.rec}/`).length === 1, 'only the new file left');
        }
      },
    },
    {
      name: 'JSON body: field = "" clears a single file field',
      method: 'PATCH',
      url: (t) => t.records('docs', t.vars.rec),
      before: (t) => docWithImage(t, mode).then(() => undefined),
      body: { one: '' },
      expectStatus: 200,
      expectBody: { one: '' },
      after: (t) => storedGone(mode, t, t.vars.one),
    },
    {
      name: "names that are not the record's files are rejected (no injected strings)",
      method: 'PATCH',
      url: (t) => t.records('docs', t.vars.rec),
      before: (t) => withTwo(t, mode),
      body: (t) => ({ many: [t.vars.a, '../../data.db'] }),
      expectStatus: 400,
      expectBody: { data: { many: { code: 'validation_invalid_file' } } },
    },
    {
      name: 'more uploads than maxSelect → 400',
      method: 'POST',
      url: (t) => t.records('docs'),
      before: (t) => docs(t, mode),
      body: () =>
        form([
          ['many', '1', '1.txt'],
          ['many', '2', '2.txt'],
          ['many', '3', '3.txt'],
          ['many', '4', '4.txt'],
        ]),
      expectStatus: 400,
      expectBody: { data: { many: { code: 'validation_too_many_values' } } },
    },
    {
      name: 'a file over the field maxSize → 400',
      method: 'POST',
      url: (t) => t.records('docs'),
      before: (t) => docs(t, mode),
      body: () => form([['one', Buffer.alloc(100_001, 1), 'big.bin']]),
      expectStatus: 400,
      expectBody: { data: { one: { code: 'validation_file_size_limit' } } },
      after: async (t) => assert.equal(await t.countRecords('docs'), 0),
    },
    {
      name: 'a body over the global upload limit → 413',
      method: 'POST',
      url: (t) => t.records('docs'),
      before: (t) => docs(t, mode),
      body: () => form([['one', Buffer.alloc(48 * 1024 * 1024, 1), 'huge.bin']]),
      expectStatus: 413,
      expectBody: { status: 413, message: 'Request entity too large.' },
    },
    {
      name: 'spoofed type: HTML named .png claiming image/png is refused by a png-only field',
      method: 'POST',
      url: (t) => t.records('docs'),
      before: (t) => docs(t, mode),
      body: () => form([['png_only', '<html><script>alert(1)</script></html>', 'evil.png', 'image/png']]),
      expectStatus: 400,
      expectBody: { data: { png_only: { code: 'validation_invalid_mime_type' } } },
    },
    {
      name: 'a real PNG passes the png-only field whatever the client claims',
      method: 'POST',
      url: (t) => t.records('docs'),
      before: async (t) => {
        await docs(t, mode);
        t.data = await makeImage(4, 4);
      },
      body: (t) => form([['png_only', t.data as Buffer, 'pic.bin', 'text/plain']]),
      expectStatus: 200,
      expectBody: { png_only: NAME('pic', '.bin') },
    },
    {
      name: 'spoofed type: HTML named .png is served as an HTML attachment, sandboxed',
      method: 'POST',
      url: (t) => t.records('docs'),
      before: (t) => docs(t, mode),
      body: () => form([['one', '<!DOCTYPE html><html><script>alert(1)</script></html>', 'evil.png', 'image/png']]),
      expectStatus: 200,
      after: async (t, res) => {
        t.vars.rec = String(res.json<RecordJson>().id);
        const got = await fetchRaw(t, fileUrl(t, String(res.json<RecordJson>().one)));
        assert.match(got.headers.get('content-type') ?? '', /^text\/html/);
        assert.match(got.headers.get('content-disposition') ?? '', /^attachment/);
        assert.match(got.headers.get('content-security-policy') ?? '', /sandbox/);
        assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      },
    },
    {
      name: 'SVG is never inline (scripts in SVG)',
      method: 'POST',
      url: (t) => t.records('docs'),
      before: (t) => docs(t, mode),
      body: () => form([['one', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'x.svg']]),
      expectStatus: 200,
      after: async (t, res) => {
        t.vars.rec = String(res.json<RecordJson>().id);
        const got = await fetchRaw(t, fileUrl(t, String(res.json<RecordJson>().one)));
        assert.equal(got.headers.get('content-type'), 'image/svg+xml');
        assert.match(got.headers.get('content-disposition') ?? '', /^attachment/);
      },
    },
    {
      name: 'deleting the record removes its files after commit',
      method: 'DELETE',
      url: (t) => t.records('docs', t.vars.rec),
      before: (t) => withTwo(t, mode),
      expectStatus: 204,
      after: async (t) => {
        await storedGone(mode, t, t.vars.a);
        if (mode.keys) {
          await eventually(() => mode.keys!(`${t.id('docs')}/${t.vars.rec}/`).length === 0, 'record folder emptied');
        }
      },
    },
    {
      name: 'a failed create stores nothing',
      method: 'POST',
      url: (t) => t.records('docs'),
      before: (t) => docs(t, mode),
      body: () =>
        form([
          ['one', 'ok', 'ok.txt'],
          ['many', '1', '1.txt'],
          ['many', '2', '2.txt'],
          ['many', '3', '3.txt'],
          ['many', '4', '4.txt'],
        ]),
      expectStatus: 400,
      after: async (t) => {
        assert.equal(await t.countRecords('docs'), 0);
        assert.deepEqual(mode.keys?.(`${t.id('docs')}/`) ?? [], []);
      },
    },
    {
      name: 'uploads to a non-file field are ignored',
      method: 'POST',
      url: (t) => t.records('docs'),
      before: (t) => docs(t, mode),
      body: () =>
        form([
          ['title', 'kept'],
          ['title', 'x', 'x.txt'],
        ]),
      expectStatus: 200,
      expectBody: { title: 'kept', one: '', many: arrayOfLength(0) },
    },
  ];
}
