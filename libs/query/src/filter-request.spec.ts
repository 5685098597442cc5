import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_POSTS, authOf, type Case, posts, request, runner, schema } from './testing/fixture';

const run = runner();
const guest = request();
const u1 = request({ auth: authOf(run.db, 'u1') });
const u2 = request({ auth: authOf(run.db, 'u2') });
const u3 = request({ auth: authOf(run.db, 'u3') });
const otherAuth = request({ auth: { ...authOf(run.db, 'u1'), collectionId: 'pbc_other', collectionName: 'other' } });

const cases: Case[] = [
  // @request.auth
  ['@request.auth.id = author', ['p1', 'p5'], {}, u1],
  ['author = @request.auth.id', ['p2'], {}, u2],
  ['@request.auth.id = author', ['p3'], {}, guest],
  ["@request.auth.id != '' && author = @request.auth.id", [], {}, guest],
  ["@request.auth.id != '' && author = @request.auth.id", ['p4'], {}, u3],
  ["@request.auth.id != ''", [], {}, guest],
  ["@request.auth.id != ''", ALL_POSTS, {}, u2],
  ['@request.auth.id = null', ALL_POSTS, {}, guest],
  ['@request.auth.verified = true', ALL_POSTS, {}, u1],
  ['@request.auth.verified = true', [], {}, u2],
  ['@request.auth.verified = true', [], {}, guest],
  ["@request.auth.collectionName = 'users' && @request.auth.collectionId = '_pb_users_auth_'", ALL_POSTS, {}, u1],
  ["@request.auth.email = 'bob@x.com'", ALL_POSTS, {}, u2],
  ["@request.auth.password = 'h2'", ALL_POSTS, {}, u2],
  ["@request.auth.roles ?= 'admin'", ALL_POSTS, {}, u1],
  ["@request.auth.roles ?= 'admin'", [], {}, u2],
  ["@request.auth.roles ?= 'admin'", [], {}, guest],
  ["@request.auth.roles:each ?= 'editor'", ALL_POSTS, {}, u1],
  ['@request.auth.roles:length = 2', ALL_POSTS, {}, u1],
  ["@request.auth.team.name = 'red'", ALL_POSTS, {}, u1],
  ["@request.auth.team.name = 'red'", [], {}, u2],
  ["@request.auth.team.name = 'red'", [], {}, guest],
  ["@request.auth.team.name = 'red'", [], {}, otherAuth],
  ['author.team = @request.auth.team', ['p2'], {}, u2],
  ['author.team = @request.auth.team', ['p1', 'p5'], {}, u1],
  ['@request.auth.name:lower = author.name', ['p1', 'p5'], {}, u1],
  ["@request.auth.unknownKey = ''", ALL_POSTS, {}, u1],
  // method, context
  ["@request.method = 'GET'", ALL_POSTS],
  ["@request.method = 'GET'", [], {}, request({ method: 'POST' })],
  ["@request.context = 'default'", ALL_POSTS],
  ["@request.context != 'realtime'", ALL_POSTS],
  ["@request.context = 'expand'", ALL_POSTS, {}, request({ context: 'expand' })],
  // query and headers
  ['@request.query.q = title', ['p5'], {}, request({ query: { q: 'hello again' } })],
  ['title ~ @request.query.q', ['p1', 'p5'], {}, request({ query: { q: 'hello' } })],
  ['title ~ @request.query.q', ['p2'], {}, request({ query: { q: '_' } })],
  ['title ~ @request.query.q', ['p1'], {}, request({ query: { q: '%world' } })],
  ['title ~ @request.query.q', [], {}, request()],
  ['@request.query.q:isset = true', [], {}, request()],
  ['@request.query.q:isset = true', ALL_POSTS, {}, request({ query: { q: '' } })],
  ['@request.query.n = views', ['p1'], {}, request({ query: { n: '10' } })],
  ['views = @request.query.n', [], {}, request({ query: { n: '' } })],
  ['status = @request.query.s', ['p3'], {}, request({ query: { s: '' } })],
  ['status != @request.query.s', ['p1', 'p2', 'p4', 'p5'], {}, request({ query: {} })],
  ["@request.query.__proto__ = ''", ALL_POSTS],
  ["@request.headers.x_token = 'abc'", ALL_POSTS, {}, request({ headers: { 'X-Token': 'abc' } })],
  ["@request.headers.x_token = 'abc'", [], {}, request({ headers: { 'x-token': 'abd' } })],
  ['@request.headers.x_token:isset = true', ALL_POSTS, {}, request({ headers: { 'x-token': '' } })],
  // body
  ['@request.body.title = title', ['p5'], {}, request({ body: { title: 'hello again' } })],
  ['@request.body.title:changed = true', ['p1', 'p2', 'p3', 'p4'], {}, request({ body: { title: 'hello again' } })],
  ['@request.body.title:changed = false', ['p5'], {}, request({ body: { title: 'hello again' } })],
  ['@request.body.title:changed = true', [], {}, request({ body: {} })],
  ['@request.body.published:changed = false', ['p2', 'p4'], {}, request({ body: { published: false } })],
  ['@request.body.views > views', ['p2', 'p3', 'p4'], {}, request({ body: { views: 6 } })],
  ['@request.body.views:isset = false', ALL_POSTS, {}, request({ body: { title: 'x' } })],
  ["@request.body.labels:each ?= 'c'", ALL_POSTS, {}, request({ body: { labels: ['c'] } })],
  ["@request.body.labels:each = 'c'", [], {}, request({ body: { labels: ['c', 'a'] } })],
  ['@request.body.labels:length = 2', ALL_POSTS, {}, request({ body: { labels: ['a', 'b'] } })],
  ['@request.body.labels:length = 0', ALL_POSTS, {}, request({ body: {} })],
  ["@request.body.author.name = 'bob'", ALL_POSTS, {}, request({ body: { author: 'u2' } })],
  ["@request.body.author.name = 'bob'", [], {}, request({ body: {} })],
  ["@request.body.tags.name ?= 'fun'", ALL_POSTS, {}, request({ body: { tags: ['g3'] } })],
  ["@request.body.tags.name ?= 'fun'", [], {}, request({ body: { tags: ['g1'] } })],
  ['@request.body.tags.id ?= tags.id', ['p1', 'p4'], {}, request({ body: { tags: ['g1'] } })],
  ["@request.body.extra = 'x'", ALL_POSTS, {}, request({ body: { extra: 'x' } })],
  ['@request.body.obj = \'{"a":1}\'', ALL_POSTS, {}, request({ body: { obj: { a: 1 } } })],
];

void describe('filter: @request values', () => {
  for (const [expr, expected, opts, req] of cases) {
    void it(`${expr} ${JSON.stringify(req ?? {})}`, () => {
      assert.deepEqual(run.ids(expr, opts, req), expected);
    });
  }

  void it('binds macros at bind time, not compile time', async () => {
    const compiled = run.compiler.compile('created < @now', {
      collection: posts,
      schema,
      mode: 'rule',
      isSuperuser: false,
      alias: 'r',
    });
    const first = compiled.bind(request())[0] as string;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = compiled.bind(request())[0] as string;
    assert.match(first, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.notEqual(first, second);
  });
});
