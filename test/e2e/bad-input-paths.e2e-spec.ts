// Bad-input corpus, path parameters: traversal (`../`, `..%2F`, `%2e%2e`), NUL, overlong UTF-8, encoded
// surrogates, right-to-left and combining marks in the collection, record id, file name, backup key, cron id and
// log id of every route that has one; malformed percent-encoding. Each: a 4xx in the envelope, nothing served
// from outside the route, nothing changed.
import assert from 'node:assert/strict';

import { file, LOCKED_RULES, OPEN_RULES, runScenarios, Scenario, ScenarioContext, text } from '@lib/testing';

import { envelope, hostileRows, URL_UNICODE } from './support/hostile';

const U = URL_UNICODE;

/** `docs` (open, a file field) with one record holding `a.txt`, and `vault` (locked) with one record. */
async function world(t: ScenarioContext): Promise<void> {
  await t.createCollection({ name: 'docs', ...OPEN_RULES, fields: [text('title'), file('f', { maxSelect: 1 })] });
  const form = new FormData();
  form.append('title', 'kept');
  form.append('f', new Blob(['hello']), 'a.txt');
  const res = await t.request('POST', t.records('docs'), { body: form });
  assert.equal(res.status, 200, res.text);
  const rec = res.json<{ id: string; f: string }>();
  t.vars.doc = rec.id;
  t.vars.file = rec.f;
  await t.createCollection({ name: 'vault', ...LOCKED_RULES, fields: [text('secret')] });
  t.vars.vault = (await t.createRecord('vault', { secret: 'VAULT-CONTENT' })).id;
}

/** Nothing of the world changed. */
async function intact(t: ScenarioContext): Promise<void> {
  const doc = await t.findRecord('docs', t.vars.doc);
  assert.equal(doc?.title, 'kept');
  assert.equal(doc?.f, t.vars.file);
  assert.equal((await t.findRecord('vault', t.vars.vault))?.secret, 'VAULT-CONTENT');
  assert.equal((await t.su.get('/api/collections/users')).status, 200);
}

/** A guest (or `auth`) request on `url` that must be a 4xx `status`, leak nothing and change nothing. */
function probe(
  name: string,
  method: Scenario['method'],
  url: (t: ScenarioContext) => string,
  status: number,
): Scenario {
  return {
    name: `${method} ${name} → ${status}`,
    method,
    url,
    before: world,
    body: method === 'POST' || method === 'PATCH' ? { title: 'changed', secret: 'changed' } : undefined,
    expectStatus: status,
    expectNotContains: ['VAULT-CONTENT', 'hello'],
    after: intact,
  };
}

/** The same, sent as superuser (the routes that need one). */
const asSuperuser = (row: Scenario): Scenario => ({ ...row, auth: 'superuser' });
/** The same, with the path sent exactly as written. */
const verbatim = (row: Scenario): Scenario => ({ ...row, verbatim: true, name: `${row.name} (verbatim)` });

