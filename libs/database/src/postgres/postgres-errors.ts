import { BadRequestError, ServiceUnavailableError } from '@lib/core';
import { queryTimeout } from '../typeorm/query-timeout';

interface PgError {
  code?: string;
  table?: string;
  detail?: string;
  constraint?: string;
}

/** A table or column change PostgreSQL refused because a view reads it (SQLite would rebuild, then re-check views). */
export class DependentViewError extends Error {}

const codeOf = (error: unknown): string => {
  const code = (error as PgError | null)?.code;
  return typeof code === 'string' ? code : '';
};

/**
 * A named (prepared) statement whose result columns changed since the connection prepared it: another process
 * added or dropped a column of a table it reads with `*` (see PostgresExecutor).
 */
export function isStalePlan(error: unknown): boolean {
  return codeOf(error) === '0A000' && /cached plan must not change result type/.test((error as Error).message);
}

/**
 * serialization_failure, deadlock_detected, a stale prepared statement (which has been renamed): the
 * transaction may simply run again.
 */
export function isRetryable(error: unknown): boolean {
  const code = codeOf(error);
  return code === '40001' || code === '40P01' || isStalePlan(error);
}

/**
 * A PostgreSQL error as the rest of nestbase knows it from SQLite: a unique violation becomes SQLite's
 * `UNIQUE constraint failed: table.column, …` text (mapped to PocketBase's 400 `validation_not_unique` by the
 * records lib), a cancelled statement past `statement_timeout` the query-timeout 400, an exhausted
 * serialization retry a 503, a statement the database refused on type grounds a 400. Others pass unchanged.
 */
export function fromPostgresError(error: unknown, timeoutMs: number): unknown {
  const code = codeOf(error);
  const e = error as PgError & Error;
  switch (code) {
    case '23505': {
      const keys = /^Key \((.*)\)=/.exec(e.detail ?? '')?.[1] ?? 'id';
      const columns = keys
        .split(',')
        .map((k) => (/[\w]+/.exec(k.replace(/^\s*(lower|upper)\(/, ''))?.[0] ?? 'id').trim())
        .map((k) => `${e.table ?? ''}.${k}`);
      return Object.assign(new Error(`UNIQUE constraint failed: ${columns.join(', ')}`), { cause: error });
    }
    case '57014':
      return queryTimeout(timeoutMs);
    case '40001':
    case '40P01':
      return Object.assign(new ServiceUnavailableError('The database is busy, please try again.'), { cause: error });
    case '22P02': // invalid_text_representation
    case '22003': // numeric_value_out_of_range
    case '22021': // character_not_in_repertoire (NUL in text)
      return new BadRequestError(`PostgreSQL refused a value: ${e.message}`);
    case '2BP01': // dependent_objects_still_exist
      return Object.assign(new DependentViewError(e.message), { cause: error });
    default:
      return error;
  }
}
