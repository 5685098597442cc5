// The globals of PocketBase's JavaScript hooks nestbase took on last, run from a PocketBase-style file
// (support/jsvm-globals-files.ts) in the shape of PocketBase's documentation: $filepath (Go's answers), $os.cmd /
// $os.exec (output, combined output, a failing exit), Cookie with e.setCookie / e.request.cookie, and
// $apis.enrichRecord(s) answering a record as the API would to the requester (hidden email, rule-checked expand);
// onRecordAfter…Error hooks fire once the failed write rolled back, so what they write stays; $dbx expressions.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  DEFAULT_PASSWORD,
  HttpClient,
  LOCKED_RULES,
  ManagedProcess,
  relation,
  startNestbase,
  TEST_CEILING_MS,
  text,
  tokenFor,
  uniqueEmail,
} from '@lib/testing';

import { writeHooksDir } from './support/hooks-files';
import { HK_FAILURES, HK_ITEMS, HK_PEOPLE, HK_TEAMS, JSVM_GLOBALS } from './support/jsvm-globals-files';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { PB_ADMIN_EMAIL: 'jsvm-globals@example.com', PB_ADMIN_PASSWORD: 'Jsvm-Globals-Passw0rd' };
type Obj = Record<string, unknown>;

void describe('PocketBase-style hook files: $filepath, $os.cmd, Cookie, $apis.enrichRecord', () => {
  const work = mkdtempSync(join(tmpdir(), 'nb-jsvm-globals-'));
  const hooks = writeHooksDir({ 'globals.pb.js': JSVM_GLOBALS });
  let proc: ManagedProcess;
  let http: HttpClient;
  let su = '';
  const get = (url: string, token = '', headers: Record<string, string> = {}) =>
    http.request('GET', url, { token, headers });
  const post = async (url: string, body: Obj) => {
    const res = await http.request('POST', url, { body, token: su });
    assert.equal(res.status, 200, res.text);
    return res.json<{ id: string }>();
  };

  before(async () => {
    proc = await startNestbase(join(work, 'pb_data'), ['--hooksDir', hooks], { env: SU });
    http = new HttpClient(proc.baseUrl);
    su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
  });
  after(() => {
    proc?.kill();
    [work, hooks].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  void it('$filepath answers as Go does; glob and walk see the hooks directory', TIMEOUT, async () => {
    const res = await get('/hk-globals/paths');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      base: 'report.final.pdf',
      dir: '/srv/pb_public',
      ext: '.pdf',
      clean: 'views/layout.html',
      join: 'views/emails/welcome.html',
      rel: '../c/d',
      split: ['/srv/pb_public/', 'index.html'],
      match: [true, false],
      glob: ['globals.pb.js'],
      walked: ['globals.pb.js'],
    });
  });

  void it('$os.cmd: output in its dir and env, combined output, a failing exit throws', TIMEOUT, async () => {
    const res = await get('/hk-globals/cmd');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      output: `hello from ${hooks}\n`,
      combined: 'out\nerr\n',
      failure: 'exit status 3',
    });
  });

  void it('Cookie: e.setCookie sends Set-Cookie as Go writes it; e.request.cookie reads one', TIMEOUT, async () => {
    const first = await get('/hk-globals/cookie');
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body, { seen: 'none' });
    assert.deepEqual(first.headers.getSetCookie(), [
      'hk_visit=1; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax',
      'hk_old=; Path=/; Max-Age=0',
    ]);
    const again = await get('/hk-globals/cookie', '', { cookie: 'other=x; hk_visit=1' });
    assert.deepEqual(again.body, { seen: '1' });
    assert.match(again.headers.getSetCookie()[0], /^hk_visit=2; /);
  });

  void it('$apis.enrichRecord(s): the record as the API answers the requester, with expand', TIMEOUT, async () => {
    const teams = await http.request('POST', '/api/collections', {
      body: { name: HK_TEAMS, ...LOCKED_RULES, viewRule: '@request.auth.id != ""', fields: [text('title')] },
      token: su,
    });
    assert.equal(teams.status, 200, teams.text);
    const teamsId = teams.json<{ id: string }>().id;
    const people = await http.request('POST', '/api/collections', {
      body: {
        name: HK_PEOPLE,
        type: 'auth',
        ...LOCKED_RULES,
        viewRule: '',
        fields: [text('name'), relation('team', teamsId, { maxSelect: 1 })],
      },
      token: su,
    });
    assert.equal(people.status, 200, people.text);
    const team = await post(`/api/collections/${HK_TEAMS}/records`, { title: 'Blue' });
    const email = uniqueEmail('ada');
    const person = await post(`/api/collections/${HK_PEOPLE}/records`, {
      email,
      password: DEFAULT_PASSWORD,
      passwordConfirm: DEFAULT_PASSWORD,
      name: 'Ada',
      team: team.id,
    });
    const bob = await post(`/api/collections/${HK_PEOPLE}/records`, {
      email: uniqueEmail('bob'),
      emailVisibility: true,
      password: DEFAULT_PASSWORD,
      passwordConfirm: DEFAULT_PASSWORD,
      name: 'Bob',
    });
    // a guest: no email (not visible), the team not expanded (its view rule wants a signed-in user)
    const guest = await get(`/hk-globals/people/${person.id}`);
    assert.equal(guest.status, 200, guest.text);
    const seen = guest.json<Obj>();
    assert.deepEqual([seen.id, seen.name, seen.team, 'email' in seen], [person.id, 'Ada', team.id, false]);
    assert.equal((seen.expand as Obj | undefined)?.team, undefined);
    assert.equal('password' in seen || 'tokenKey' in seen, false);
    // the superuser: the email, the default expand and the request's own
    const full = (await get(`/hk-globals/people/${person.id}?expand=team`, su)).json<Obj>();
    assert.equal(full.email, email);
    assert.deepEqual((full.expand as { team: Obj }).team.title, 'Blue');
    // enrichRecords: each as the API lists it
    const listed = (await get('/hk-globals/people')).json<Obj[]>();
    const byName = Object.fromEntries(listed.map((p) => [p.name, p]));
    assert.equal('email' in byName.Ada, false);
    assert.equal(byName.Bob.id, bob.id);
    assert.equal(typeof byName.Bob.email, 'string');
  });

  void it(
    'onRecordAfter…Error after the rollback, with e.error, their writes kept; $dbx finds the rest',
    TIMEOUT,
    async () => {
      for (const [name, fields] of [
        [HK_ITEMS, [text('title', { required: true })]],
        [HK_FAILURES, [text('note')]],
      ] as const) {
        const made = await http.request('POST', '/api/collections', {
          body: { name, ...LOCKED_RULES, fields },
          token: su,
        });
        assert.equal(made.status, 200, made.text);
      }
      const call = (method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: Obj) =>
        http.request(method, `/api/collections/${HK_ITEMS}/records${url}`, { body, token: su });
      assert.equal((await call('POST', '', { title: '' })).status, 400);
      const keep = await post(`/api/collections/${HK_ITEMS}/records`, { title: 'keep' });
      assert.equal((await call('PATCH', `/${keep.id}`, { title: '' })).status, 400);
      const refused = await call('DELETE', `/${keep.id}`);
      assert.equal(refused.status, 400, refused.text);
      assert.equal((await call('POST', '', { title: 'fine' })).status, 200);
      const notes = await http.request('GET', `/api/collections/${HK_FAILURES}/records?sort=note&perPage=10`, {
        token: su,
      });
      const list = notes.json<{ items: { note: string }[] }>().items.map((i) => i.note);
      assert.equal(list.length, 3, notes.text);
      assert.match(list[0], /^create '': .+/);
      assert.match(list[2], new RegExp(`^update ${keep.id}: .+`));
      assert.match(list[1], new RegExp(`^delete ${keep.id}: .*Item ${keep.id} stays\\.`));
      // $dbx: the items left ('keep', 'fine') found and counted by expressions, values bound
      const dbx = await get('/hk-globals/items?title=KEEP');
      assert.equal(dbx.status, 200, dbx.text);
      assert.deepEqual(dbx.body, { found: ['keep'], both: 2, liked: 2, escaped: 0, bound: 0, between: 1 });
    },
  );

  void it(
    'onModelCreate / onModelAfterCreateSuccess of "_collections": e.model is the collection',
    TIMEOUT,
    async () => {
      const made = await http.request('POST', '/api/collections', {
        body: { name: 'hk_model_one', ...LOCKED_RULES, fields: [text('title')] },
        token: su,
      });
      assert.equal(made.status, 200, made.text);
      assert.equal(made.json<{ listRule: string | null }>().listRule, '', 'changed by onModelCreate before e.next()');
      const filter = encodeURIComponent("note ~ 'model '");
      const notes = await http.request('GET', `/api/collections/${HK_FAILURES}/records?filter=${filter}`, {
        token: su,
      });
      assert.deepEqual(
        notes.json<{ items: { note: string }[] }>().items.map((i) => i.note),
        ['model hk_model_one created'],
      );
    },
  );

  void it(
    'e.request.body: the raw bytes (a webhook signature checks out), beside the parsed body',
    TIMEOUT,
    async () => {
      const raw = '{"amount":  42,\n "note": "paid"}';
      const signature = createHmac('sha256', 'whsec_test').update(raw).digest('hex');
      const res = await http.request('POST', '/hk-globals/webhook', {
        body: raw,
        headers: { 'X-Signature': signature },
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { valid: true, raw, first: '{"amount": ', amount: 42 });
    },
  );

  void it('GeoPointField is there (it was refused at load before)', TIMEOUT, async () => {
    assert.deepEqual((await get('/hk-globals/geo')).body, { type: 'geoPoint' });
  });
});
