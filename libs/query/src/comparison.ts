import type { BaseOperator } from './ast';
import type { SqlDialect } from './dialect';
import type { ScalarOperand } from './operand';
import { type Frag, param, raw, sql } from './sql-fragment';

/** True when a LIKE pattern already holds an unescaped `%` (then it is used as written). */
function hasUnescapedPercent(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      i++;
    } else if (pattern[i] === '%') {
      return true;
    }
  }
  return false;
}

/** The `~` right-hand value: `%value%` with `\ % _` escaped, unless it already holds an unescaped `%`. */
export function likePattern(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'bigint'
        ? value.toString()
        : typeof value === 'boolean'
          ? value
            ? '1'
            : '0'
          : JSON.stringify(value);
  if (hasUnescapedPercent(text)) {
    return text;
  }
  return '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

/** One comparison of two single values (reference §6.2 and §6.6). */
export function compareScalars(dialect: SqlDialect, op: BaseOperator, left: ScalarOperand, right: ScalarOperand): Frag {
  switch (op) {
    case '=':
    case '!=':
      return equality(op === '=', left, right);
    case '>':
    case '>=':
    case '<':
    case '<=':
      return sql`${left.expr} ${raw(op)} ${right.expr}`;
    case '~':
    case '!~': {
      const binder = right.binder;
      const pattern = binder ? param((ctx) => likePattern(dialect.toValue(binder(ctx)))) : dialect.wrapLike(right.expr);
      return dialect.like(left.expr, pattern, op === '!~');
    }
  }
}

/** PocketBase's `=` / `!=`: '' and NULL are the same value unless an operand disables coalescing. */
function equality(equal: boolean, left: ScalarOperand, right: ScalarOperand): Frag {
  const eq = raw(equal ? '=' : 'IS NOT');
  const nullEq = raw(equal ? 'IS' : 'IS NOT');
  const concat = raw(equal ? 'OR' : 'AND');
  const nullTest = raw(equal ? 'IS NULL' : 'IS NOT NULL');
  const leftEmpty = left.emptiness === 'empty';
  const rightEmpty = right.emptiness === 'empty';
  const empty = raw("''");

  if (left.noCoalesce || right.noCoalesce) {
    return sql`${left.expr} ${nullEq} ${right.expr}`;
  }
  if (leftEmpty && rightEmpty) {
    return sql`'' ${eq} ''`;
  }
  if (left.emptiness === 'nonEmpty' || right.emptiness === 'nonEmpty') {
    return sql`${leftEmpty ? empty : left.expr} ${eq} ${rightEmpty ? empty : right.expr}`;
  }
  if (leftEmpty) {
    return sql`('' ${eq} ${right.expr} ${concat} ${right.expr} ${nullTest})`;
  }
  if (rightEmpty) {
    return sql`(${left.expr} ${eq} '' ${concat} ${left.expr} ${nullTest})`;
  }
  if (left.dynamic !== right.dynamic) {
    // A request value against a row value: its emptiness is only known per request.
    const [value, other] = left.dynamic ? [left.expr, right.expr] : [right.expr, left.expr];
    if ((left.dynamic ? right : left).notNull) {
      // The column is never NULL: an empty value compares with '', so one plain (indexable) comparison does.
      return sql`${other} ${raw(equal ? '=' : '!=')} COALESCE(${value}, '')`;
    }
    return sql`(CASE WHEN COALESCE(${value}, '') = '' THEN (${other} ${eq} '' ${concat} ${other} ${nullTest}) ELSE ${other} ${eq} ${value} END)`;
  }
  return sql`COALESCE(${left.expr}, '') ${eq} COALESCE(${right.expr}, '')`;
}
