import type { ComparisonNode, ComparisonOperator, FilterNode, FunctionNode, OperandNode } from './ast';
import { invalidFilter } from './errors';
import { type Token, tokenize } from './lexer';

/** Hard limits of the language (all → 400). */
export const FILTER_LIMITS = {
  /** Characters of one expression. */
  maxLength: 3500,
  /** Comparisons (`a = b`) in one expression. */
  maxComparisons: 200,
  /** Nested parentheses. */
  maxDepth: 30,
  /** Function calls nested inside function arguments. */
  maxFunctionNesting: 2,
  /** Arguments of one function call. */
  maxFunctionArgs: 10,
  /**
   * Joined table sources (relation hops, json_each of multi-valued fields, back-relations, `@collection`) of one
   * expression, the listRules of joined collections included. Keeps every SELECT under SQLite's 64-table limit.
   */
  maxJoins: 50,
};

/** Parses a filter/rule expression (reference §6.1) into its AST; any syntax error is a BadRequestError. */
export function parseFilter(expr: string): FilterNode {
  if (typeof expr !== 'string') {
    throw invalidFilter('the expression must be a string');
  }
  if (expr.length > FILTER_LIMITS.maxLength) {
    throw invalidFilter(`the expression is longer than ${FILTER_LIMITS.maxLength} characters`);
  }
  return new Parser(tokenize(expr)).parse();
}

class Parser {
  private pos = 0;
  private comparisons = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    if (this.peek().kind === 'eof') {
      throw invalidFilter('empty expression', 0);
    }
    const node = this.parseOr(0);
    const rest = this.peek();
    if (rest.kind !== 'eof') {
      throw invalidFilter(`unexpected ${describe(rest)}`, rest.position);
    }
    return node;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (token.kind !== 'eof') {
      this.pos++;
    }
    return token;
  }

  private parseOr(depth: number): FilterNode {
    const start = this.peek().position;
    const children = [this.parseAnd(depth)];
    while (this.peek().kind === 'join' && this.peek().value === '||') {
      this.next();
      children.push(this.parseAnd(depth));
    }
    return children.length === 1 ? children[0] : { type: 'or', children, position: start };
  }

  private parseAnd(depth: number): FilterNode {
    const start = this.peek().position;
    const children = [this.parseGroup(depth)];
    while (this.peek().kind === 'join' && this.peek().value === '&&') {
      this.next();
      children.push(this.parseGroup(depth));
    }
    return children.length === 1 ? children[0] : { type: 'and', children, position: start };
  }

  private parseGroup(depth: number): FilterNode {
    const token = this.peek();
    if (token.kind === 'lparen') {
      if (depth + 1 > FILTER_LIMITS.maxDepth) {
        throw invalidFilter(`more than ${FILTER_LIMITS.maxDepth} nested groups`, token.position);
      }
      this.next();
      if (this.peek().kind === 'rparen') {
        throw invalidFilter('empty group', token.position);
      }
      const inner = this.parseOr(depth + 1);
      const close = this.next();
      if (close.kind !== 'rparen') {
        throw invalidFilter(`expected ")" but found ${describe(close)}`, close.position);
      }
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): ComparisonNode {
    const left = this.parseOperand(0);
    const opToken = this.next();
    if (opToken.kind !== 'op') {
      throw invalidFilter(`expected an operator but found ${describe(opToken)}`, opToken.position);
    }
    const right = this.parseOperand(0);
    if (++this.comparisons > FILTER_LIMITS.maxComparisons) {
      throw invalidFilter(`more than ${FILTER_LIMITS.maxComparisons} comparisons`, left.position);
    }
    return {
      type: 'comparison',
      operator: opToken.value as ComparisonOperator,
      left,
      right,
      position: left.position,
    };
  }

  private parseOperand(nesting: number): OperandNode {
    const token = this.next();
    switch (token.kind) {
      case 'text':
        return { type: 'text', value: token.value, position: token.position };
      case 'number':
        return { type: 'number', value: Number(token.value), position: token.position };
      case 'ident':
        if (token.value === 'true' || token.value === 'false') {
          return { type: 'bool', value: token.value === 'true', position: token.position };
        }
        if (token.value === 'null') {
          return { type: 'null', position: token.position };
        }
        return { type: 'identifier', name: token.value, position: token.position };
      case 'func':
        return this.parseFunction(token, nesting);
      case 'lparen':
      case 'rparen':
      case 'comma':
      case 'join':
      case 'op':
      case 'eof':
        throw invalidFilter(`expected an operand but found ${describe(token)}`, token.position);
    }
  }

  private parseFunction(token: Token, nesting: number): FunctionNode {
    if (nesting + 1 > FILTER_LIMITS.maxFunctionNesting) {
      throw invalidFilter(`functions nested more than ${FILTER_LIMITS.maxFunctionNesting} levels`, token.position);
    }
    this.next(); // "("
    const args: OperandNode[] = [];
    while (this.peek().kind !== 'rparen') {
      args.push(this.parseOperand(nesting + 1));
      if (args.length > FILTER_LIMITS.maxFunctionArgs) {
        throw invalidFilter(`more than ${FILTER_LIMITS.maxFunctionArgs} function arguments`, token.position);
      }
      const sep = this.peek();
      if (sep.kind === 'comma') {
        this.next();
      } else if (sep.kind !== 'rparen') {
        throw invalidFilter(`expected "," or ")" but found ${describe(sep)}`, sep.position);
      }
    }
    this.next(); // ")"
    if (args.length === 0) {
      throw invalidFilter(`function ${token.value}() needs arguments`, token.position);
    }
    return { type: 'function', name: token.value, args, position: token.position };
  }
}

function describe(token: Token): string {
  return token.kind === 'eof' ? 'the end of the expression' : JSON.stringify(token.value);
}