runScenarios(
  'bad input: collection and record id path params',
  hostileRows([
    probe('collection ..%2Fvault', 'GET', (t) => `/api/collections/..%2F${t.col('vault')}/records`, 404),
    verbatim(probe('collection ../vault', 'GET', (t) => `/api/collections/docs/../${t.col('vault')}/records`, 404)),
    verbatim(
      probe('records/../../vault/records', 'GET', (t) => `${t.records('docs')}/../../${t.col('vault')}/records`, 404),
    ),
    probe('collection with NUL', 'GET', (t) => `/api/collections/${t.col('docs')}%00/records`, 404),
    probe('collection with an overlong "."', 'GET', () => `/api/collections/${U.overlongDot}/records`, 400),
    probe('collection with an encoded surrogate', 'GET', () => `/api/collections/${U.surrogate}/records`, 400),
    probe('collection with RTL override', 'GET', (t) => `/api/collections/${U.rtl}${t.col('docs')}/records`, 404),
    {
      ...probe('collection with malformed %', 'GET', () => '/api/collections/%zz/records', 400),
      expectBody: envelope(400, { message: 'Invalid URL: malformed percent-encoding or invalid UTF-8 in the path.' }),
    },
    probe('record id ..%2F..%2Fvault', 'GET', (t) => t.records('docs', `..%2F..%2F${t.col('vault')}`), 404),
    probe('record id with NUL', 'GET', (t) => t.records('docs', `${t.vars.doc}%00`), 404),
    probe('record id with combining marks', 'GET', (t) => t.records('docs', `${t.vars.doc}${U.combining}`), 404),
    probe('record id with invalid bytes', 'GET', (t) => t.records('docs', U.invalidByte), 400),
    probe('update through id/..', 'PATCH', (t) => t.records('docs', `${t.vars.doc}%2F..`), 404),
    probe('update of a vault id through docs', 'PATCH', (t) => t.records('docs', t.vars.vault), 404),
    probe('delete with id%00', 'DELETE', (t) => t.records('docs', `${t.vars.doc}%00`), 404),
    verbatim(probe('delete docs/records/x/..', 'DELETE', (t) => t.records('docs', `${t.vars.doc}/..`), 404)),
    probe('impersonate ..%2F_superusers', 'POST', () => '/api/collections/users/impersonate/..%2F_superusers', 401),
    asSuperuser(probe('collection update ..%2Fusers', 'PATCH', () => '/api/collections/..%2Fusers', 404)),
    asSuperuser(
      probe(
        'collection delete docs%2F..%2Fvault',
        'DELETE',
        (t) => `/api/collections/docs%2F..%2F${t.col('vault')}`,
        404,
      ),
    ),
    asSuperuser(
      probe('truncate with an encoded surrogate', 'DELETE', () => `/api/collections/${U.surrogate}/truncate`, 400),
    ),
  ]),
);

const fileUrl = (t: ScenarioContext, collection: string, id: string, name: string) =>
  `/api/files/${collection}/${id}/${name}`;

runScenarios(
  'bad input: file path params',
  hostileRows([
    probe(
      'filename ..%2F..%2F..%2Fdata.db',
      'GET',
      (t) => fileUrl(t, t.col('docs'), t.vars.doc, '..%2F..%2F..%2Fdata.db'),
      404,
    ),
    verbatim(
      probe('filename ../../../data.db', 'GET', (t) => fileUrl(t, t.col('docs'), t.vars.doc, '../../../data.db'), 404),
    ),
    verbatim(
      probe(
        'filename %2e%2e%2f',
        'GET',
        (t) => fileUrl(t, t.col('docs'), t.vars.doc, '%2e%2e%2f%2e%2e%2fdata.db'),
        404,
      ),
    ),
    probe(
      'stored name + NUL + .txt',
      'GET',
      (t) => fileUrl(t, t.col('docs'), t.vars.doc, `${t.vars.file}%00.txt`),
      404,
    ),
    probe(
      'filename with an overlong "/"',
      'GET',
      (t) => fileUrl(t, t.col('docs'), t.vars.doc, `..${U.overlongSlash}data.db`),
      400,
    ),
    probe('record id ..%2F', 'GET', (t) => fileUrl(t, t.col('docs'), `..%2F${t.vars.doc}`, t.vars.file), 404),
    probe('collection ..%2F..', 'GET', (t) => fileUrl(t, '..%2F..', t.vars.doc, t.vars.file), 404),
    probe('vault collection with a docs file', 'GET', (t) => fileUrl(t, t.col('vault'), t.vars.doc, t.vars.file), 404),
    probe(
      'filename with CR/LF and a header',
      'GET',
      (t) => fileUrl(t, t.col('docs'), t.vars.doc, 'a%0D%0ASet-Cookie:%20x=1'),
      404,
    ),
    {
      name: 'thumb=../../data.db serves the original (an unknown size), nothing else',
      method: 'GET',
      url: (t) => `${fileUrl(t, t.col('docs'), t.vars.doc, t.vars.file)}?thumb=..%2F..%2Fdata.db`,
      before: world,
      expectStatus: 200,
      after: async (t, res) => {
        assert.equal(res.text, 'hello');
        await intact(t);
      },
    },
  ]),
);

