import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { typescript } from '../loader/module-runner';
import { sequential } from './jsvm-sequential';
import { awaitAsyncCalls } from './jsvm-transform';

const ts = typescript();
const rewrite = (source: string) => awaitAsyncCalls(ts!, 'x.pb.js', source);
const withReads = (source: string) => awaitAsyncCalls(ts!, 'x.pb.js', source, { reads: true });

void describe('awaitAsyncCalls', { skip: ts ? false : 'no typescript package' }, () => {
  const cases: [string, string, string][] = [
    [
      'a bare e.next() without semicolons',
      'f((e) => {\n  e.record.set("a", 1)\n  e.next()\n})',
      'f(async (e) => {\n  e.record.set("a", 1)\n  await e.next()\n})',
    ],
    ['return e.next()', 'f((e) => { return e.next() })', 'f(async (e) => { return await e.next() })'],
    ['an arrow body', 'f((e) => e.next())', 'f(async (e) => await e.next())'],
    [
      'a chain at the start of a statement',
      'f(function (e) {\n  x()\n  e.next().then(g)\n})',
      'f(async function (e) {\n  x()\n  ;(await e.next()).then(g)\n})',
    ],
    [
      '$app.save in a transaction callback',
      '$app.runInTransaction((tx) => { tx.save(r) })',
      '$app.runInTransaction(async (tx) => { await tx.save(r) })',
    ],
    [
      'a helper that saves, and its callers',
      'function keep(r) { $app.save(r) }\nf((e) => { keep(e.record) })',
      'async function keep(r) { await $app.save(r) }\nf(async (e) => { await keep(e.record) })',
    ],
    ['top-level calls are left alone', '$app.save(r)\ne.next()', '$app.save(r)\ne.next()'],
    ['e.next(x) with arguments (an iterator) is not awaited', 'f((it) => { it.next(1) })', 'f((it) => { it.next(1) })'],
    ['already awaited', 'f(async (e) => { await e.next() })', 'f(async (e) => { await e.next() })'],
  ];
  for (const [name, source, expected] of cases) {
    void it(name, () => {
      const out = rewrite(source);
      assert.equal(out, expected);
      assert.equal(out?.split('\n').length, source.split('\n').length);
    });
  }
});

void describe('awaitAsyncCalls with awaited reads (PostgreSQL)', { skip: ts ? false : 'no typescript package' }, () => {
  const cases: [string, string, string][] = [
    [
      'a finder result assigned',
      'f((e) => {\n  const r = $app.findRecordById("posts", id)\n  e.json(200, r)\n})',
      'f(async (e) => {\n  const r = await $app.findRecordById("posts", id)\n  e.json(200, r)\n})',
    ],
    [
      'a finder inside an expression',
      'f((e) => e.json(200, { n: $app.countRecords("posts") }))',
      'f(async (e) => e.json(200, { n: (await $app.countRecords("posts")) }))',
    ],
    [
      'a query chain',
      'f(() => { $app.db().newQuery(q).bind({ a: 1 }).all(rows) })',
      'f(async () => { await $app.db().newQuery(q).bind({ a: 1 }).all(rows) })',
    ],
    ['Promise.all is left alone', 'f(() => { Promise.all(xs) })', 'f(() => { Promise.all(xs) })'],
    [
      'an array callback that reads runs sequentially',
      'f(() => {\n  const rs = ids.map((id) => $app.findRecordById("posts", id))\n})',
      'f(async () => {\n  const rs = await __nbSequential(ids).map(async (id) => await $app.findRecordById("posts", id))\n})',
    ],
    [
      'a forEach over a finder result',
      'f(() => { $app.findRecordsByFilter("p", "").forEach((r) => { $app.save(r) }) })',
      'f(async () => { await __nbSequential((await $app.findRecordsByFilter("p", ""))).forEach(async (r) => { await $app.save(r) }) })',
    ],
  ];
  for (const [name, source, expected] of cases) {
    void it(name, () => {
      const out = withReads(source);
      assert.equal(out, expected);
      assert.equal(out?.split('\n').length, source.split('\n').length);
    });
  }
  void it('leaves the reads alone on SQLite', () => {
    const source = 'f((e) => { const r = $app.findRecordById("p", id) })';
    assert.equal(rewrite(source), source);
  });
});

void describe('sequential', () => {
  const later = <T>(value: T) => new Promise<T>((resolve) => setImmediate(() => resolve(value)));
  type Seq = Record<string, (fn: (a: never, b: never) => unknown, init?: unknown) => Promise<unknown>>;
  const seq = (list: unknown[]) => sequential(list) as Seq;
  void it('runs the callbacks one after the other and answers as the array methods do', async () => {
    const order: string[] = [];
    const slow = async (x: unknown) => {
      order.push(`start ${String(x)}`);
      await later(null);
      order.push(`end ${String(x)}`);
      return (x as number) * 2;
    };
    assert.deepEqual(await seq([1, 2]).map(slow), [2, 4]);
    assert.deepEqual(order, ['start 1', 'end 1', 'start 2', 'end 2']);
    assert.deepEqual(await seq([1, 2, 3]).filter(async (x) => later((x as number) > 1)), [2, 3]);
    assert.equal(await seq([1, 2, 3]).find(async (x) => later(x === 2)), 2);
    assert.equal(await seq([1, 2, 3]).findIndex(async (x) => later(x === 5)), -1);
    assert.equal(await seq([1, 2, 3]).some(async (x) => later(x === 3)), true);
    assert.equal(await seq([1, 2, 3]).every(async (x) => later(x !== 3)), false);
    assert.equal(await seq([1, 2, 3]).reduce(async (a, x) => later((a as number) + (x as number)), 10), 16);
    assert.deepEqual(await seq([1, 2]).flatMap(async (x) => later([x, x])), [1, 1, 2, 2]);
  });
  void it('returns what is not an array as it is', () => {
    const map = new Map();
    assert.equal(sequential(map), map);
  });
});
