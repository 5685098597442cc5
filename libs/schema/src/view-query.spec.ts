import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CollectionModel } from './collection.model';
import { namedCredential, selectsWildcard } from './view-query';

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

void describe('namedCredential', () => {
  const field = (name: string, type: string) => ({ id: name, name, type, system: false, hidden: false });
  const users = {
    name: 'Users',
    type: 'auth',
    fields: [field('id', 'text'), field('email', 'email'), field('password', 'password'), field('tokenKey', 'text')],
  } as unknown as CollectionModel;
  const posts = { name: 'posts', type: 'base', fields: [field('tokenKey', 'text')] } as unknown as CollectionModel;
  const cases: [string, string | null][] = [
    ['SELECT id, tokenKey FROM users', 'tokenKey of Users'],
    ['SELECT id, "tokenKey" FROM "Users"', 'tokenKey of Users'],
    ['SELECT u.id, u.TOKENKEY AS k FROM users u', 'tokenKey of Users'],
    ['SELECT id, [tokenKey] FROM `users`', 'tokenKey of Users'],
    ['SELECT id, password AS p FROM users', 'password of Users'],
    ['SELECT id, email FROM users', null],
    ['SELECT id, tokenKey FROM posts', null],
    ["SELECT id, 'tokenKey' AS label FROM users", null],
    ['SELECT id FROM users -- tokenKey', null],
    ['SELECT id /* password */ FROM users', null],
  ];
  for (const [sql, expected] of cases) {
    void it(`${sql} → ${expected}`, () => {
      const found = namedCredential(sql, [posts, users]);
      assert.equal(found && `${found.column} of ${found.collection}`, expected);
    });
  }
});
