import type { SqlDialect } from './dialect';
import { invalidFilter } from './errors';
import { AliasCounter, joinChain, makeResolveContext } from './expression-compiler';
import type { AliasAllocator } from './operand';
import { resolveOperand } from './operand-resolver';
import type { CompileOptions } from './query.types';
import { type Frag, joinFrags, sql } from './sql-fragment';

/** Max comma-separated terms of one `sort` param. */
export const MAX_SORT_FIELDS = 8;

const SORT_IDENTIFIER = /^[A-Za-z_@#][A-Za-z0-9_.:@#]*$/;

/** Compiles a `sort` param (reference §6.7) into an ORDER BY body. */
export function compileSortExpression(sort: string, opts: CompileOptions, dialect: SqlDialect): Frag {
  const terms = sort
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (terms.length > MAX_SORT_FIELDS) {
    throw invalidFilter(`more than ${MAX_SORT_FIELDS} sort fields`);
  }
  const counter = new AliasCounter();
  const ctx = makeResolveContext(opts, dialect, counter);
  const alloc: AliasAllocator = { alias: () => counter.join('o') };
  const parts = terms.map((term) => {
    const desc = term.startsWith('-');
    const name = desc || term.startsWith('+') ? term.slice(1).trim() : term;
    if (name === '@random') {
      return dialect.orderBy({ expr: dialect.random(), vtype: 'number' }, desc);
    }
    if (name === '@rowid') {
      return dialect.orderBy({ expr: dialect.rowid(opts.alias), vtype: 'int' }, desc);
    }
    if (!SORT_IDENTIFIER.test(name) || name.endsWith('.') || name.endsWith(':')) {
      throw invalidFilter(`invalid sort field ${JSON.stringify(name)}`);
    }
    const operand = resolveOperand(ctx, { type: 'identifier', name, position: 0 }, alloc);
    if (operand.origin === 'request' || operand.dynamic) {
      throw invalidFilter(`can't sort by ${JSON.stringify(name)}`);
    }
    if (operand.kind === 'scalar') {
      return dialect.orderBy(operand, desc);
    }
    const chain = joinChain(dialect, counter.next('b'), operand.items);
    const first = dialect.subquery({ expr: operand.value, vtype: operand.vtype }, sql`${chain} LIMIT 1`);
    return dialect.orderBy(first, desc);
  });
  return joinFrags(parts, ', ');
}
