import type { BaseOperator } from './ast';
import { type SqlDialect, type SqlOperator, sqliteValue } from './dialect';
import type { ScalarOperand } from './operand';
import { type Frag, raw, sql } from './sql-fragment';

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
      return equality(dialect, op === '=', left, right);
    case '>':
    case '>=':
    case '<':
    case '<=':
      return dialect.compare(left, op, right);
    case '~':
    case '!~': {
      const binder = right.binder;
      const pattern = binder
        ? dialect.bind((ctx) => likePattern(sqliteValue(binder(ctx))), 'text').expr
        : dialect.wrapLike(right);
      return dialect.like(left, pattern, op === '!~');
    }
  }
}

/** PocketBase's `=` / `!=`: '' and NULL are the same value unless an operand disables coalescing. */
function equality(dialect: SqlDialect, equal: boolean, left: ScalarOperand, right: ScalarOperand): Frag {
  const eq: SqlOperator = equal ? '=' : 'IS NOT';
  const concat = raw(equal ? 'OR' : 'AND');
  const nullTest = (x: ScalarOperand): Frag => dialect.isNull(x, !equal);
  const leftEmpty = left.emptiness === 'empty';
  const rightEmpty = right.emptiness === 'empty';
  const empty = dialect.emptyText();

  if (left.noCoalesce || right.noCoalesce) {
    return dialect.compare(left, equal ? 'IS' : 'IS NOT', right);
  }
  if (leftEmpty && rightEmpty) {
    return dialect.compare(empty, eq, empty);
  }
  if (left.emptiness === 'nonEmpty' || right.emptiness === 'nonEmpty') {
    return dialect.compare(leftEmpty ? empty : left, eq, rightEmpty ? empty : right);
  }
  if (leftEmpty) {
    return sql`(${dialect.compare(empty, eq, right)} ${concat} ${nullTest(right)})`;
  }
  if (rightEmpty) {
    return sql`(${dialect.compare(left, eq, empty)} ${concat} ${nullTest(left)})`;
  }
  if (left.dynamic !== right.dynamic) {
    // A request value against a row value: its emptiness is only known per request.
    const [value, other] = left.dynamic ? [left, right] : [right, left];
    if (other.notNull) {
      // The column is never NULL: an empty value compares with '', so one plain (indexable) comparison does.
      return dialect.compare(other, equal ? '=' : '!=', dialect.coalesceEmpty(value));
    }
    const valueEmpty = dialect.compare(dialect.coalesceEmpty(value), '=', empty);
    return sql`(CASE WHEN ${valueEmpty} THEN (${dialect.compare(other, eq, empty)} ${concat} ${nullTest(other)}) ELSE ${dialect.compare(other, eq, value)} END)`;
  }
  return dialect.compare(dialect.coalesceEmpty(left), eq, dialect.coalesceEmpty(right));
}
