import { COMPARISON_OPERATORS } from './ast';
import { invalidFilter } from './errors';

export type TokenKind = 'lparen' | 'rparen' | 'comma' | 'join' | 'op' | 'text' | 'number' | 'ident' | 'func' | 'eof';

export interface Token {
  kind: TokenKind;
  value: string;
  position: number;
}

const IDENT_START = /[A-Za-z_@#]/;
const IDENT_PART = /[A-Za-z0-9_.:@#]/;
const DIGIT = /[0-9]/;
const SPACE = /[ \t\r\n]/;

/** Splits a filter expression into tokens; comments and whitespace are dropped. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (SPACE.test(ch)) {
      i++;
    } else if (ch === '/' && input[i + 1] === '/') {
      while (i < input.length && input[i] !== '\n') {
        i++;
      }
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', value: ch, position: i });
      i++;
    } else if ((ch === '&' || ch === '|') && input[i + 1] === ch) {
      tokens.push({ kind: 'join', value: ch + ch, position: i });
      i += 2;
    } else if (ch === "'" || ch === '"') {
      i = readText(input, i, tokens);
    } else if (DIGIT.test(ch) || (ch === '-' && DIGIT.test(input[i + 1] ?? ''))) {
      i = readNumber(input, i, tokens);
    } else if (IDENT_START.test(ch)) {
      i = readIdentifier(input, i, tokens);
    } else {
      const op = COMPARISON_OPERATORS.find((o) => input.startsWith(o, i));
      if (!op) {
        throw invalidFilter(`unexpected character ${JSON.stringify(ch)}`, i);
      }
      tokens.push({ kind: 'op', value: op, position: i });
      i += op.length;
    }
  }
  tokens.push({ kind: 'eof', value: '', position: input.length });
  return tokens;
}

function readText(input: string, start: number, tokens: Token[]): number {
  const quote = input[start];
  let value = '';
  let i = start + 1;
  while (i < input.length) {
    const ch = input[i];
    if (ch === '\\' && input[i + 1] === quote) {
      value += quote;
      i += 2;
    } else if (ch === quote) {
      tokens.push({ kind: 'text', value, position: start });
      return i + 1;
    } else {
      value += ch;
      i++;
    }
  }
  throw invalidFilter('unterminated text literal', start);
}

function readNumber(input: string, start: number, tokens: Token[]): number {
  const match = /^-?\d+(\.\d+)?/.exec(input.slice(start));
  const text = match ? match[0] : '';
  const next = input[start + text.length] ?? '';
  if (!text || IDENT_PART.test(next)) {
    throw invalidFilter('invalid number', start);
  }
  tokens.push({ kind: 'number', value: text, position: start });
  return start + text.length;
}

function readIdentifier(input: string, start: number, tokens: Token[]): number {
  let i = start + 1;
  while (i < input.length && IDENT_PART.test(input[i])) {
    i++;
  }
  const name = input.slice(start, i);
  if (name.endsWith('.') || name.endsWith(':') || name.includes('..') || name.includes('::')) {
    throw invalidFilter(`invalid identifier ${JSON.stringify(name)}`, start);
  }
  const isFunc = input[i] === '(';
  tokens.push({ kind: isFunc ? 'func' : 'ident', value: name, position: start });
  return i;
}
