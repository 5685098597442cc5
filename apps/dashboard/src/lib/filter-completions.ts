import { currentWord, matching, type Suggestion } from './rule-completions';

/** The filter language's comparison operators (`?` forms: any of a multi-valued field). */
export const COMPARISON_OPERATORS = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  '~',
  '!~',
  '?=',
  '?!=',
  '?>',
  '?>=',
  '?<',
  '?<=',
  '?~',
  '?!~',
];
export const LOGICAL_OPERATORS = ['&&', '||'];

const OPERATOR_DETAIL: Record<string, string> = {
  '~': 'contains / like',
  '!~': 'not contains',
  '&&': 'and',
  '||': 'or',
};

/** What the editor completes at the cursor: `word` (the text it replaces) and the options. */
export interface CompletionAt {
  word: string;
  suggestions: Suggestion[];
  /** `name` for field-like words, `operator` for operator characters. */
  kind: 'name' | 'operator';
}

type Token = { kind: 'operand' | 'comparison' | 'logical' | 'open' | 'comma' | 'other'; text: string };

/** Tokens of the text before the cursor, or null when the cursor is inside a quoted string. */
function tokensBefore(before: string): Token[] | null {
  const tokens: Token[] = [];
  const re = /\s+|\/\/[^\n]*|"(?:\\"|[^"])*"?|'(?:\\'|[^'])*'?|&&|\|\||[?!<>=~]+|[(),]|[@\w.:#-]+|./g;
  for (const [text] of before.matchAll(re)) {
    if (/^\s/.test(text) || text.startsWith('//')) {
      continue;
    }
    const quote = text[0];
    if (
      (quote === '"' || quote === "'") &&
      (text.length === 1 || !text.endsWith(quote) || text.endsWith(`\\${quote}`))
    ) {
      return null;
    }
    if (text === '&&' || text === '||') {
      tokens.push({ kind: 'logical', text });
    } else if (COMPARISON_OPERATORS.includes(text)) {
      tokens.push({ kind: 'comparison', text });
    } else if (text === '(') {
      tokens.push({ kind: 'open', text });
    } else if (text === ',') {
      tokens.push({ kind: 'comma', text });
    } else if (text === ')' || /^["'@\w#-]/.test(text)) {
      tokens.push({ kind: 'operand', text });
    } else {
      tokens.push({ kind: 'other', text });
    }
  }
  return tokens;
}

/** Whether the tokens end with a whole comparison (or a parenthesised group), not a lone left operand. */
function wholeComparison(tokens: Token[]): boolean {
  let end = tokens.length - 1;
  if (tokens[end]?.text === ')') {
    let depth = 0;
    for (; end >= 0; end--) {
      depth += tokens[end].text === ')' ? 1 : tokens[end].kind === 'open' ? -1 : 0;
      if (depth === 0) {
        break;
      }
    }
    // `geoDistance(...)` is an operand; `( ... )` a whole group.
    return tokens[end - 1]?.kind !== 'operand';
  }
  return tokens[end - 1]?.kind === 'comparison';
}

/**
 * What to complete at the end of `before` (the text before the cursor) of a rule or filter: names from
 * `suggest` while a name is typed; after an operand, the comparison operators (or `&&`/`||` after a whole
 * comparison) once an operator character is typed, or on an explicit request (Ctrl+Space) after a space.
 * Nothing inside a quoted string.
 */
export function completionAt(
  before: string,
  suggest: (word: string) => Suggestion[],
  explicit = false,
): CompletionAt | null {
  if (!tokensBefore(before)) {
    return null;
  }
  const opWord = /[?!<>=~&|]*$/.exec(before)?.[0] ?? '';
  const word = currentWord(before);
  if (opWord === '' && word === '' && !explicit) {
    return null;
  }
  const rest = before.slice(0, before.length - opWord.length);
  const prior = tokensBefore(rest) ?? [];
  const last = prior.at(-1);
  const afterOperand = last?.kind === 'operand' && (opWord !== '' || /\s$/.test(rest));
  if (opWord === '' && (word !== '' || !afterOperand)) {
    return { word, suggestions: matching(word, suggest(word)), kind: 'name' };
  }
  if (!afterOperand) {
    return null;
  }
  // An operand, then an operator (being) typed: a comparison after a left operand, `&&`/`||` after a whole one.
  const afterComparison = wholeComparison(prior);
  const list = afterComparison ? LOGICAL_OPERATORS : COMPARISON_OPERATORS;
  const suggestions = list
    .filter((op) => op.startsWith(opWord) && op !== opWord)
    .map((label) => ({ label, kind: 'keyword', detail: OPERATOR_DETAIL[label] }));
  return { word: opWord, suggestions, kind: 'operator' };
}

/** A column's text-like fields a plain search term looks in (PocketBase's dashboard searches the same way). */
export function searchFields(fields: readonly { name: string; type: string; hidden?: boolean }[]): string[] {
  const names = fields.filter((f) => ['text', 'email', 'url', 'editor'].includes(f.type)).map((f) => f.name);
  return fields.some((f) => f.name === 'id') && !names.includes('id') ? ['id', ...names] : names;
}

/**
 * The filter sent for what was typed in a filter bar: an expression as it is; a plain search term (no
 * operator in it) becomes `a ~ "term" || b ~ "term"` over `fields`.
 */
export function searchFilter(typed: string, fields: readonly string[]): string {
  const text = typed.trim();
  if (text === '' || fields.length === 0 || /[=~<>!]|&&|\|\|/.test(text)) {
    return text;
  }
  const term = text
    .replace(/^(["'])(.*)\1$/, '$2')
    .replace(/\\+$/, '')
    .replace(/"/g, '\\"');
  return fields.map((f) => `${f} ~ "${term}"`).join(' || ');
}
