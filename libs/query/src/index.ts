export type { SchemaLookup, RequestInfo, CompileOptions, CompiledExpression } from './query.types';
export { QueryCompiler } from './query-compiler';
export { parseFilter, FILTER_LIMITS } from './parser';
export type {
  FilterNode,
  ComparisonNode,
  LogicalNode,
  OperandNode,
  IdentifierNode,
  TextNode,
  NumberNode,
  BoolNode,
  NullNode,
  FunctionNode,
  ComparisonOperator,
  BaseOperator,
  AnyOperator,
} from './ast';
export { sqliteDialect } from './sqlite-dialect';
export { postgresDialect } from './postgres-dialect';
export { POSTGRES_SUPPORT_SQL, toPostgresPlaceholders } from './postgres-support';
export { quoteIdent } from './dialect';
export type { SqlDialect, SqlOperator, Typed, ValueType, BindKind } from './dialect';
export { MAX_SORT_FIELDS } from './sort-compiler';
export { MAX_BACK_RELATIONS, MAX_RELATION_DEPTH } from './resolve-context';
export { parseFields, applyFields } from './fields';
export type { FieldsTree, FieldsNode, ExcerptModifier } from './fields';
export { parseExpand, MAX_EXPAND_DEPTH } from './expand';
export type { ExpandTree } from './expand';
export { excerpt } from './excerpt';
export { compileEvaluator } from './evaluator';
export { sqliteLike } from './evaluator-text';
export type { InMemoryRule } from './evaluator';
