import fc from 'fast-check';
import type { BaseOperator, ComparisonNode, ComparisonOperator, FilterNode, OperandNode } from '../ast';

/**
 * A model of the filter language over plain scalar fields, for property tests: random valid ASTs, their
 * expression text, and an in-memory evaluator written from the reference (§6.2, §6.6) and SQLite's rules.
 */

/** The plain fields of the fixture's `posts` the model uses, by value class. */
export const TEXT_FIELDS = ['id', 'title', 'status'] as const;
export const NUMBER_FIELDS = ['views', 'published'] as const;

export type SqlValue = string | number | null;
export type ModelRow = Record<string, SqlValue>;

const BASE_OPS: BaseOperator[] = ['=', '!=', '>', '>=', '<', '<=', '~', '!~'];
const ALPHABET = ['a', 'b', 'A', 'é', ' ', '%', '_', '\\', "'", '"', '1', '😀'];

/** Short texts over an alphabet with LIKE wildcards, the escape char, quotes and non-ASCII. */
export const smallText = fc
  .array(fc.constantFrom(...ALPHABET), { maxLength: 4 })
  .map((chars) => chars.join(''))
  .filter((s) => !s.endsWith('\\')); // the grammar can't spell a text ending in a backslash

export const smallNumber = fc.oneof(
  fc.integer({ min: -5, max: 12 }),
  fc.integer({ min: -5, max: 12 }).map((n) => n + 0.5),
);

const at = 0;
const ident = (name: string): OperandNode => ({ type: 'identifier', name, position: at });
const text = (value: string): OperandNode => ({ type: 'text', value, position: at });
const num = (value: number): OperandNode => ({ type: 'number', value, position: at });
const empties: fc.Arbitrary<OperandNode> = fc.constantFrom<OperandNode>(text(''), { type: 'null', position: at });

const textSide = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TEXT_FIELDS).map(ident) },
  { weight: 3, arbitrary: smallText.map(text) },
  { weight: 1, arbitrary: empties },
);
const numberSide = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NUMBER_FIELDS).map(ident) },
  { weight: 3, arbitrary: smallNumber.map(num) },
  { weight: 1, arbitrary: fc.boolean().map((value): OperandNode => ({ type: 'bool', value, position: at })) },
  { weight: 1, arbitrary: empties },
);

const comparison: fc.Arbitrary<ComparisonNode> = fc
  .record({
    sides: fc.oneof(fc.tuple(textSide, textSide), fc.tuple(numberSide, numberSide)),
    op: fc.constantFrom(...BASE_OPS),
    any: fc.boolean(),
  })
  .map(({ sides: [left, right], op, any }) => ({
    type: 'comparison',
    operator: any ? (`?${op}` as ComparisonOperator) : op,
    left,
    right,
    position: at,
  }));

/** Random valid ASTs: comparisons of plain fields and literals joined by `&&`/`||`, up to 3 levels deep. */
export const filterAst: fc.Arbitrary<FilterNode> = fc.letrec<{ node: FilterNode; group: FilterNode }>((tie) => ({
  node: fc.oneof({ maxDepth: 3, depthIdentifier: 'filter' }, comparison, tie('group')),
  group: fc.record({
    type: fc.constantFrom('and' as const, 'or' as const),
    children: fc.array(tie('node'), { minLength: 2, maxLength: 3 }),
    position: fc.constant(at),
  }),
})).node;

export const modelRow = (id: string): fc.Arbitrary<ModelRow> =>
  fc.record({
    id: fc.constant(id),
    title: fc.option(smallText, { freq: 4 }),
    status: fc.option(fc.constantFrom('draft', 'published', '', 'a%', 'B_'), { freq: 4 }),
    views: fc.option(smallNumber, { freq: 4 }),
    published: fc.option(fc.constantFrom(0, 1), { freq: 4 }),
  });

// --- printing -------------------------------------------------------------------------------------------

function printOperand(node: OperandNode): string {
  switch (node.type) {
    case 'identifier':
      return node.name;
    case 'number':
      return String(node.value);
    case 'bool':
      return String(node.value);
    case 'null':
      return 'null';
    case 'text': {
      const quote = node.value.includes("'") && !node.value.includes('"') ? '"' : "'";
      return quote + node.value.split(quote).join('\\' + quote) + quote;
    }
    case 'function':
      return `${node.name}(${node.args.map(printOperand).join(', ')})`;
  }
}

/** Expression text of an AST; logical children are always parenthesised, so it parses back to the same tree. */
export function printFilter(node: FilterNode): string {
  if (node.type === 'comparison') {
    return `${printOperand(node.left)} ${node.operator} ${printOperand(node.right)}`;
  }
  const parts = node.children.map((c) => (c.type === 'comparison' ? printFilter(c) : `(${printFilter(c)})`));
  return parts.join(node.type === 'and' ? ' && ' : ' || ');
}

// --- evaluation -----------------------------------------------------------------------------------------

