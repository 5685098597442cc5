import { Injectable } from '@nestjs/common';

/**
 * Remembers recently sent action mails (verification, password reset) so a re-request within the
 * window sends nothing. In-memory per process, like PocketBase's app store.
 */
@Injectable()
export class ResendLimiter {
  private readonly until = new Map<string, number>();

  /** True (and the key is held for `windowMs`) when no mail for `key` went out within the window. */
  tryAcquire(key: string, windowMs: number): boolean {
    const now = Date.now();
    for (const [k, expires] of this.until) {
      if (expires <= now) {
        this.until.delete(k);
      }
    }
    if (this.until.has(key)) {
      return false;
    }
    this.until.set(key, now + windowMs);
    return true;
  }
}
