import { RawBodyError } from '@lib/core';

/** The first factor passed and a second one is needed: 401 with the body `{"mfaId": "…"}` (not the envelope). */
export class MfaRequiredError extends RawBodyError {
  constructor(readonly mfaId: string) {
    super(401, 'A second authentication factor is required.', { mfaId });
  }
}
