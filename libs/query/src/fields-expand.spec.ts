import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '@lib/core';
import { applyFields, parseFields } from './fields';
import { parseExpand, type ExpandTree } from './expand';
import { excerpt, plainText } from './excerpt';

function status(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    return err.status;
  }
  return 200;
}

function plain(tree: ExpandTree): unknown {
  return Object.fromEntries([...tree].map(([k, v]) => [k, plain(v)]));
}

const record = {
  collectionId: 'c1',
  collectionName: 'posts',
  id: 'p1',
  title: 'Hello',
  body: '<p>Hello <b>big</b> world of tests</p>',
  views: 3,
  expand: {
    author: { id: 'u1', name: 'alice', email: 'a@x.com', expand: { team: { id: 't1', name: 'red' } } },
    tags: [
      { id: 'g1', name: 'news' },
      { id: 'g2', name: 'tech' },
    ],
  },
};

void describe('fields', () => {
  const cases: [string, unknown][] = [
    ['', record],
    ['id,title', { id: 'p1', title: 'Hello' }],
    [' id , title ,', { id: 'p1', title: 'Hello' }],
    ['title,nope', { title: 'Hello' }],
    ['expand.author.name', { expand: { author: { name: 'alice' } } }],
    ['title,expand.tags.name', { title: 'Hello', expand: { tags: [{ name: 'news' }, { name: 'tech' }] } }],
    ['expand.author.expand.team.name', { expand: { author: { expand: { team: { name: 'red' } } } } }],
    ['expand,expand.author.name', { expand: record.expand }],
    ['expand.author.name,expand', { expand: record.expand }],
    ['expand.author.*', { expand: { author: record.expand.author } }],
    ['body:excerpt(9)', { body: 'Hello big' }],
    ['body:excerpt(9,true)', { body: 'Hello big...' }],
    ['body:excerpt(100,true)', { body: 'Hello big world of tests' }],
    ['body:excerpt(5, 1),id', { body: 'Hello...', id: 'p1' }],
    ['views:excerpt(1)', { views: '3' }],
    ['id.x', { id: 'p1' }],
  ];
  for (const [fields, expected] of cases) {
    void it(fields || '(empty)', () => assert.deepEqual(applyFields(record, parseFields(fields)), expected));
  }
  void it('* keeps every key, with nested paths narrowed', () => {
    const out = applyFields(record, parseFields('*,expand.author.name')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), Object.keys(record));
    assert.deepEqual(out['expand'], { author: { name: 'alice' } });
    assert.deepEqual(applyFields(record, parseFields('*')), record);
  });
  void it('applies per item on list results and keeps paging keys', () => {
    const list = { page: 1, perPage: 30, totalItems: 2, totalPages: 1, items: [record, { ...record, id: 'p2' }] };
    assert.deepEqual(applyFields(list, parseFields('id')), {
      page: 1,
      perPage: 30,
      totalItems: 2,
      totalPages: 1,
      items: [{ id: 'p1' }, { id: 'p2' }],
    });
    assert.deepEqual(applyFields([record], parseFields('id')), [{ id: 'p1' }]);
  });
  void it('does not modify its input', () => {
    const copy = structuredClone(record);
    applyFields(record, parseFields('id,expand.author.name,body:excerpt(2)'));
    assert.deepEqual(record, copy);
  });
  void it('rejects bad modifiers and paths', () => {
    for (const bad of [
      'title:nope',
      'title:excerpt',
      'title:excerpt()',
      'title:excerpt(0)',
      'title:excerpt(a)',
      'title:excerpt(5,maybe)',
      'a..b',
      'a b',
      'ti"tle',
    ]) {
      assert.equal(
        status(() => parseFields(bad)),
        400,
        bad,
      );
    }
  });
});

void describe('excerpt', () => {
  void it('strips tags, scripts, styles, comments and entities; collapses whitespace', () => {
    assert.equal(
      plainText('<div>a<script>alert(1)</script>\n\n b<style>p{}</style><!-- c --> &amp; &lt;x&gt;</div>'),
      'a b & <x>',
    );
    assert.equal(plainText('<p>one</p><p>two</p>'), 'one two');
    assert.equal(plainText('x<b>y</b>z'), 'xyz');
  });
  void it('truncates by characters, not bytes', () => {
    assert.equal(excerpt('héllo wörld', 5, true), 'héllo...');
    assert.equal(excerpt('😀😀😀', 2, false), '😀😀');
    assert.equal(excerpt(null, 5, true), '');
  });
});

void describe('expand', () => {
  void it('builds a merged tree', () => {
    assert.deepEqual(plain(parseExpand('author,author.team,comments_via_post')), {
      author: { team: {} },
      comments_via_post: {},
    });
    assert.deepEqual(plain(parseExpand(' a.b , a , a.b.c ,,a.d')), { a: { b: { c: {} }, d: {} } });
    assert.deepEqual(plain(parseExpand('')), {});
  });
  void it('keeps 6 levels and rejects deeper paths with a 400', () => {
    const tree = parseExpand('a.b.c.d.e.f');
    let depth = 0;
    for (let level = tree; level.size > 0; level = [...level.values()][0]) {
      depth++;
    }
    assert.equal(depth, 6);
    assert.equal(
      status(() => parseExpand('a.b.c.d.e.f.g')),
      400,
    );
    assert.equal(
      status(() => parseExpand('x,a.b.c.d.e.f.g.h')),
      400,
    );
  });
  void it('rejects malformed paths', () => {
    for (const bad of ['a..b', 'a.', '.a', 'a-b', 'a b', '__proto__.x"']) {
      assert.equal(
        status(() => parseExpand(bad)),
        400,
        bad,
      );
    }
  });
});
