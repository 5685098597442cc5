/** One row of `_logs` (`<dataDir>/auxiliary.db`, or the PostgreSQL database), as `GET /api/logs` returns it. */
export interface LogEntry {
  id: string;
  created: string;
  level: number;
  message: string;
  data: Record<string, unknown>;
}

/** PocketBase's (slog's) levels. */
export const LOG_LEVEL = { debug: -4, info: 0, warn: 4, error: 8 } as const;

/** One hourly bucket of `GET /api/logs/stats`. */
export interface LogStat {
  total: number;
  date: string;
}

/** A WHERE or ORDER BY fragment with its bound values. */
export interface LogSql {
  sql: string;
  params: unknown[];
}
