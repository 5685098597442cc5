// Filter and sort expressions for the route fuzzer: terms over the world's fields (hidden ones, relations,
// back-relations, @collection and @request included) with every operator, joined and grouped, or hostile text.
import fc from 'fast-check';

import { hostileText, numberText } from './strings';
import type { World } from './world';

/** A filter or sort expression over the world's fields, hidden ones, relations and macros. */
export function expression(world: World): fc.Arbitrary<string> {
  const names = [...world.fields, 'id', 'r.email', 'r.nick', `${world.open}_via_o`, '@request.auth.id', 'hid'];
  const ident = fc.oneof(
    fc.constantFrom(
      ...names,
      `@collection.${world.locked}.secret`,
      '@now',
      '@rowid',
      'hid:lower',
      's:each',
      'f:length',
    ),
    fc.string({ maxLength: 8 }),
  );
  const value = fc.oneof(
    hostileText.map((s) => JSON.stringify(s)),
    numberText,
    fc.constantFrom('true', 'false', 'null', "''", '""', '@request.auth.id', '@todayStart'),
  );
  const op = fc.constantFrom('=', '!=', '>', '>=', '<', '<=', '~', '!~', '?=', '?~', '', '==');
  const term = fc.tuple(ident, op, value).map(([a, o, v]) => `${a} ${o} ${v}`);
  return fc.oneof(
    { weight: 3, arbitrary: term },
    {
      weight: 2,
      arbitrary: fc.array(term, { minLength: 2, maxLength: 4 }).map((t) => `(${t.join(' && ')}) || ${t[0]}`),
    },
    { weight: 1, arbitrary: hostileText },
    { weight: 1, arbitrary: fc.constantFrom('-hid', 'hid', '@random', `-${world.fields.join(',+')}`, '((((', ')') },
  );
}
