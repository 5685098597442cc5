import { RawBodyError } from '@lib/core';

/** A response a hook chose (`e.json(status, body)`), sent as is with its status. */
export class HookResponse extends RawBodyError {
  constructor(status: number, body: unknown) {
    super(status, 'hook response', body as Record<string, unknown>);
  }
}