/** SQLite's BINARY ordering: NULL handled by callers, numbers before texts, texts by code point (= UTF-8 bytes). */
function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  if (typeof a === 'number' || typeof b === 'number') {
    return typeof a === 'number' ? -1 : 1;
  }
  const ca = [...a].map((c) => c.codePointAt(0) ?? 0);
  const cb = [...b].map((c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    if (ca[i] !== cb[i]) {
      return ca[i] - cb[i];
    }
  }
  return ca.length - cb.length;
}

const asciiLower = (c: string): string => (c >= 'A' && c <= 'Z' ? c.toLowerCase() : c);

/** SQLite's `value LIKE pattern ESCAPE '\'`: ASCII case-insensitive; a trailing escape matches nothing. */
export function sqliteLike(value: string, pattern: string): boolean {
  const v = [...value].map(asciiLower);
  const p = [...pattern].map(asciiLower);
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = i * (p.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) {
      return known;
    }
    let result: boolean;
    if (j === p.length) {
      result = i === v.length;
    } else if (p[j] === '%') {
      result = match(i, j + 1) || (i < v.length && match(i + 1, j));
    } else if (p[j] === '\\') {
      result = j + 1 < p.length && i < v.length && v[i] === p[j + 1] && match(i + 1, j + 2);
    } else {
      result = i < v.length && (p[j] === '_' || v[i] === p[j]) && match(i + 1, j + 1);
    }
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

/** The `~` pattern of a bound value (§6.2): `%value%` escaped, unless it holds an unescaped `%`. */
function boundPattern(value: string): string {
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') {
      i++;
    } else if (value[i] === '%') {
      return value;
    }
  }
  return '%' + value.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

const sqlText = (v: string | number): string => (typeof v === 'number' ? String(v) : v);

function valueOf(node: OperandNode, row: ModelRow): SqlValue {
  switch (node.type) {
    case 'identifier':
      return row[node.name] ?? null;
    case 'text':
    case 'number':
      return node.value;
    case 'bool':
      return node.value ? 1 : 0;
    case 'null':
    case 'function':
      return null;
  }
}

const isEmptyLiteral = (n: OperandNode): boolean => n.type === 'null' || (n.type === 'text' && n.value === '');
const isNonEmptyLiteral = (n: OperandNode): boolean =>
  n.type === 'number' || n.type === 'bool' || (n.type === 'text' && n.value !== '');
const isNothing = (v: SqlValue): boolean => v === null || v === '';

/** `=` (equal) / `!=` with §6.6's empty/null rules; `!=` is `IS NOT`, so it is never NULL. */
function equality(equal: boolean, node: ComparisonNode, row: ModelRow): boolean {
  const { left, right } = node;
  const same = (a: SqlValue, b: SqlValue): boolean | null => (a === null || b === null ? null : compare(a, b) === 0);
  if (isEmptyLiteral(left) && isEmptyLiteral(right)) {
    return equal;
  }
  if (isNonEmptyLiteral(left) || isNonEmptyLiteral(right)) {
    const a = isEmptyLiteral(left) ? '' : valueOf(left, row);
    const b = isEmptyLiteral(right) ? '' : valueOf(right, row);
    return equal ? same(a, b) === true : a === null || b === null ? a !== b : !same(a, b);
  }
  if (isEmptyLiteral(left) || isEmptyLiteral(right)) {
    const other = valueOf(isEmptyLiteral(left) ? right : left, row);
    return equal ? isNothing(other) : !isNothing(other);
  }
  const eq = same(valueOf(left, row) ?? '', valueOf(right, row) ?? '') === true;
  return equal ? eq : !eq;
}

function like(negate: boolean, node: ComparisonNode, row: ModelRow): boolean {
  const value = valueOf(node.left, row);
  const right = valueOf(node.right, row);
  if (value === null || right === null) {
    return false;
  }
  const literal = node.right.type === 'text' || node.right.type === 'number';
  const pattern = literal ? boundPattern(sqlText(right)) : `%${sqlText(right)}%`;
  // A number literal is bound as a REAL, whose text is "5.0"; stored integers read "5".
  const text = node.left.type === 'number' && Number.isInteger(value) ? (value as number).toFixed(1) : sqlText(value);
  return sqliteLike(text, pattern) !== negate;
}

function evaluateComparison(node: ComparisonNode, row: ModelRow): boolean {
  const op = (node.operator.startsWith('?') ? node.operator.slice(1) : node.operator) as BaseOperator;
  switch (op) {
    case '=':
    case '!=':
      return equality(op === '=', node, row);
    case '~':
    case '!~':
      return like(op === '!~', node, row);
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const a = valueOf(node.left, row);
      const b = valueOf(node.right, row);
      if (a === null || b === null) {
        return false;
      }
      const c = compare(a, b);
      return op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0;
    }
  }
}

/** Whether `row` is selected by `node` (NULL counts as not selected; without NOT that is exact). */
export function evaluateFilter(node: FilterNode, row: ModelRow): boolean {
  if (node.type === 'comparison') {
    return evaluateComparison(node, row);
  }
  return node.type === 'and'
    ? node.children.every((c) => evaluateFilter(c, row))
    : node.children.some((c) => evaluateFilter(c, row));
}
