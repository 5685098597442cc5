import { ApiError } from '@lib/core';

/** 429 in PocketBase's error envelope. */
export class TooManyRequestsError extends ApiError {
  constructor(message = 'Too Many Requests.') {
    super(429, message);
  }
}
