import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CollectionModel } from '@lib/schema';
import { dependentViews } from './view-dependencies';

const table = (name: string) => ({ id: `id_${name}`, name, type: 'base' }) as CollectionModel;
const view = (name: string, viewQuery: string) =>
  ({ id: `id_${name}`, name, type: 'view', viewQuery }) as CollectionModel;

const all = [
  table('posts'),
  table('posts_archive'),
  view('recent', 'SELECT id, title FROM "Posts" WHERE created > 0'),
  view('recent_titles', 'SELECT id, title FROM `recent`'),
  view('top', 'SELECT p.id FROM [recent_titles] p JOIN posts_archive a ON a.id = p.id'),
  view('archive_only', 'SELECT id FROM posts_archive'),
  view('unrelated', 'SELECT id FROM comments'),
];
const names = (views: CollectionModel[]) => views.map((v) => v.name).sort();

void describe('dependentViews', () => {
  void it('follows views read through other views, whatever the quoting and case', () =>
    assert.deepEqual(names(dependentViews(all, ['posts'])), ['recent', 'recent_titles', 'top']));
  void it('matches whole names only (posts_archive is not posts)', () =>
    assert.deepEqual(names(dependentViews(all, ['posts_archive'])), ['archive_only', 'top']));
  void it('nothing reads an unknown name', () => assert.deepEqual(dependentViews(all, ['nothing']), []));
});
