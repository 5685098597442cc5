// The backups API as PocketBase answers it: superusers only (downloads by superuser file token), names and
// keys checked before the store is touched (traversal never reaches it), one backup at a time, and restores
// of bad archives (traversal, absolute paths, symlinks, zip bombs, unknown layout, broken database) refused
// with a 400 before anything changes.
import assert from 'node:assert/strict';

import { any, arrayContaining, file, matching, OPEN_RULES, runScenarios, type ScenarioContext } from '@lib/testing';
import { craftZip, SYMLINK_MODE, type CraftEntry } from './support/zip-craft';

const userToken = async (t: ScenarioContext) => (await t.makeUser()).token;
const sqliteHeader = Buffer.from('SQLite format 3\0', 'latin1');

function zipForm(name: string, bytes: Buffer, type = 'application/zip'): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  return form;
}

async function upload(t: ScenarioContext, name: string, entries: CraftEntry[]): Promise<void> {
  const res = await t.su.request('POST', '/api/backups/upload', zipForm(name, craftZip(entries)));
  assert.equal(res.status, 204, res.text);
}

async function fileToken(t: ScenarioContext, token: string): Promise<string> {
  const res = await t.request('POST', '/api/files/token', { token });
  return res.json<{ token: string }>().token;
}

async function createBackup(t: ScenarioContext, name: string): Promise<void> {
  const res = await t.su.request('POST', '/api/backups', { name });
  assert.equal(res.status, 204, res.text);
}

const BUSY = 'Try again later - another backup/restore process has already been started.';

runScenarios('GET /api/backups', [
  { name: 'guest', method: 'GET', url: '/api/backups', auth: 'guest', expectStatus: 401 },
  { name: 'regular user', method: 'GET', url: '/api/backups', auth: userToken, expectStatus: 403 },
  {
    name: 'superuser sees the backups with size and date',
    method: 'GET',
    url: '/api/backups',
    auth: 'superuser',
    before: async (t) => {
      await createBackup(t, `list_${t.suffix}.zip`);
    },
    expectStatus: 200,
    expectBody: (t) =>
      arrayContaining([
        {
          key: `list_${t.suffix}.zip`,
          size: any(Number),
          modified: matching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/),
        },
      ]),
  },
]);

runScenarios('POST /api/backups', [
  { name: 'guest', method: 'POST', url: '/api/backups', auth: 'guest', expectStatus: 401 },
  { name: 'regular user', method: 'POST', url: '/api/backups', auth: userToken, expectStatus: 403 },
  ...['../evil.zip', 'UPPER.zip', 'no-extension', 'a/b.zip', `${'a'.repeat(150)}.zip`].map((name) => ({
    name: `bad name ${name.slice(0, 20)}`,
    method: 'POST' as const,
    url: '/api/backups',
    auth: 'superuser' as const,
    body: { name },
    expectStatus: 400,
    expectBody: { data: { name: { code: 'validation_invalid_backup_name' } } },
  })),
  {
    name: 'default name pb_backup_<stamp>.zip',
    method: 'POST',
    url: '/api/backups',
    auth: 'superuser',
    expectStatus: 204,
    after: async (t) => {
      const keys = (await t.su.expectOk<{ key: string }[]>('GET', '/api/backups')).map((b) => b.key);
      assert.ok(
        keys.some((k) => /^pb_backup_\d{14}\.zip$/.test(k)),
        keys.join(', '),
      );
    },
  },
  {
    name: 'an existing name',
    method: 'POST',
    url: '/api/backups',
    auth: 'superuser',
    before: async (t) => {
      await createBackup(t, `dup_${t.suffix}.zip`);
    },
    body: (t) => ({ name: `dup_${t.suffix}.zip` }),
    expectStatus: 400,
    expectBody: { data: { name: { code: 'validation_backup_name_exists' } } },
  },
  {
    name: 'two at once: one waits for nothing and gets a 400',
    method: 'GET',
    url: '/api/health',
    expectStatus: 200,
    after: async (t) => {
      const big = await t.createCollection({
        name: `big_${t.suffix}`,
        ...OPEN_RULES,
        fields: [file('doc', { maxSize: 64 * 1024 * 1024 })],
      });
      const form = new FormData();
      form.append('doc', new Blob([new Uint8Array(24 * 1024 * 1024).map((_, i) => (i * 7919) % 251)]), 'big.bin');
      assert.equal((await t.su.request('POST', `/api/collections/${big.name}/records`, form)).status, 200);
      const [a, b] = await Promise.all([
        t.su.request('POST', '/api/backups', { name: `race_a_${t.suffix}.zip` }),
        t.su.request('POST', '/api/backups', { name: `race_b_${t.suffix}.zip` }),
      ]);
      const statuses = [a.status, b.status].sort();
      assert.deepEqual(statuses, [204, 400], `${a.text} ${b.text}`);
      const refused = a.status === 400 ? a : b;
      assert.equal(refused.json<{ message: string }>().message, BUSY);
    },
  },
]);

