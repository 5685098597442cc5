/** Double-quoted SQL identifier with embedded quotes doubled: the one quoting function (SQLite and PostgreSQL). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
