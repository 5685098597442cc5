import { ApiError } from '@lib/core';

/**
 * The first factor passed and a second one is needed. `MfaRequiredFilter` answers it with 401 and the
 * body `{"mfaId": "…"}` (not the error envelope); without that filter it degrades to a plain 401.
 */
export class MfaRequiredError extends ApiError {
  constructor(readonly mfaId: string) {
    super(401, 'A second authentication factor is required.');
  }
}
