import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '@lib/core';
import { authOf, posts, request, runner, schema } from './testing/fixture';
import type { CompileOptions } from './query.types';

const run = runner();

function sorted(sort: string, opts: Partial<CompileOptions> = {}): string[] {
  return run.sorted(sort, opts, request({ auth: authOf(run.db, 'u1') }));
}

function status(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    return err.status;
  }
  return 200;
}

const cases: [string, string[]][] = [
  ['-views', ['p5', 'p1', 'p3', 'p2', 'p4']],
  ['views', ['p4', 'p2', 'p3', 'p1', 'p5']],
  ['+views', ['p4', 'p2', 'p3', 'p1', 'p5']],
  ['title', ['p3', 'p1', 'p4', 'p2', 'p5']],
  ['title:lower', ['p3', 'p5', 'p1', 'p4', 'p2']],
  ['author.name,-views', ['p3', 'p5', 'p1', 'p2', 'p4']],
  [' author.name , -views ,', ['p3', 'p5', 'p1', 'p2', 'p4']],
  ['-author.team.name,@rowid', ['p1', 'p5', 'p2', 'p3', 'p4']],
  ['@rowid', ['p1', 'p2', 'p3', 'p4', 'p5']],
  ['-@rowid', ['p5', 'p4', 'p3', 'p2', 'p1']],
  ['meta.n,@rowid', ['p2', 'p3', 'p4', 'p1', 'p5']],
  ['published,-created', ['p4', 'p2', 'p3', 'p1', 'p5']],
  ['-labels:length,id', ['p5', 'p1', 'p2', 'p4', 'p3']],
  ['comments_via_post.text,id', ['p3', 'p5', 'p1', 'p2', 'p4']],
];

void describe('sort', () => {
  for (const [sort, expected] of cases) {
    void it(sort, () => assert.deepEqual(sorted(sort), expected));
  }
  void it('empty sort gives an empty ORDER BY body', () => {
    const compiled = run.compiler.compileSort('', {
      collection: posts,
      schema,
      mode: 'filter',
      isSuperuser: false,
      alias: 'r',
    });
    assert.equal(compiled.sql, '');
    assert.deepEqual(compiled.bind(request()), []);
  });
  void it('@random uses RANDOM()', () => {
    const compiled = run.compiler.compileSort('@random', {
      collection: posts,
      schema,
      mode: 'filter',
      isSuperuser: false,
      alias: 'r',
    });
    assert.equal(compiled.sql, 'RANDOM() ASC');
    assert.equal(sorted('@random').length, 5);
  });
  void it('rejects unknown fields, bad syntax, hidden fields and more than 8 terms', () => {
    for (const bad of [
      'nope',
      'author.nope',
      'title;',
      'title DESC',
      '"title"',
      '--title',
      'title.',
      'secret',
      'author.password',
      '@nope',
    ]) {
      assert.equal(
        status(() => sorted(bad)),
        400,
        bad,
      );
    }
    assert.equal(
      status(() => sorted('id,id,id,id,id,id,id,id')),
      200,
    );
    assert.equal(
      status(() => sorted('id,id,id,id,id,id,id,id,id')),
      400,
    );
  });
  void it('refuses @request values (400) and @collection/@request for non-superusers (403)', () => {
    assert.equal(
      status(() => sorted('@request.auth.id', { mode: 'rule' })),
      400,
    );
    assert.equal(
      status(() => sorted('@request.auth.id')),
      403,
    );
    assert.equal(
      status(() => sorted('@collection.tags.name')),
      403,
    );
    assert.equal(
      status(() => sorted('@collection.tags.name', { isSuperuser: true })),
      200,
    );
  });
});
