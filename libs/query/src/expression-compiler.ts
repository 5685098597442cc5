import type { CollectionModel } from '@lib/schema';
import { type ComparisonNode, type FilterNode, splitOperator } from './ast';
import { compareScalars } from './comparison';
import type { SqlDialect } from './dialect';
import { invalidFilter } from './errors';
import { scalar, type AliasAllocator, type JoinItem, type Operand, type ScalarOperand } from './operand';
import { resolveOperand } from './operand-resolver';
import { FILTER_LIMITS, parseFilter } from './parser';
import type { CompileOptions } from './query.types';
import { isRestricted, type ResolveContext } from './resolve-context';
import { type Frag, joinFrags, sql } from './sql-fragment';

/** Aliases unique within one top-level compile (nested rule compiles share the counter). */
export class AliasCounter {
  private n = 0;
  private joins = 0;
  next(prefix: string): string {
    return `__${prefix}${++this.n}`;
  }
  /** The alias of one more joined table source; past `FILTER_LIMITS.maxJoins` of them the expression is a 400. */
  join(prefix: string): string {
    if (++this.joins > FILTER_LIMITS.maxJoins) {
      throw invalidFilter(`more than ${FILTER_LIMITS.maxJoins} joined tables`);
    }
    return this.next(prefix);
  }
}

/** Renders `(SELECT 1) base LEFT JOIN item ON … …` */
export function joinChain(dialect: SqlDialect, base: string, items: readonly JoinItem[]): Frag {
  const check = dialect.interruptCheck();
  return joinFrags(
    [dialect.oneRow(base), ...items.map((i) => sql`LEFT JOIN ${i.source} ON ${check} AND (${i.on})`)],
    ' ',
  );
}

export function makeResolveContext(opts: CompileOptions, dialect: SqlDialect, counter: AliasCounter): ResolveContext {
  return {
    opts,
    dialect,
    fresh: (prefix) => counter.next(prefix),
    joinRule: (collection, alias, position) => joinRule(opts, dialect, counter, collection, alias, position),
  };
}

/** A non-superuser's client filter only sees joined rows its listRule allows; a locked listRule → 400. */
function joinRule(
  opts: CompileOptions,
  dialect: SqlDialect,
  counter: AliasCounter,
  collection: CollectionModel,
  alias: string,
  position: number,
): Frag | null {
  if (!isRestricted(opts)) {
    return null;
  }
  if (collection.listRule === null || collection.listRule === undefined) {
    throw invalidFilter(`only superusers can filter by collection "${collection.name}"`, position);
  }
  if (collection.listRule.trim() === '') {
    return null;
  }
  const ruleOpts: CompileOptions = { ...opts, collection, alias, mode: 'rule' };
  return compileFilterAst(parseFilter(collection.listRule), ruleOpts, dialect, counter);
}

/**
 * Compiles a parsed expression into a WHERE fragment on `opts.alias`. `?` comparisons over multi-valued
 * operands share LEFT JOINs by path (so `@collection.x.a ?= 1 && @collection.x.b ?= 2` talk about the same
 * row, as in PocketBase); the whole fragment is then wrapped in one EXISTS over those joins, which keeps the
 * main query's row count. Plain operators on multi-valued operands are "every value" NOT EXISTS subqueries, but
 * `~` / `!~` on a multi-valued field of the row itself, which match its stored JSON text as PocketBase does.
 */
export function compileFilterAst(
  ast: FilterNode,
  opts: CompileOptions,
  dialect: SqlDialect,
  counter: AliasCounter,
): Frag {
  const ctx = makeResolveContext(opts, dialect, counter);
  const shared = new Map<string, JoinItem>();
  const sharedAliases = new Map<string, string>();
  const sharedAlloc: AliasAllocator = {
    alias(key) {
      let alias = sharedAliases.get(key);
      if (!alias) {
        alias = counter.join('s');
        sharedAliases.set(key, alias);
      }
      return alias;
    },
  };
  const freshAlloc: AliasAllocator = { alias: () => counter.join('a') };

  const toScalar = (op: Operand, register: boolean): ScalarOperand => {
    if (op.kind === 'scalar') {
      return op;
    }
    if (register) {
      op.items.forEach((item) => shared.has(item.alias) || shared.set(item.alias, item));
    }
    return { ...op, kind: 'scalar', expr: op.value, binder: undefined, dynamic: false };
  };

  const comparison = (node: ComparisonNode): Frag => {
    const { base, any } = splitOperator(node.operator);
    const alloc = any ? sharedAlloc : freshAlloc;
    const left = resolveOperand(ctx, node.left, alloc);
    const right = resolveOperand(ctx, node.right, alloc);
    if (left.kind === 'scalar' && right.kind === 'scalar') {
      return compareScalars(dialect, base, left, right);
    }
    if (
      !any &&
      (base === '~' || base === '!~') &&
      left.kind === 'multi' &&
      left.storedText &&
      right.kind === 'scalar'
    ) {
      // PocketBase matches a plain `~` against the stored JSON text of a multi-valued field (its "contains").
      return compareScalars(dialect, base, scalar(left.storedText, { vtype: 'jsonText' }), right);
    }
    if (any) {
      return compareScalars(dialect, base, toScalar(left, true), toScalar(right, true));
    }
    const items = [...(left.kind === 'multi' ? left.items : []), ...(right.kind === 'multi' ? right.items : [])];
    const cmp = compareScalars(dialect, base, toScalar(left, false), toScalar(right, false));
    const chain = joinChain(dialect, counter.next('b'), items);
    return sql`NOT EXISTS (SELECT 1 FROM ${chain} WHERE ${dialect.notTrue(cmp)})`;
  };

  const compileNode = (node: FilterNode): Frag => {
    if (node.type === 'comparison') {
      return comparison(node);
    }
    const parts = node.children.map(compileNode);
    return sql`(${joinFrags(parts, node.type === 'and' ? ' AND ' : ' OR ')})`;
  };

  const body = compileNode(ast);
  if (shared.size === 0) {
    return body;
  }
  const chain = joinChain(dialect, counter.next('b'), [...shared.values()]);
  return sql`EXISTS (SELECT 1 FROM ${chain} WHERE ${body})`;
}
