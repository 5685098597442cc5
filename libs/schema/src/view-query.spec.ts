import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectsWildcard } from './view-query';

void describe('selectsWildcard', () => {
  const cases: [string, boolean][] = [
    ['SELECT * FROM users', true],
    ['select  *  from users', true],
    ['SELECT DISTINCT * FROM users', true],
    ['SELECT id, * FROM users', true],
    ['SELECT u.id, u.* FROM users u', true],
    ['SELECT "u".* FROM users "u"', true],
    ['SELECT id, name FROM (SELECT * FROM users)', true],
    ['WITH x AS (SELECT * FROM users) SELECT id FROM x', true],
    ['SELECT id,*FROM users', true],
    ['SELECT id, name FROM users', false],
    ['SELECT id, count(*) AS n FROM posts GROUP BY id', false],
    ['SELECT id, price * qty AS total FROM lines', false],
    ['SELECT id, (a) * 2 AS b FROM t', false],
    ["SELECT id, 'SELECT *' AS label FROM t", false],
    ['SELECT id, "weird,*" FROM t', false],
    ['SELECT id FROM t -- SELECT *', false],
    ['SELECT id /* , * */ FROM t', false],
  ];
  for (const [sql, expected] of cases) {
    void it(`${sql} → ${expected}`, () => assert.equal(selectsWildcard(sql), expected));
  }
});
