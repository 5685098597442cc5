import { BadRequestError } from '@lib/core';

/** The 400 a request whose query ran past the limit gets. */
export function queryTimeout(timeoutMs: number): BadRequestError {
  return new BadRequestError(
    `The query took longer than the ${timeoutMs} ms allowed and was stopped: narrow the filter, sort or expand.`,
  );
}
