import type { CollectionModel } from './collection.model';

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

/** The names a query mentions (bare words and quoted identifiers, lower-cased), comments and string literals left out. */
function namesIn(sql: string): Set<string> {
  const text = sql.replace(/--[^\n]*|\/\*[\s\S]*?(\*\/|$)/g, ' ').replace(/'(?:[^']|'')*'?/g, ' ');
  const names = new Set<string>();
  for (const m of text.matchAll(/"((?:[^"]|"")*)"?|`([^`]*)`?|\[([^\]]*)\]?|(\w+)/g)) {
    names.add((m[1]?.replace(/""/g, '"') ?? m[2] ?? m[3] ?? m[4] ?? '').toLowerCase());
  }
  return names;
}

/**
 * The first credential column (a password hash, a token key) of an auth collection that a view query names, with
 * the collection, or null. Names compare case-insensitively, as SQLite resolves them and as PostgreSQL folds the
 * unquoted ones: a view naming `tokenKey` is refused with this one message before either database reads it
 * (PostgreSQL would otherwise answer that the column `tokenkey` doesn't exist).
 */
export function namedCredential(
  sql: string,
  collections: readonly CollectionModel[],
): { column: string; collection: string } | null {
  const names = namesIn(sql);
  for (const c of collections) {
    if (c.type !== 'auth' || !names.has(c.name.toLowerCase())) {
      continue;
    }
    const secret = c.fields.find(
      (f) => (f.type === 'password' || f.name === 'tokenKey') && names.has(f.name.toLowerCase()),
    );
    if (secret) {
      return { column: secret.name, collection: c.name };
    }
  }
  return null;
}
