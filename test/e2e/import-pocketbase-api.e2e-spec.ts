// PocketBase's own API test cases (apis/record_crud_test.go, run there against tests/data) on nestbase, after
// `nestbase import-pocketbase` of that same data dir (test/fixtures/pocketbase-data): same status, same records.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';

import { HttpClient, repoRoot, runCli, startNestbase, tokenFor, type ManagedProcess } from '@lib/testing';

const TIMEOUT = { timeout: 180_000 };
const FIXTURE = join(repoRoot(), 'test', 'fixtures', 'pocketbase-data');
const PASSWORD = '1234567890';
const work = mkdtempSync(join(tmpdir(), 'nb-import-pb-api-'));
const dir = join(work, 'pb_data');
const src = join(work, 'pocketbase');
const MFA_ID = 'a'.repeat(15);

/**
 * The fixture with a live `_mfas` row for users' test@example.com, as PocketBase's "with mfa second auth check"
 * inserts before its request (users have MFA on): that row comes over, and finishes the sign-in on nestbase.
 */
function sourceWithLiveMfa(): void {
  cpSync(FIXTURE, src, { recursive: true });
  const db = new Sqlite(join(src, 'data.db'));
  const now = new Date().toISOString().replace('T', ' ');
  db.prepare(
    'INSERT INTO _mfas (id, collectionRef, recordRef, method, created, updated) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(MFA_ID, '_pb_users_auth_', '4q1xlclmfloku33', 'test', now, now);
  db.close();
}

type Who = 'guest' | 'superuser' | 'users' | 'clients';
interface Case {
  /** PocketBase's test name. */
  name: string;
  url: string;
  as: Who;
  status: number;
  /** The ids of the listed items, in order when `ordered`. */
  ids?: string[];
  ordered?: boolean;
  totalItems?: number;
  /** Texts the body contains / doesn't contain (PocketBase's ExpectedContent / NotExpectedContent). */
  contains?: string[];
  lacks?: string[];
}

const filter = (f: string) => encodeURIComponent(f);
const CASES: Case[] = [
  { name: 'missing collection', url: '/api/collections/missing/records', as: 'guest', status: 404 },
  { name: 'unauthenticated: nil rule collection', url: '/api/collections/demo1/records', as: 'guest', status: 403 },
  { name: 'auth record: nil rule collection', url: '/api/collections/demo1/records', as: 'users', status: 403 },
  {
    name: 'public collection but superuser only filter param',
    url: `/api/collections/demo2/records?filter=${filter("@collection.demo2.title='test1'")}`,
    as: 'guest',
    status: 403,
  },
  {
    name: 'public collection',
    url: '/api/collections/demo2/records',
    as: 'guest',
    status: 200,
    ids: ['0yxhwia2amd8gec', 'achvryl401bhse3', 'llvuca81nly1qls'],
    contains: ['"page":1', '"perPage":30', '"totalPages":1'],
  },
  {
    name: 'public collection (using the collection id)',
    url: '/api/collections/sz5l5z67tg7gku0/records',
    as: 'guest',
    status: 200,
    ids: ['0yxhwia2amd8gec', 'achvryl401bhse3', 'llvuca81nly1qls'],
  },
  {
    name: 'superuser: nil rule collection',
    url: '/api/collections/demo1/records',
    as: 'superuser',
    status: 200,
    ids: ['al1h9ijdeojtsjy', '84nmscqy84lsi1t', 'imy661ixudk5izi'],
  },
  {
    name: 'valid query params',
    url: `/api/collections/demo1/records?filter=${filter("text~'test'")}&sort=-bool`,
    as: 'superuser',
    status: 200,
    ids: ['al1h9ijdeojtsjy', '84nmscqy84lsi1t'],
  },
  {
    name: 'invalid filter',
    url: `/api/collections/demo1/records?filter=${filter("invalid~'test'")}`,
    as: 'superuser',
    status: 400,
  },
  {
    name: 'expand relations',
    url: '/api/collections/demo1/records?expand=rel_one,rel_many.rel,missing&perPage=2&sort=created',
    as: 'superuser',
    status: 200,
    ids: ['84nmscqy84lsi1t', 'al1h9ijdeojtsjy'],
    ordered: true,
    totalItems: 3,
    contains: [
      '"totalPages":2',
      '"rel_many":[{',
      '"rel":{',
      '"json":[1,2,3]',
      '"select_many":["optionB","optionC"]',
      '"id":"0yxhwia2amd8gec"',
      '"id":"llvuca81nly1qls"',
      '"email":"test@example.com"',
      '"email":"test2@example.com"',
      '"email":"test3@example.com"',
    ],
  },
  {
    name: "authenticated record that DOESN'T match the list rule",
    url: '/api/collections/demo3/records',
    as: 'users',
    status: 200,
    ids: [],
  },
  {
    name: 'authenticated record that matches the list rule',
    url: '/api/collections/demo3/records',
    as: 'clients',
    status: 200,
    ids: ['1tmknxy2868d869', 'lcl9d87w22ml6jy', '7nwo8tuiatetxdm', 'mk5fmymtx4wsprk'],
  },
  { name: ':rule modifer', url: '/api/collections/demo5/records', as: 'guest', status: 200, ids: ['qjeql998mtp1azp'] },
  {
    name: 'multi-match - at least one of (guest - non-satisfied relation filter API rule)',
    url: `/api/collections/demo4/records?filter=${filter('rel_many_no_cascade_required.files:length?=2')}`,
    as: 'guest',
    status: 200,
    ids: [],
  },
  {
    name: 'multi-match - at least one of (clients)',
    url: `/api/collections/demo4/records?filter=${filter('rel_many_no_cascade_required.files:length?=2')}`,
    as: 'clients',
    status: 200,
    ids: ['qzaqccwrmva4o1n'],
  },
  {
    name: 'multi-match - all (clients)',
    url: `/api/collections/demo4/records?filter=${filter('rel_many_no_cascade_required.files:length=2')}`,
    as: 'clients',
    status: 200,
    ids: [],
  },
  {
    name: 'check email visibility as guest',
    url: '/api/collections/nologin/records',
    as: 'guest',
    status: 200,
    ids: ['phhq3wr65cap535', 'dc49k6jgejn40h3', 'oos036e9xvqeexy'],
    contains: ['"email":"test2@example.com"', '"emailVisibility":true', '"emailVisibility":false'],
    lacks: ['"tokenKey"', '"password"', '"email":"test@example.com"', '"email":"test3@example.com"'],
  },
  {
    name: 'public view records',
    url: '/api/collections/view2/records?filter=state=false',
    as: 'guest',
    status: 200,
    ids: ['al1h9ijdeojtsjy', 'imy661ixudk5izi'],
    lacks: ['"created"', '"updated"'],
  },
  {
    name: "guest that doesn't match the view collection list rule",
    url: '/api/collections/view1/records',
    as: 'guest',
    status: 200,
    ids: [],
  },
  {
    name: 'authenticated record that matches the view collection list rule',
    url: '/api/collections/view1/records',
    as: 'users',
    status: 200,
    ids: ['84nmscqy84lsi1t'],
    contains: ['"bool":true'],
  },
  {
    name: 'view collection with numeric ids',
    url: '/api/collections/numeric_id_view/records',
    as: 'guest',
    status: 200,
    ids: ['1', '2'],
  },
  { name: 'view: missing record', url: '/api/collections/demo2/records/missing', as: 'guest', status: 404 },
  {
    name: 'view: unauthenticated, nil rule collection',
    url: '/api/collections/demo1/records/imy661ixudk5izi',
    as: 'guest',
    status: 403,
  },
];

void describe('PocketBase record_crud_test cases on an imported tests/data', () => {
  let server: ManagedProcess;
  let http: HttpClient;
  const tokens: Partial<Record<Who, string>> = {};

  before(async () => {
    sourceWithLiveMfa();
    const imported = await runCli(['import-pocketbase', src, '--dir', dir]);
    assert.equal(imported.code, 0, imported.stderr);
    server = await startNestbase(dir);
    http = new HttpClient(server.baseUrl);
    tokens.superuser = await tokenFor(http, '_superusers', 'test@example.com', PASSWORD);
    const second = await http.request('POST', '/api/collections/users/auth-with-password', {
      body: { identity: 'test@example.com', password: PASSWORD, mfaId: MFA_ID },
    });
    assert.equal(second.status, 200, second.text);
    tokens.users = second.json<{ token: string }>().token;
    tokens.clients = await tokenFor(http, 'clients', 'test@example.com', PASSWORD);
  });
  after(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  for (const c of CASES) {
    void it(c.name, TIMEOUT, async () => {
      const res = await http.request('GET', c.url, { token: c.as === 'guest' ? undefined : tokens[c.as] });
      assert.equal(res.status, c.status, res.text);
      const body = res.json<{ items?: { id: string }[]; totalItems?: number; data?: unknown }>();
      if (c.status >= 400) {
        assert.deepEqual(body.data, {});
      }
      if (c.ids) {
        const ids = (body.items ?? []).map((item) => item.id);
        assert.deepEqual(c.ordered ? ids : [...ids].sort(), c.ordered ? c.ids : [...c.ids].sort());
        assert.equal(body.totalItems, c.totalItems ?? c.ids.length);
      }
      for (const text of c.contains ?? []) {
        assert.ok(res.text.includes(text), `${text} in ${res.text}`);
      }
      for (const text of c.lacks ?? []) {
        assert.ok(!res.text.includes(text), `no ${text} in ${res.text}`);
      }
    });
  }
});
