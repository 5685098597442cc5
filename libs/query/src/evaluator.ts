import { FIELD_KINDS, isMultiple, type FieldModel } from '@lib/schema';
import { type BaseOperator, type ComparisonNode, type FilterNode, type OperandNode, splitOperator } from './ast';
import { likePattern } from './comparison';
import { sqliteValue } from './dialect';
import { asciiLower, codePointOrder, sqliteLike } from './evaluator-text';
import { macroBinder } from './macros';
import { parseFilter } from './parser';
import type { CompileOptions, RequestInfo } from './query.types';
import { requestIsSet, requestValue, type RequestSection } from './request-values';
import { isRestricted } from './resolve-context';

/**
 * Evaluates a rule or filter in memory against one record (its stored values, as events carry them) and one
 * request, with the semantics of the SQL the compiler emits (reference §6.2, §6.6, SQLite's comparison rules).
 * Only expressions that need no join are supported: `compileEvaluator` returns null for the others (relations
 * beyond `rel.id`, back-relations, `@collection`, multi-valued operands, JSON paths, functions). At run time an
 * evaluation answers `undefined` when SQLite's type affinity could decide it differently (a number compared
 * with a text, LIKE over a number): the caller then runs the SQL.
 */
export interface InMemoryRule {
  evaluate(record: Record<string, unknown>, request: RequestInfo, now?: Date): boolean | undefined;
}

type Val = string | number | null;
/** `undefined`: this value can't be decided in memory. */
type Tri = boolean | undefined;

interface Ctx {
  record: Record<string, unknown>;
  request: RequestInfo;
  now: Date;
}

interface EvOperand {
  get(ctx: Ctx): Val | undefined;
  emptiness: 'empty' | 'nonEmpty' | 'unknown';
  /** Exactly one bound value: on the right of `~` it becomes `%value%`. */
  bound: boolean;
}

class Unsupported extends Error {}

const MAX_LIKE_PATTERN_BYTES = 50000;
const AUTH_KEYS = new Set(['id', 'collectionId', 'collectionName', 'email', 'emailVisibility', 'verified']);

/** An in-memory evaluator of `expr` for `opts`, or null when it needs the database (a join). */
export function compileEvaluator(expr: string, opts: CompileOptions): InMemoryRule | null {
  try {
    const tree = compileNode(parseFilter(expr), opts);
    return {
      evaluate: (record, request, now = new Date()) => tree({ record, request, now }),
    };
  } catch (error) {
    if (error instanceof Unsupported) {
      return null;
    }
    throw error;
  }
}

function compileNode(node: FilterNode, opts: CompileOptions): (ctx: Ctx) => Tri {
  if (node.type === 'comparison') {
    return compileComparison(node, opts);
  }
  const children = node.children.map((c) => compileNode(c, opts));
  const decisive = node.type === 'or';
  return (ctx) => {
    let unknown = false;
    for (const child of children) {
      const value = child(ctx);
      if (value === decisive) {
        return decisive;
      }
      unknown ||= value === undefined;
    }
    return unknown ? undefined : !decisive;
  };
}

function lowered(get: (ctx: Ctx) => Val | undefined): (ctx: Ctx) => Val | undefined {
  return (ctx) => {
    const v = get(ctx);
    return typeof v === 'string' ? asciiLower(v) : typeof v === 'number' ? undefined : v;
  };
}

function toVal(value: unknown): Val {
  const v = sqliteValue(value);
  return typeof v === 'string' || typeof v === 'number' ? v : null;
}

function compileOperand(node: OperandNode, opts: CompileOptions): EvOperand {
  switch (node.type) {
    case 'text':
      return { get: () => node.value, emptiness: node.value === '' ? 'empty' : 'nonEmpty', bound: true };
    case 'number':
      return { get: () => node.value, emptiness: 'nonEmpty', bound: true };
    case 'bool':
      return { get: () => (node.value ? 1 : 0), emptiness: 'nonEmpty', bound: false };
    case 'null':
      return { get: () => null, emptiness: 'empty', bound: false };
    case 'function':
      throw new Unsupported();
    case 'identifier':
      return identifier(node.name, opts);
  }
}

function identifier(name: string, opts: CompileOptions): EvOperand {
  if (name.startsWith('@request.')) {
    return request(name.slice('@request.'.length));
  }
  if (name.startsWith('@collection.')) {
    throw new Unsupported();
  }
  if (name.startsWith('@')) {
    const macro = macroBinder(name);
    if (!macro) {
      throw new Unsupported();
    }
    return { get: (ctx) => toVal(macro({ request: ctx.request, now: ctx.now })), emptiness: 'nonEmpty', bound: true };
  }
  const [path, modifier = null, ...extra] = name.split(':');
  const parts = path.split('.');
  const field = opts.collection.fields.find((f) => f.name === parts[0]);
  if (!field || extra.length > 0 || (field.hidden && isRestricted(opts))) {
    throw new Unsupported();
  }
  if (parts.length === 2 && parts[1] === 'id' && field.type === 'relation' && !isMultiple(field)) {
    return column(field, modifier === 'each' ? null : modifier, false);
  }
  if (parts.length !== 1 || field.type === 'json' || field.type === 'geoPoint') {
    throw new Unsupported();
  }
  const masked = opts.collection.type === 'auth' && field.name === 'email' && isRestricted(opts);
  return column(field, modifier, masked);
}

