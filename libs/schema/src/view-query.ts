/** Words after which a `*` is a column wildcard (`SELECT *`, `SELECT DISTINCT *`, `SELECT ALL *`). */
const BEFORE_WILDCARD = new Set(['select', 'distinct', 'all', ',', '.']);

/**
 * The query with comments, string literals and quoted identifiers blanked out (a `*` inside them is
 * text, not SQL), so the tokens left are keywords, names, numbers and punctuation.
 */
function blankQuoted(sql: string): string {
  return sql
    .replace(/--[^\n]*|\/\*[\s\S]*?(\*\/|$)/g, ' ')
    .replace(/'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`[^`]*`?|\[[^\]]*\]?/g, ' q ');
}

/**
 * Whether a view query selects columns with a wildcard (`*` or `alias.*`) anywhere, subqueries and CTEs
 * included. PocketBase refuses them: a wildcard takes whatever a table holds, the password hash, the token
 * key and hidden fields included, and keeps taking new columns as the table grows. `count(*)` and
 * multiplication are not wildcards.
 */
export function selectsWildcard(sql: string): boolean {
  const tokens = blankQuoted(sql).match(/\w+|[^\s\w]/g) ?? [];
  return tokens.some((token, i) => token === '*' && i > 0 && BEFORE_WILDCARD.has(tokens[i - 1].toLowerCase()));
}
