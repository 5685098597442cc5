import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TOPICS, parseTopic, topicsProblem } from './topic';

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

  void it('limits a subscription set the same way for SSE and WebSocket clients', () => {
    assert.equal(topicsProblem(['posts/*', `posts/*?options=${encodeURIComponent('{"query":{}}')}`]), null);
    assert.match(String(topicsProblem(['a'], MAX_TOPICS + 1)), /Up to 1000 topics/);
    assert.match(String(topicsProblem(['x'.repeat(2501)])), /at most 2500/);
    assert.match(String(topicsProblem([5])), /Up to/);
    for (const forged of ['posts/*\nevent:FORGED', 'posts/*\revent:FORGED', 'a\r\n\r\ndata:{}']) {
      assert.equal(topicsProblem([forged]), 'A topic may not hold a line break.');
    }
  });
});
