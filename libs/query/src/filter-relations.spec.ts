import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_POSTS, authOf, type Case, request, runner } from './testing/fixture';

const run = runner();
const u1 = request({ auth: authOf(run.db, 'u1') });
const u2 = request({ auth: authOf(run.db, 'u2') });

const cases: Case[] = [
  // multiple select: plain = every value, ? = at least one; empty = {NULL}
  ["labels ?= 'a'", ['p1', 'p4', 'p5']],
  ["labels = 'a'", ['p4']],
  ["labels:each = 'b'", ['p2']],
  ["labels:each ?= 'c'", ['p5']],
  ["labels ?!= 'a'", ['p1', 'p2', 'p3', 'p5']],
  ["labels != 'a'", ['p2', 'p3']],
  ["labels = ''", ['p3']],
  ["labels ?= ''", ['p3']],
  ["labels ?~ 'c'", ['p5']],
  // plain ~ / !~ on the row's own multi-valued field: its stored JSON text, as PocketBase ("contains")
  ["labels ~ 'c'", ['p5']],
  ["labels ~ 'a'", ['p1', 'p4', 'p5']],
  ["labels !~ 'a'", ['p2', 'p3']],
  ["tags ~ 'g3'", ['p4', 'p5']],
  ["tags !~ 'g3'", ['p1', 'p2', 'p3']],
  ["labels:lower ?= 'b'", ['p1', 'p2', 'p5']],
  ['labels:length = 0', ['p3']],
  ['labels:length > 1', ['p1', 'p5']],
  ['labels:length = 3', ['p5']],
  ['labels:length = tags:length', ['p1', 'p2', 'p3']],
  // single relation
  ["author.name = 'alice'", ['p1', 'p5']],
  ["author.name != 'alice'", ['p2', 'p3', 'p4']],
  ["author.name = ''", ['p3']],
  ["author.id = 'u1'", ['p1', 'p5']],
  ["author = 'u1'", ['p1', 'p5']],
  ["author = ''", ['p3']],
  ["author.team.name = 'red'", ['p1', 'p5']],
  ["author.team.name = ''", ['p3', 'p4']],
  ["author.team.id = 'tm2'", ['p2']],
  ['author.verified = true', ['p1', 'p4', 'p5']],
  ["author.name ~ 'o'", ['p2', 'p4']],
  ["author.roles ?= 'admin'", ['p1', 'p5']],
  ["author.roles ?= 'viewer'", ['p2']],
  ["author.roles = ''", ['p3', 'p4']],
  ['author.roles:length = 2', ['p1', 'p5']],
  ['author.password = "h1"', ['p1', 'p5']],
  // multiple relation
  ["tags.name ?= 'news'", ['p1', 'p4']],
  ["tags.name = 'news'", []],
  ["tags.name ?= 'tech'", ['p1', 'p2']],
  ["tags.name = 'tech'", ['p2']],
  ["tags.name != 'news'", ['p2', 'p3', 'p5']],
  ["tags.name ?!= 'news'", ['p1', 'p2', 'p3', 'p4', 'p5']],
  ["tags.name ?= 'news' && tags.color ?= 'blue'", []],
  ["tags.name ?= 'tech' && tags.color ?= 'blue'", ['p1', 'p2']],
  ["tags.name ?= 'news' || tags.name ?= 'tech'", ['p1', 'p2', 'p4']],
  ["tags.id ?= 'g3'", ['p4', 'p5']],
  ["tags ?= 'g3'", ['p4', 'p5']],
  ["tags:each ?= 'missing'", ['p5']],
  ['tags:length = 2', ['p1', 'p4', 'p5']],
  ["tags.color ?= ''", ['p3', 'p4', 'p5']],
  ["tags.name ?~ 'e'", ['p1', 'p2', 'p4']],
  ["tags = ''", ['p3']],
  ['tags.name ?= author.name', ['p3']],
  ["tags.color ?= 'red' && title ~ 'hello'", ['p1']],
  ["tags.color ?= 'red' || views < 1", ['p1', 'p2', 'p4']],
  // back-relations
  ["comments_via_post.text ?= 'great'", ['p1', 'p2']],
  ["comments_via_post.text = 'great'", ['p2']],
  ["comments_via_post.id != ''", ['p1', 'p2', 'p4']],
  ["comments_via_post.id = ''", ['p3', 'p5']],
  ["comments_via_post.author.name ?= 'carol'", ['p1']],
  ['comments_via_post.author ?= author', ['p3']],
  ["comments_via_post.author ?= 'u1' && author = 'u3'", ['p4']],
  ["comments_via_post.author.team.name ?= 'blue'", ['p1']],
  // json paths (compared with IS)
  ['meta.n = 5', ['p1']],
  ['meta.a.b.0 = 1', ['p1']],
  ['meta.a.b.0 = 3', ['p3']],
  ['meta.a.b.1 = 2', ['p1']],
  ['meta.n > 4', ['p1', 'p5']],
  ['meta.n = null', ['p2', 'p3', 'p4']],
  ['meta.n != 5', ['p2', 'p3', 'p4', 'p5']],
  ['meta = null', ['p2']],
  ['meta = \'"str"\'', ['p4']],
  // geoPoint and geoDistance
  ['location.lon > 20', ['p1']],
  ['location.lat = 0', ['p2', 'p4', 'p5']],
  ['geoDistance(location.lon, location.lat, 23.32, 42.69) < 1', ['p1']],
  ['geoDistance(location.lon, location.lat, -0.12, 51.5) < 10', ['p3']],
  ['geoDistance(location.lon, location.lat, 23.32, 42.69) < 3000', ['p1', 'p3']],
  // @collection: shared joins by alias, :alias for independent ones
  ["@collection.tags.name ?= 'fun'", ALL_POSTS],
  ["@collection.tags.name = 'fun'", []],
  ["@collection.tags.name ?= 'nope'", []],
  ["@collection.memberships.team ?= 'tm1' && @collection.memberships.team ?= 'tm2'", []],
  ["@collection.memberships:m1.team ?= 'tm1' && @collection.memberships:m2.team ?= 'tm2'", ALL_POSTS],
  [
    '@collection.memberships.user ?= @request.auth.id && @collection.memberships.team ?= author.team',
    ['p1', 'p2', 'p5'],
    {},
    u2,
  ],
  [
    "@collection.memberships.user ?= @request.auth.id && @collection.memberships.role ?= 'owner' && @collection.memberships.team ?= author.team",
    ['p2'],
    {},
    u2,
  ],
  [
    '@collection.memberships.user ?= @request.auth.id && @collection.memberships.team ?= author.team',
    ['p1', 'p5'],
    {},
    u1,
  ],
  ["@collection.memberships.user.name ?= 'bob' && @collection.memberships.role ?= 'member'", ALL_POSTS],
  ["@collection.col_memberships.role ?= 'member'", ALL_POSTS],
  ["@collection.comments.post ?= id && @collection.comments.text ?= 'wow'", ['p4']],
];

void describe('filter: relations, multi-values, back-relations, json, @collection', () => {
  for (const [expr, expected, opts, req] of cases) {
    void it(expr, () => {
      assert.deepEqual(run.ids(expr, opts, req), expected);
    });
  }
});
