import { Injectable } from '@nestjs/common';
import { RateLimitStore } from './rate-limit/rate-limit.store';

/**
 * Remembers recently sent action mails (verification, password reset) so a re-request within the window sends
 * nothing. The windows are the rate limits' counters: in Redis when `REDIS_URL` is set, so every replica of the
 * auth service sees a mail another one sent (per process they let each replica send its own), else in memory.
 */
@Injectable()
export class ResendLimiter {
  constructor(private readonly store: RateLimitStore) {}

  /** True (and the key is held for `windowMs`) when no mail for `key` went out within the window. */
  async tryAcquire(key: string, windowMs: number): Promise<boolean> {
    return (await this.store.hit(`resend:${key}`, windowMs / 1000)) === 1;
  }
}
