import { Logger } from '@nestjs/common';
import type { Clock } from '@lib/core';
import { RedisCounter } from '@lib/jobs';

/**
 * The gateway's per-client request limit: fixed windows counted in Redis when `REDIS_URL` is set (so every
 * gateway replica shares them), else in memory. A Redis failure lets requests through (logged): the edge
 * limit protects the services, it must not take them down. Windows follow the injected clock (a test moves it
 * past a window instead of waiting), in Redis too (`hitAt`: the window's end is a time of that clock).
 */
export class EdgeRateLimit {
  private readonly logger = new Logger('EdgeRateLimit');
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private sweepAt = 0;

  private constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    private readonly counter?: RedisCounter,
  ) {}

  static async create(max: number, windowMs: number, redisUrl: string, clock: Clock): Promise<EdgeRateLimit> {
    const counter = max > 0 && redisUrl ? await RedisCounter.connect(redisUrl, 'nestbase:gateway:') : undefined;
    return new EdgeRateLimit(max, windowMs, clock, counter);
  }

  get enabled(): boolean {
    return this.max > 0;
  }

  /** Counts one request of `client`; false when it is over the limit of the current window. */
  async allow(client: string): Promise<boolean> {
    if (!this.enabled) {
      return true;
    }
    if (this.counter) {
      try {
        return (await this.counter.hitAt(client, this.windowMs, this.clock.now())) <= this.max;
      } catch (error) {
        this.logger.warn(`rate limit not counted: ${(error as Error).message}`);
        return true;
      }
    }
    return this.hitInMemory(client) <= this.max;
  }

  /** As `allow`, answered at once when no Redis round trip is needed (the gateway's hot path awaits nothing then). */
  allowNow(client: string): boolean | Promise<boolean> {
    if (!this.enabled) {
      return true;
    }
    return this.counter ? this.allow(client) : this.hitInMemory(client) <= this.max;
  }

  async close(): Promise<void> {
    await this.counter?.close();
  }

  private hitInMemory(client: string): number {
    const now = this.clock.now();
    if (now > this.sweepAt) {
      for (const [key, window] of this.windows) {
        if (window.resetAt <= now) {
          this.windows.delete(key);
        }
      }
      this.sweepAt = now + this.windowMs;
    }
    const window = this.windows.get(client);
    if (!window || window.resetAt <= now) {
      this.windows.set(client, { count: 1, resetAt: now + this.windowMs });
      return 1;
    }
    window.count += 1;
    return window.count;
  }
}