runScenarios('POST /api/backups/upload', [
  { name: 'guest', method: 'POST', url: '/api/backups/upload', auth: 'guest', expectStatus: 401 },
  { name: 'regular user', method: 'POST', url: '/api/backups/upload', auth: userToken, expectStatus: 403 },
  {
    name: 'no file',
    method: 'POST',
    url: '/api/backups/upload',
    auth: 'superuser',
    body: () => new FormData(),
    expectStatus: 400,
    expectBody: { data: { file: { code: 'validation_required' } } },
  },
  {
    name: 'not a zip',
    method: 'POST',
    url: '/api/backups/upload',
    auth: 'superuser',
    body: () => zipForm('text.zip', Buffer.from('just text'), 'text/plain'),
    expectStatus: 400,
    expectBody: { data: { file: { code: 'validation_invalid_mime_type' } } },
  },
  {
    name: 'a zip is stored under its name',
    method: 'POST',
    url: '/api/backups/upload',
    auth: 'superuser',
    body: (t) => zipForm(`up_${t.suffix}.zip`, craftZip([{ name: 'data.db', data: sqliteHeader }])),
    expectStatus: 204,
    after: async (t) => {
      const keys = (await t.su.expectOk<{ key: string }[]>('GET', '/api/backups')).map((b) => b.key);
      assert.ok(keys.includes(`up_${t.suffix}.zip`));
    },
  },
]);

runScenarios('GET /api/backups/{key}', [
  {
    name: 'no token',
    method: 'GET',
    url: (t) => `/api/backups/${t.vars.key}`,
    auth: 'superuser',
    before: async (t) => {
      t.vars.key = `dl_${t.suffix}.zip`;
      await createBackup(t, t.vars.key);
    },
    expectStatus: 403,
    expectBody: { message: 'Insufficient permissions to access the resource.' },
  },
  {
    name: "a user's file token",
    method: 'GET',
    url: (t) => `/api/backups/${t.vars.key}?token=${t.vars.token}`,
    before: async (t) => {
      t.vars.key = `dl2_${t.suffix}.zip`;
      await createBackup(t, t.vars.key);
      t.vars.token = await fileToken(t, (await t.makeUser()).token);
    },
    expectStatus: 403,
  },
  {
    name: "a superuser's auth token is not a file token",
    method: 'GET',
    url: (t) => `/api/backups/x.zip?token=${t.su.token}`,
    expectStatus: 403,
  },
  ...['..%2Fdata.db', '..%2F..%2Fetc%2Fpasswd', '.hidden.zip', 'data.db', '%2Fetc%2Fpasswd.zip'].map((key) => ({
    name: `bad key ${key}`,
    method: 'GET' as const,
    url: (t: ScenarioContext) => `/api/backups/${key}?token=${t.vars.token}`,
    before: async (t: ScenarioContext) => {
      t.vars.token = await fileToken(t, t.su.token);
    },
    expectStatus: 400,
    expectBody: { message: 'Missing or invalid backup file.' },
  })),
  {
    name: 'superuser file token downloads the zip',
    method: 'GET',
    url: (t) => `/api/backups/${t.vars.key}?token=${t.vars.token}`,
    before: async (t) => {
      t.vars.key = `dl3_${t.suffix}.zip`;
      await createBackup(t, t.vars.key);
      t.vars.token = await fileToken(t, t.su.token);
    },
    expectStatus: 200,
    after: async (t, res) => {
      assert.equal(res.headers.get('content-type'), 'application/zip');
      assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`attachment; filename="${t.vars.key}"`));
    },
  },
]);

