import type { FieldError } from '@lib/core';

export interface ParsedIndex {
  name: string;
  unique: boolean;
  columns: string[];
  where?: string;
}

const IDENT = '[`"\\[]?(\\w+)[`"\\]]?';
const INDEX = new RegExp(
  `^\\s*CREATE\\s+(UNIQUE\\s+)?INDEX\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}\\s+ON\\s+${IDENT}\\s*\\(([^)]*)\\)\\s*(?:WHERE\\s+(.+?))?\\s*;?\\s*$`,
  'is',
);
const COLUMN = /^\s*[`"[]?(\w+)[`"\]]?(?:\s+COLLATE\s+\w+)?(?:\s+(?:ASC|DESC))?\s*$/i;

/** Parses a collection's `CREATE [UNIQUE] INDEX` statement; the column names are checked by the caller. */
export function parseIndex(sql: string): ParsedIndex | FieldError {
  const match = typeof sql === 'string' ? INDEX.exec(sql) : null;
  if (!match) {
    return { code: 'validation_invalid_index_expression', message: 'Invalid CREATE INDEX expression.' };
  }
  const columns: string[] = [];
  for (const part of match[4].split(',')) {
    const col = COLUMN.exec(part);
    if (!col) {
      return { code: 'validation_invalid_index_expression', message: 'Invalid CREATE INDEX expression.' };
    }
    columns.push(col[1]);
  }
  return { name: match[2], unique: Boolean(match[1]), columns, where: match[5]?.trim() || undefined };
}

/** Rewrites an index statement so its table is `table` (PocketBase does this on save). */
export function formatIndex(index: ParsedIndex, table: string): string {
  const cols = index.columns.map((c) => `\`${c}\``).join(', ');
  const where = index.where ? ` WHERE ${index.where}` : '';
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX \`${index.name}\` ON \`${table}\` (${cols})${where}`;
}
