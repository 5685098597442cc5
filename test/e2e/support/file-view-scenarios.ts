// Files of view collections: view columns read from a file field are `file` fields, and their files
// are served from the source record's storage folder (reference §2.5).
import assert from 'node:assert/strict';

import { file, FieldJson, RecordJson, Scenario, ScenarioContext, text } from '@lib/testing';

import { docWithImage, fetchRaw, FileMode, form } from './file-helpers';
import { imageSize } from './images';

function viewUrl(t: ScenarioContext, id: string, name: string, query = ''): string {
  return `/api/files/${t.col('dv')}/${id}/${encodeURIComponent(name)}${query}`;
}

/** A docs record with an image, and a view over it made by `viewQuery(docsTable)`. */
async function docsView(t: ScenarioContext, mode: FileMode, viewQuery: (docs: string) => string): Promise<void> {
  await docWithImage(t, mode);
  const view = await t.createCollection({
    name: 'dv',
    type: 'view',
    viewRule: '',
    viewQuery: viewQuery(t.col('docs')),
  });
  t.data = { png: t.data, fields: view.fields };
}

const png = (t: ScenarioContext) => (t.data as { png: Buffer }).png;

export function viewScenarios(mode: FileMode): Scenario[] {
  return [
    {
      name: 'view columns read from file fields are file fields with the source options',
      method: 'GET',
      url: (t) => t.records('dv', t.vars.rec),
      before: (t) => docsView(t, mode, (docs) => `SELECT id, title, one, many AS files FROM ${docs}`),
      expectStatus: 200,
      expectBody: (t) => ({ id: t.vars.rec, one: t.vars.one, files: [] }),
      after: async (t) => {
        const fields = (t.data as { fields: FieldJson[] }).fields;
        assert.deepEqual(
          fields.map((f) => [f.name, f.type]),
          [
            ['id', 'text'],
            ['title', 'text'],
            ['one', 'file'],
            ['files', 'file'],
          ],
        );
        assert.equal(fields.find((f) => f.name === 'files')?.maxSelect, 3);
        assert.deepEqual(fields.find((f) => f.name === 'one')?.thumbs, [
          '60x40',
          '60x40t',
          '60x40b',
          '50x50f',
          '0x50',
          '30x0',
        ]);
      },
    },
    {
      name: "a view's file is served from the source record, thumbs too",
      method: 'GET',
      url: (t) => viewUrl(t, t.vars.rec, t.vars.one),
      before: (t) => docsView(t, mode, (docs) => `SELECT id, one FROM ${docs}`),
      expectStatus: 200,
      after: async (t) => {
        const got = await fetchRaw(t, viewUrl(t, t.vars.rec, t.vars.one));
        assert.ok(got.bytes.equals(png(t)));
        const thumb = await fetchRaw(t, viewUrl(t, t.vars.rec, t.vars.one, '?thumb=60x40'));
        assert.deepEqual(imageSize(thumb.bytes), { type: 'png', width: 60, height: 40 });
      },
    },
    {
      name: 'a view with its own ids (aliased file column) still finds the source record',
      method: 'GET',
      url: (t) => viewUrl(t, `v${t.vars.rec}`, t.vars.one),
      before: (t) => docsView(t, mode, (docs) => `SELECT 'v' || d.id AS id, d.one AS picture FROM ${docs} d`),
      expectStatus: 200,
      after: async (t) => {
        const got = await fetchRaw(t, viewUrl(t, `v${t.vars.rec}`, t.vars.one));
        assert.ok(got.bytes.equals(png(t)));
      },
    },
    {
      name: "a filename the view row doesn't hold → 404",
      method: 'GET',
      url: (t) => viewUrl(t, t.vars.rec, 'other_abcdefghij.png'),
      before: (t) => docsView(t, mode, (docs) => `SELECT id, one FROM ${docs}`),
      expectStatus: 404,
    },
    {
      name: 'a file column computed by an expression stays json and is not served',
      method: 'GET',
      url: (t) => viewUrl(t, t.vars.rec, t.vars.one),
      before: (t) => docsView(t, mode, (docs) => `SELECT id, (one || '') AS one FROM ${docs}`),
      expectStatus: 404,
    },
    {
      name: "a view of a protected file: 404 without a token, 200 with a file token the view's rule lets in",
      method: 'GET',
      url: (t) => `/api/files/${t.col('sv')}/${t.vars.rec}/${t.vars.doc}`,
      before: async (t) => {
        await mode.setup(t);
        await t.createCollection({ name: 'sd', fields: [text('title'), file('doc', { protected: true })] });
        const rec = await t.su.expectOk<RecordJson>(
          'POST',
          t.records('sd'),
          form([['doc', 'top secret', 'secret.txt']]),
        );
        [t.vars.rec, t.vars.doc] = [String(rec.id), String(rec.doc)];
        await t.createCollection({
          name: 'sv',
          type: 'view',
          viewRule: '@request.auth.id != ""',
          viewQuery: `SELECT id, doc FROM ${t.col('sd')}`,
        });
      },
      expectStatus: 404,
      after: async (t) => {
        const user = await t.makeUser();
        const res = await t.request('POST', '/api/files/token', { token: user.token });
        const url = `/api/files/${t.col('sv')}/${t.vars.rec}/${t.vars.doc}`;
        const got = await fetchRaw(t, `${url}?token=${res.json<{ token: string }>().token}`);
        assert.equal(got.status, 200);
        assert.equal(got.bytes.toString(), 'top secret');
      },
    },
  ];
}
