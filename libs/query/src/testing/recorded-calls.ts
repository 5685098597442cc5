import { ApiError } from '@lib/core';
import type { CompileOptions, RequestInfo } from '../query.types';

/** One `runner().ids(...)` call of the SQLite specs and what it gave: the ids, or the API error. */
export interface RecordedCall {
  kind: 'filter' | 'sort';
  expr: string;
  opts: CompileOptions;
  req: RequestInfo;
  result: { ids: string[] } | { status: number; message: string };
}

/**
 * Every case the fixture's SQLite runner ran in this process, in order: the PostgreSQL spec imports the SQLite
 * specs, lets them run, then replays these same cases on PostgreSQL.
 */
export const RECORDED_CALLS: RecordedCall[] = [];

/** Runs `run` and records its outcome; rethrows what it threw. */
export function recordCall(call: Omit<RecordedCall, 'result'>, run: () => string[]): string[] {
  try {
    const ids = run();
    RECORDED_CALLS.push({ ...call, result: { ids } });
    return ids;
  } catch (err) {
    if (err instanceof ApiError) {
      RECORDED_CALLS.push({ ...call, result: { status: err.status, message: err.message } });
    }
    throw err;
  }
}
