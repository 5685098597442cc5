// The `$app` reads of PocketBase-style hook files, the same on both databases: on SQLite they are answered
// synchronously, on PostgreSQL (the `pg` tier) the loader awaits them, while the file's code stays synchronous.
// Each finder and `$app.db()` query outside a transaction, inside `runInTransaction` (its own uncommitted rows seen,
// a failing or writing statement refused without breaking the transaction, a rollback) and inside a record write
// hook's transaction; array callbacks that read run one after the other; `e.record` of a request hook.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  DEFAULT_PASSWORD,
  HttpClient,
  LOCKED_RULES,
  makeUserInput,
  ManagedProcess,
  OPEN_RULES,
  startNestbase,
  TEST_CEILING_MS,
  text,
  tokenFor,
} from '@lib/testing';
import { writeHooksDir } from './support/hooks-files';

const TIMEOUT = { timeout: TEST_CEILING_MS };
const SU = { PB_ADMIN_EMAIL: 'reads-su@example.com', PB_ADMIN_PASSWORD: 'Reads-Su-Passw0rd' };
type Obj = Record<string, unknown>;

const READS = `
routerAdd("GET", "/api/reads/{id}", (e) => {
  const id = e.request.pathValue("id")
  const r = $app.findRecordById("rd_posts", id)
  const byFilter = $app.findFirstRecordByFilter("rd_posts", "title = {:t}", { t: r.get("title") })
  const list = $app.findRecordsByFilter("rd_posts", "title != ''", "title", 10, 0)
  const rows = arrayOf(new DynamicModel({ title: "" }))
  $app.db().newQuery("SELECT title FROM rd_posts WHERE id = {:id}").bind({ id: id }).all(rows)
  const one = new DynamicModel({ n: 0 })
  $app.db().newQuery("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM rd_posts").one(one)
  let missing = ""
  try {
    $app.findRecordById("rd_posts", "nope")
  } catch (err) {
    missing = "not found"
  }
  const email = e.request.url.query().get("email")
  return e.json(200, {
    title: r.get("title"),
    byFilter: byFilter.id,
    byData: $app.findFirstRecordByData("rd_posts", "title", r.get("title")).id,
    list: list.map((p) => p.get("title")),
    byIds: $app.findRecordsByIds("rd_posts", [id]).map((p) => p.id),
    count: $app.countRecords("rd_posts"),
    countFiltered: $app.countRecords("rd_posts", "title = {:t}", { t: "b" }),
    all: $app.findAllRecords("rd_posts").length,
    rows: rows.map((x) => x.title),
    one: one.n,
    titles: list.map((p) => $app.findRecordById("rd_posts", p.id).get("title").toUpperCase()),
    firstWithB: list.find((p) => $app.countRecords("rd_posts", "id = {:id} && title ~ 'b'", { id: p.id }) > 0).id,
    missing,
    user: $app.findAuthRecordByEmail("users", email).id,
    collection: $app.findCollectionByNameOrId("rd_posts").name,
  })
})

function titleOf(txApp, id) {
  return txApp.findRecordById("rd_posts", id).get("title")
}

routerAdd("POST", "/api/reads/tx", (e) => {
  const body = e.requestInfo().body
  const seen = {}
  try {
    $app.runInTransaction((txApp) => {
      const r = new Record($app.findCollectionByNameOrId("rd_posts"))
      r.set("title", body.title)
      txApp.save(r)
      seen.byId = titleOf(txApp, r.id)
      seen.viaApp = $app.findFirstRecordByFilter("rd_posts", "title = {:t}", { t: body.title }).id === r.id
      seen.count = txApp.countRecords("rd_posts", "title = {:t}", { t: body.title })
      seen.sql = txApp.db().newQuery("SELECT id FROM rd_posts WHERE title = {:t}").bind({ t: body.title }).one().id === r.id
      try {
        txApp.db().newQuery("SELECT nope FROM nowhere").all()
      } catch (err) {
        seen.bad = "refused"
      }
      try {
        txApp.db().newQuery("DELETE FROM rd_posts").all()
      } catch (err) {
        seen.write = "refused"
      }
      seen.afterErrors = txApp.countRecords("rd_posts")
      if (body.fail) {
        throw new Error("rolled back")
      }
    })
  } catch (err) {
    seen.error = String(err.message || err)
  }
  seen.afterTx = $app.countRecords("rd_posts", "title = {:t}", { t: body.title })
  return e.json(200, seen)
})

routerAdd("POST", "/api/reads/bump", (e) => {
  const posts = $app.findRecordsByFilter("rd_posts", "title ~ 'bump'", "title")
  posts.forEach((p) => {
    const fresh = $app.findRecordById("rd_posts", p.id)
    fresh.set("title", fresh.get("title") + "!")
    $app.save(fresh)
  })
  const after = $app.findRecordsByFilter("rd_posts", "title ~ 'bump'", "title").map((p) => p.get("title"))
  return e.json(200, { after })
})

onRecordCreate((e) => {
  e.next()
  const again = $app.findRecordById("rd_posts", e.record.id)
  const n = e.app.countRecords("rd_posts", "title = {:t}", { t: e.record.get("title") })
  const log = new Record($app.findCollectionByNameOrId("rd_log"))
  log.set("note", "seen " + again.get("title") + " " + n)
  $app.save(log)
}, "rd_posts")

onRecordUpdateRequest((e) => {
  if (e.record.get("title") === "shout") {
    e.record.set("title", "SHOUT " + $app.countRecords("rd_posts", "title = 'shout'"))
  }
  e.next()
}, "rd_posts")
`;

