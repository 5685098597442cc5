import { BadRequestError } from '@lib/core';

export function invalidFilter(reason: string, position?: number): BadRequestError {
  const at = position === undefined ? '' : ` at position ${position}`;
  return new BadRequestError(`Invalid filter: ${reason}${at}.`);
}
