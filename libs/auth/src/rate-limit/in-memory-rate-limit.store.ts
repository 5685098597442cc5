import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Clock, SYSTEM_CLOCK } from '@lib/core';
import { RateLimitStore } from './rate-limit.store';

interface Window {
  count: number;
  endsAt: number;
}

const SWEEP_MS = 60_000;
/** Upper bound of tracked keys, so a flood of distinct identities can't grow the map without end. */
const MAX_KEYS = 100_000;

/** The single-process store: a map of windows, swept every minute. */
@Injectable()
export class InMemoryRateLimitStore extends RateLimitStore implements OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private readonly timer = setInterval(() => this.sweep(), SWEEP_MS).unref();

  constructor(private readonly clock: Clock = SYSTEM_CLOCK) {
    super();
  }

  override hit(key: string, durationSeconds: number): Promise<number> {
    const now = this.clock.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      if (this.windows.size >= MAX_KEYS) {
        this.sweep();
        this.evictOldest();
      }
      window = { count: 0, endsAt: now + durationSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return Promise.resolve(window.count);
  }

  override count(key: string): Promise<number> {
    const window = this.windows.get(key);
    return Promise.resolve(window && window.endsAt > this.clock.now() ? window.count : 0);
  }

  override reset(key: string): Promise<void> {
    this.windows.delete(key);
    return Promise.resolve();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now) {
        this.windows.delete(key);
      }
    }
  }

  private evictOldest(): void {
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_KEYS) {
        return;
      }
      this.windows.delete(key);
    }
  }
}