let proc: ManagedProcess;
let http: HttpClient;
let su = '';
const work = mkdtempSync(join(tmpdir(), 'nb-reads-'));
const hooks = writeHooksDir({ 'reads.pb.js': READS });

async function call(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) {
  return http.request(method, url, { body, token: su });
}

async function post(title: string): Promise<string> {
  const res = await call('POST', '/api/collections/rd_posts/records', { title });
  assert.equal(res.status, 200, res.text);
  return res.json<{ id: string }>().id;
}

async function logged(): Promise<string[]> {
  const res = await call('GET', '/api/collections/rd_log/records?perPage=500');
  assert.equal(res.status, 200, res.text);
  return res.json<{ items: { note: string }[] }>().items.map((i) => i.note);
}

void describe('PocketBase-style $app reads (both databases)', () => {
  before(async () => {
    proc = await startNestbase(join(work, 'pb_data'), ['--hooksDir', hooks], { env: SU });
    http = new HttpClient(proc.baseUrl);
    su = await tokenFor(http, '_superusers', SU.PB_ADMIN_EMAIL, SU.PB_ADMIN_PASSWORD);
    const make = async (body: Obj) => assert.equal((await call('POST', '/api/collections', body)).status, 200);
    await make({ name: 'rd_log', ...LOCKED_RULES, fields: [text('note')] });
    await make({ name: 'rd_posts', ...OPEN_RULES, fields: [text('title')] });
  });
  after(() => {
    proc?.kill();
    [work, hooks].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  void it('every finder and $app.db() query answers the value, not a promise', TIMEOUT, async () => {
    const a = await post('a');
    const b = await post('b');
    const input = makeUserInput();
    const created = await http.request('POST', '/api/collections/users/records', { body: input });
    assert.equal(created.status, 200, created.text);
    assert.ok(await tokenFor(http, 'users', String(input.email), DEFAULT_PASSWORD));
    const res = await call('GET', `/api/reads/${a}?email=${encodeURIComponent(String(input.email))}`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      title: 'a',
      byFilter: a,
      byData: a,
      list: ['a', 'b'],
      byIds: [a],
      count: 2,
      countFiltered: 1,
      all: 2,
      rows: ['a'],
      one: 2,
      titles: ['A', 'B'],
      firstWithB: b,
      missing: 'not found',
      user: created.json<{ id: string }>().id,
      collection: 'rd_posts',
    });
  });

  void it('a record write hook reads the row its own transaction wrote', TIMEOUT, async () => {
    await post('hooked');
    assert.ok((await logged()).includes('seen hooked 1'), String(await logged()));
  });

  void it(
    'runInTransaction: reads see its own rows; bad and writing statements refused, the rest goes on',
    TIMEOUT,
    async () => {
      const kept = await call('POST', '/api/reads/tx', { title: 'kept' });
      assert.equal(kept.status, 200, kept.text);
      const seen = kept.json<Obj>();
      assert.equal(typeof seen.afterErrors, 'number');
      assert.deepEqual(
        { ...seen, afterErrors: 0 },
        {
          byId: 'kept',
          viaApp: true,
          count: 1,
          sql: true,
          bad: 'refused',
          write: 'refused',
          afterErrors: 0,
          afterTx: 1,
        },
      );
      const rolled = await call('POST', '/api/reads/tx', { title: 'rolled', fail: true });
      assert.equal(rolled.status, 200, rolled.text);
      assert.deepEqual(
        { ...rolled.json<Obj>(), afterErrors: 0 },
        {
          byId: 'rolled',
          viaApp: true,
          count: 1,
          sql: true,
          bad: 'refused',
          write: 'refused',
          afterErrors: 0,
          error: 'rolled back',
          afterTx: 0,
        },
      );
      assert.ok((await logged()).includes('seen kept 1'));
    },
  );

  void it(
    'array callbacks that read and save run one after the other, before the code after them',
    TIMEOUT,
    async () => {
      await post('bump-1');
      await post('bump-2');
      const res = await call('POST', '/api/reads/bump');
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { after: ['bump-1!', 'bump-2!'] });
    },
  );

  void it('e.record of a request hook is the stored record with the body applied', TIMEOUT, async () => {
    const id = await post('quiet');
    const res = await call('PATCH', `/api/collections/rd_posts/records/${id}`, { title: 'shout' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json<{ title: string }>().title, 'SHOUT 0');
  });
});
