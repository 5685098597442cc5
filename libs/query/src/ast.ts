/** The filter language's syntax tree (reference §6.1). Positions are 0-based offsets into the expression. */
export type BaseOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~';
export type AnyOperator = '?=' | '?!=' | '?>' | '?>=' | '?<' | '?<=' | '?~' | '?!~';
export type ComparisonOperator = BaseOperator | AnyOperator;

export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = [
  '?!=',
  '?!~',
  '?>=',
  '?<=',
  '!=',
  '!~',
  '>=',
  '<=',
  '?=',
  '?>',
  '?<',
  '?~',
  '=',
  '>',
  '<',
  '~',
];

export interface IdentifierNode {
  type: 'identifier';
  name: string;
  position: number;
}

export interface TextNode {
  type: 'text';
  value: string;
  position: number;
}

export interface NumberNode {
  type: 'number';
  value: number;
  position: number;
}

export interface BoolNode {
  type: 'bool';
  value: boolean;
  position: number;
}

export interface NullNode {
  type: 'null';
  position: number;
}

export interface FunctionNode {
  type: 'function';
  name: string;
  args: OperandNode[];
  position: number;
}

export type OperandNode = IdentifierNode | TextNode | NumberNode | BoolNode | NullNode | FunctionNode;

export interface ComparisonNode {
  type: 'comparison';
  operator: ComparisonOperator;
  left: OperandNode;
  right: OperandNode;
  position: number;
}

export interface LogicalNode {
  type: 'and' | 'or';
  children: FilterNode[];
  position: number;
}

export type FilterNode = ComparisonNode | LogicalNode;

/** Splits `?=` into its base operator and whether it is the "any" variant. */
export function splitOperator(op: ComparisonOperator): { base: BaseOperator; any: boolean } {
  return op.startsWith('?')
    ? { base: op.slice(1) as BaseOperator, any: true }
    : { base: op as BaseOperator, any: false };
}
