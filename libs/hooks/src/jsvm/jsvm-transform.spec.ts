import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { typescript } from '../loader/module-runner';
import { awaitAsyncCalls } from './jsvm-transform';

const ts = typescript();
const rewrite = (source: string) => awaitAsyncCalls(ts!, 'x.pb.js', source);

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