/** A superuser file token (backup downloads authenticate with one). */
async function fileToken(t: ScenarioContext): Promise<string> {
  return (await t.su.expectOk<{ token: string }>('POST', '/api/files/token')).token;
}

runScenarios(
  'bad input: backup key, cron id and log id path params',
  hostileRows([
    ...['..%2F..%2Fdata.db', '..%2Fdata.db', '%2e%2e%2fdata.db', `x${U.nul}.zip`, `${U.surrogate}.zip`].map(
      (key): Scenario => ({
        name: `download backup ${key} → 400, nothing served`,
        method: 'GET',
        url: (t) => `/api/backups/${key}?token=${t.vars.token}`,
        before: async (t) => {
          t.vars.token = await fileToken(t);
        },
        expectStatus: 400,
        expectNotContains: ['SQLite format'],
      }),
    ),
    verbatim({
      name: 'download backup ../../data.db',
      method: 'GET',
      url: (t) => `/api/backups/../../data.db?token=${t.vars.token}`,
      before: async (t) => {
        t.vars.token = await fileToken(t);
      },
      expectStatus: 404,
      expectNotContains: ['SQLite format'],
    }),
    {
      name: 'download backup x%0D%0ASet-Cookie → 400, no header injected',
      method: 'GET',
      url: (t) => `/api/backups/x%0D%0ASet-Cookie:%20a=b.zip?token=${t.vars.token}`,
      before: async (t) => {
        t.vars.token = await fileToken(t);
      },
      expectStatus: 400,
      after: async (_t, res) => assert.equal(res.headers.get('set-cookie'), null),
    },
    {
      name: 'delete backup ..%2Fdata.db',
      method: 'DELETE',
      url: '/api/backups/..%2Fdata.db',
      auth: 'superuser',
      expectStatus: 400,
    },
    {
      name: 'restore backup ..%2Fdata.db',
      method: 'POST',
      url: '/api/backups/..%2Fdata.db/restore',
      auth: 'superuser',
      expectStatus: 400,
    },
    {
      name: 'create backup named ../evil.zip',
      method: 'POST',
      url: '/api/backups',
      auth: 'superuser',
      body: { name: '../evil.zip' },
      expectStatus: 400,
    },
    {
      name: 'run cron ..%2F__pbLogsCleanup__',
      method: 'POST',
      url: '/api/crons/..%2F__pbLogsCleanup__',
      auth: 'superuser',
      expectStatus: 404,
    },
    {
      name: 'run cron with NUL',
      method: 'POST',
      url: `/api/crons/__pbLogsCleanup__${U.nul}`,
      auth: 'superuser',
      expectStatus: 404,
    },
    { name: 'run cron __proto__', method: 'POST', url: '/api/crons/__proto__', auth: 'superuser', expectStatus: 404 },
    {
      name: 'log id ..%2F..%2Fsettings',
      method: 'GET',
      url: '/api/logs/..%2F..%2Fsettings',
      auth: 'superuser',
      expectStatus: 404,
    },
    {
      name: "log id ' OR 1=1",
      method: 'GET',
      url: `/api/logs/${encodeURIComponent("' OR 1=1 --")}`,
      auth: 'superuser',
      expectStatus: 404,
    },
    {
      name: 'log id with an encoded surrogate',
      method: 'GET',
      url: `/api/logs/${U.surrogate}`,
      auth: 'superuser',
      expectStatus: 400,
    },
    { name: 'run cron as a guest', method: 'POST', url: '/api/crons/__pbLogsCleanup__', expectStatus: 401 },
  ]),
);
