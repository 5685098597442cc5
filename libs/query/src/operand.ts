import type { ValueType } from './dialect';
import type { Binder, Frag } from './sql-fragment';

/** One LEFT JOIN of a path: a table source (with its alias) and the condition tying it to what precedes it. */
export interface JoinItem {
  source: Frag;
  on: Frag;
  alias: string;
}

interface OperandBase {
  /** What the value expression holds (see `ValueType`); `affinity` only for a bare column reference. */
  vtype: ValueType;
  affinity?: 'text' | 'numeric';
  /** JSON paths, geoDistance and `:changed` compare with IS / IS NOT instead of the empty-coalescing rules. */
  noCoalesce: boolean;
  /** Literal emptiness known at compile time: '' / null are `empty`, other literals `nonEmpty`. */
  emptiness: 'empty' | 'nonEmpty' | 'unknown';
  /** A value computed per request (request data, macros) rather than read from a row. */
  dynamic: boolean;
  /** Set when the operand is exactly one bound value (its raw binder): `~` then wraps the value itself as `%value%`. */
  binder?: Binder;
  /** A stored column that can't be NULL (storage default ''/0): `= ''` then needs no `IS NULL` twin, keeping indexes usable. */
  notNull?: boolean;
  /** Set for `@request.*`/`@collection.*` operands (sort refuses them; filters need a superuser). */
  origin?: 'request' | 'collection';
}

/** A single value per row of the main table. */
export interface ScalarOperand extends OperandBase {
  kind: 'scalar';
  expr: Frag;
}

/** Several values per row: `value` evaluated over the rows of the LEFT JOIN chain `items`. */
export interface MultiOperand extends OperandBase {
  kind: 'multi';
  items: JoinItem[];
  value: Frag;
  /**
   * The stored JSON text of the values, when they are a multi-valued field of the row itself (no relation hop,
   * no modifier): PocketBase's plain `~` / `!~` match that text (`members ~ @request.auth.id`).
   */
  storedText?: Frag;
}

export type Operand = ScalarOperand | MultiOperand;

/** Gives aliases to path joins: shared ones (by path key) for `?` comparisons, fresh ones otherwise. */
export interface AliasAllocator {
  alias(key: string): string;
}

/** A scalar operand; `vtype` defaults to `dyn` (any value). */
export function scalar(expr: Frag, extra: Partial<OperandBase> = {}): ScalarOperand {
  return { kind: 'scalar', expr, vtype: 'dyn', noCoalesce: false, emptiness: 'unknown', dynamic: false, ...extra };
}
