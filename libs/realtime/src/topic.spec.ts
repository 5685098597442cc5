import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTopic } from './topic';

void describe('parseTopic', () => {
  void it('reads collection, record and options of the SDK subscription strings', () => {
    const options = encodeURIComponent(
      JSON.stringify({ query: { expand: 'owner', n: 5 }, headers: { 'X-Token': 'a' } }),
    );
    assert.deepEqual(parseTopic(`posts/*?options=${options}`), {
      key: `posts/*?options=${options}`,
      collection: 'posts',
      recordId: null,
      options: { query: { expand: 'owner', n: '5' }, headers: { x_token: 'a' } },
    });
    assert.equal(parseTopic('posts/abc').recordId, 'abc');
    assert.deepEqual([parseTopic('posts').collection, parseTopic('posts').recordId], ['posts', null]);
    assert.equal(parseTopic('@oauth2').collection, '');
    assert.deepEqual(parseTopic('posts/*?options=%7Bbroken').options, { query: {}, headers: {} });
  });
});
