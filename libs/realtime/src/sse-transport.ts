import type { ServerResponse } from 'node:http';
import type { ClientTransport } from './realtime-client';

export interface SseLimits {
  /** Close after this long without a sent message (PocketBase: 5 min). */
  idleMs: number;
  /** Close after this long in any case (PocketBase: 30 min). */
  maxMs: number;
  /** Close when this many bytes wait unsent (a stalled client). */
  maxBufferedBytes: number;
}

export const SSE_LIMITS: SseLimits = { idleMs: 5 * 60_000, maxMs: 30 * 60_000, maxBufferedBytes: 4 * 1024 * 1024 };

const LINE_BREAKS = /[\r\n]/g;

/**
 * Writes PocketBase's SSE frames (`id:<clientId>`, `event:<name>`, `data:<json>`) to one response and closes it
 * after the idle or maximum time, or when the client stops reading.
 */
export class SseTransport implements ClientTransport {
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly maxTimer: NodeJS.Timeout;
  private closed = false;
  /** When the last message went out; the idle timer re-arms itself from it instead of being reset per message. */
  private lastSent = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly clientId: string,
    private readonly limits: SseLimits,
    onClose: () => void,
  ) {
    this.maxTimer = setTimeout(() => this.close(), limits.maxMs);
    this.maxTimer.unref();
    res.once('close', () => {
      this.stopTimers();
      this.closed = true;
      onClose();
    });
  }

  send(event: string, data: unknown): boolean {
    return this.sendSerialized(event, JSON.stringify(data));
  }

  /** `message` is the frame's JSON data, shared by every SSE client of the same rendering. */
  sendSerialized(event: string, message: Buffer | string): boolean {
    if (this.closed) {
      return false;
    }
    if (this.res.writableLength > this.limits.maxBufferedBytes) {
      this.close();
      return false;
    }
    // Line breaks can't reach here from a subscription (refused there); a hook's custom topic is cut at them too.
    this.res.write(`id:${this.clientId}\nevent:${event.replace(LINE_BREAKS, '')}\ndata:${message.toString()}\n\n`);
    this.touch();
    return true;
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.stopTimers();
    this.res.end();
    this.res.destroy();
  }

  private touch(): void {
    this.lastSent = Date.now();
    this.idleTimer ??= this.armIdle(this.limits.idleMs);
  }

  private armIdle(ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const idle = Date.now() - this.lastSent;
      this.idleTimer = idle >= this.limits.idleMs ? undefined : this.armIdle(this.limits.idleMs - idle);
      if (!this.idleTimer) {
        this.close();
      }
    }, ms);
    timer.unref();
    return timer;
  }

  private stopTimers(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.maxTimer);
  }
}