runScenarios('DELETE /api/backups/{key}', [
  { name: 'guest', method: 'DELETE', url: '/api/backups/x.zip', auth: 'guest', expectStatus: 401 },
  { name: 'regular user', method: 'DELETE', url: '/api/backups/x.zip', auth: userToken, expectStatus: 403 },
  { name: 'missing', method: 'DELETE', url: '/api/backups/missing.zip', auth: 'superuser', expectStatus: 400 },
  { name: 'traversal', method: 'DELETE', url: '/api/backups/..%2Fdata.db', auth: 'superuser', expectStatus: 400 },
  {
    name: 'deletes',
    method: 'DELETE',
    url: (t) => `/api/backups/del_${t.suffix}.zip`,
    auth: 'superuser',
    before: async (t) => {
      await createBackup(t, `del_${t.suffix}.zip`);
    },
    expectStatus: 204,
    after: async (t) => {
      const keys = (await t.su.expectOk<{ key: string }[]>('GET', '/api/backups')).map((b) => b.key);
      assert.ok(!keys.includes(`del_${t.suffix}.zip`));
    },
  },
]);

const BAD_ARCHIVES: [string, CraftEntry[]][] = [
  [
    'a traversal entry',
    [
      { name: 'data.db', data: sqliteHeader },
      { name: '../escaped.txt', data: Buffer.from('x') },
    ],
  ],
  [
    'an absolute entry',
    [
      { name: 'data.db', data: sqliteHeader },
      { name: '/tmp/abs.txt', data: Buffer.from('x') },
    ],
  ],
  [
    'a nested traversal',
    [
      { name: 'data.db', data: sqliteHeader },
      { name: 'storage/../../x', data: Buffer.from('x') },
    ],
  ],
  [
    'a symlink',
    [
      { name: 'data.db', data: sqliteHeader },
      { name: 'storage/link', data: Buffer.from('/etc/passwd'), mode: SYMLINK_MODE },
    ],
  ],
  ['a zip bomb', [{ name: 'data.db', data: Buffer.alloc(80 * 1024 * 1024), deflate: true }]],
  ['no data.db', [{ name: 'storage/a.txt', data: Buffer.from('x') }]],
  [
    'an unknown layout',
    [
      { name: 'data.db', data: sqliteHeader },
      { name: 'pb_hooks/evil.pb.js', data: Buffer.from('x') },
    ],
  ],
  ['a broken database', [{ name: 'data.db', data: Buffer.from('not a database') }]],
];

runScenarios('POST /api/backups/{key}/restore (refused, nothing changes)', [
  { name: 'guest', method: 'POST', url: '/api/backups/x.zip/restore', auth: 'guest', expectStatus: 401 },
  { name: 'regular user', method: 'POST', url: '/api/backups/x.zip/restore', auth: userToken, expectStatus: 403 },
  {
    name: 'missing',
    method: 'POST',
    url: '/api/backups/missing.zip/restore',
    auth: 'superuser',
    expectStatus: 400,
    expectBody: { message: 'Missing or invalid backup file.' },
  },
  ...BAD_ARCHIVES.map(([label, entries], i) => ({
    name: `an archive with ${label}`,
    method: 'POST' as const,
    url: (t: ScenarioContext) => `/api/backups/bad${i}_${t.suffix}.zip/restore`,
    auth: 'superuser' as const,
    before: async (t: ScenarioContext) => {
      await upload(t, `bad${i}_${t.suffix}.zip`, entries);
      t.vars.marker = (await t.createCollection({ name: `keep${i}_${t.suffix}`, ...OPEN_RULES })).id;
    },
    expectStatus: 400,
    expectBody: { message: matching(/^Invalid backup archive/) },
    after: async (t: ScenarioContext) => {
      // A restore that was accepted holds the backups lock until the restart: a later one would get "Try again
      // later". "Missing" instead proves none is pending (no waiting for a swap that must not come).
      const probe = await t.su.request('POST', `/api/backups/none_${t.suffix}.zip/restore`);
      assert.equal(probe.json<{ message: string }>().message, 'Missing or invalid backup file.');
      await t.su.expectOk('GET', `/api/collections/${t.vars.marker}`);
    },
  })),
]);