function column(field: FieldModel, modifier: string | null, masked: boolean): EvOperand {
  const stored = (ctx: Ctx): Val => {
    if (masked && ctx.record.emailVisibility !== true) {
      return null;
    }
    return toVal(FIELD_KINDS[field.type].toDb(ctx.record[field.name], field));
  };
  const multiple = isMultiple(field);
  if (modifier === 'length' && multiple) {
    return {
      get: (ctx) => {
        const v = ctx.record[field.name];
        return Array.isArray(v) ? v.length : v === null || v === undefined || v === '' ? 0 : 1;
      },
      emptiness: 'unknown',
      bound: false,
    };
  }
  if (multiple || (modifier !== null && modifier !== 'lower' && modifier !== 'each')) {
    throw new Unsupported();
  }
  if (modifier === 'each' && !['select', 'file', 'relation'].includes(field.type)) {
    throw new Unsupported();
  }
  return { get: modifier === 'lower' ? lowered(stored) : stored, emptiness: 'unknown', bound: false };
}

function request(rest: string): EvOperand {
  const [path, modifier = null, ...extra] = rest.split(':');
  const [section, key, ...more] = path.split('.');
  if (extra.length > 0 || more.length > 0) {
    throw new Unsupported();
  }
  if ((section === 'method' || section === 'context') && key === undefined) {
    const get = (ctx: Ctx): Val => toVal(section === 'method' ? ctx.request.method : ctx.request.context);
    return requestOperand(get, modifier);
  }
  if (!['auth', 'body', 'query', 'headers'].includes(section) || key === undefined || !/^\w+$/.test(key)) {
    throw new Unsupported();
  }
  const sec = section as RequestSection;
  if (modifier === 'isset' && sec !== 'auth') {
    const isSet = requestIsSet(sec, key);
    return {
      get: (ctx) => toVal(isSet({ request: ctx.request, now: ctx.now })),
      emptiness: 'nonEmpty',
      bound: true,
    };
  }
  const read = requestValue(sec, key);
  const get = (ctx: Ctx): Val | undefined => {
    const value = read({ request: ctx.request, now: ctx.now });
    if (
      sec === 'auth' &&
      !AUTH_KEYS.has(key) &&
      (Array.isArray(value) || (value !== null && typeof value === 'object'))
    ) {
      return undefined; // a multi-valued (or JSON) auth field is a joined operand in SQL
    }
    return toVal(value);
  };
  return requestOperand(get, modifier);
}

function requestOperand(get: (ctx: Ctx) => Val | undefined, modifier: string | null): EvOperand {
  if (modifier !== null && modifier !== 'lower') {
    throw new Unsupported();
  }
  return modifier === 'lower'
    ? { get: lowered(get), emptiness: 'unknown', bound: false }
    : { get, emptiness: 'unknown', bound: true };
}

/** SQLite's BINARY ordering for two values of one storage class; `undefined` for a number against a text. */
function compare(a: string | number, b: string | number): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  if (typeof a !== typeof b) {
    return undefined;
  }
  return a === b ? 0 : codePointOrder(a as string, b as string);
}

function compileComparison(node: ComparisonNode, opts: CompileOptions): (ctx: Ctx) => Tri {
  const left = compileOperand(node.left, opts);
  const right = compileOperand(node.right, opts);
  const { base } = splitOperator(node.operator);
  return (ctx) => {
    const a = left.get(ctx);
    const b = right.get(ctx);
    if (a === undefined || b === undefined) {
      return undefined;
    }
    return evaluate(base, left, right, a, b);
  };
}

function evaluate(op: BaseOperator, left: EvOperand, right: EvOperand, a: Val, b: Val): Tri {
  switch (op) {
    case '=':
    case '!=':
      return equality(op === '=', left, right, a, b);
    case '~':
    case '!~':
      return like(op === '!~', right, a, b);
    case '>':
    case '>=':
    case '<':
    case '<=': {
      if (a === null || b === null) {
        return false;
      }
      const c = compare(a, b);
      if (c === undefined) {
        return undefined;
      }
      return op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0;
    }
  }
}

/** `=` / `!=` (which is `IS NOT`) with §6.6's empty/NULL rules, as `compareScalars` compiles them. */
function equality(equal: boolean, left: EvOperand, right: EvOperand, a: Val, b: Val): Tri {
  if (left.emptiness === 'empty' && right.emptiness === 'empty') {
    return equal;
  }
  if (left.emptiness === 'nonEmpty' || right.emptiness === 'nonEmpty') {
    const x = left.emptiness === 'empty' ? '' : a;
    const y = right.emptiness === 'empty' ? '' : b;
    if (x === null || y === null) {
      return equal ? false : x !== y;
    }
    const c = compare(x, y);
    return c === undefined ? undefined : (c === 0) === equal;
  }
  const c = compare(a ?? '', b ?? '');
  return c === undefined ? undefined : (c === 0) === equal;
}

function like(negate: boolean, right: EvOperand, a: Val, b: Val): Tri {
  if (a === null || b === null) {
    return false;
  }
  if (typeof a === 'number' || typeof b === 'number') {
    return undefined; // numbers turn into text as SQLite prints them (REAL vs INTEGER)
  }
  const pattern = right.bound ? (likePattern(b) ?? '') : `%${b}%`;
  if (Buffer.byteLength(pattern) > MAX_LIKE_PATTERN_BYTES) {
    return false;
  }
  return sqliteLike(a, pattern) !== negate;
}
