import type { LogEntry, LogSql } from './log-entry';

/** A `_logs` row as both databases return it: `data` as its JSON text (jsonb as text on PostgreSQL). */
export interface LogRow {
  id: string;
  level: number;
  message: string;
  data: string;
  created: string;
}

export const logEntryOf = (row: LogRow): LogEntry => ({
  id: row.id,
  created: row.created,
  level: row.level,
  message: row.message,
  data: JSON.parse(row.data) as Record<string, unknown>,
});

const whereClause = (where: LogSql | null) => (where && where.sql ? ` WHERE ${where.sql}` : '');

/** A page of `_logs` (aliased `r`, as the compiled filter and sort name it), bound: where's, order's, limit, offset. */
export function listSql(where: LogSql | null, order: string): string {
  return `SELECT "r"."id", "r"."level", "r"."message", "r"."data", "r"."created" FROM "_logs" "r"${whereClause(where)} ORDER BY ${order} LIMIT ? OFFSET ?`;
}

export function countSql(where: LogSql | null): string {
  return `SELECT COUNT(*) AS "n" FROM "_logs" "r"${whereClause(where)}`;
}

/** Entries per hour, `hour` being the database's expression of `"r"."created"` truncated to its hour. */
export function statsSql(where: LogSql | null, hour: string): string {
  return `SELECT COUNT("r"."id") AS "total", ${hour} AS "date" FROM "_logs" "r"${whereClause(where)} GROUP BY 2 ORDER BY 2`;
}
