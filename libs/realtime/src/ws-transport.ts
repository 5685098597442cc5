import type { WebSocket } from 'ws';
import type { ClientTransport } from './realtime-client';

export interface WsLimits {
  /** A ping goes out this often; a client that didn't answer the previous one is dropped. */
  pingMs: number;
  /** Close when this many bytes wait unsent (a stalled client), as the SSE stream does. */
  maxBufferedBytes: number;
}

export const WS_LIMITS: WsLimits = { pingMs: 30_000, maxBufferedBytes: 4 * 1024 * 1024 };

/** The tutorial's WebSocket protocol: one JSON text frame `{action, record, topic}` per record message. */
export class WsTransport implements ClientTransport {
  private alive = true;
  private readonly pinger: NodeJS.Timeout;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: WsLimits = WS_LIMITS,
  ) {
    socket.on('pong', () => (this.alive = true));
    this.pinger = setInterval(() => {
      if (!this.alive) {
        this.close();
        return;
      }
      this.alive = false;
      socket.ping();
    }, limits.pingMs);
    this.pinger.unref();
    socket.once('close', () => clearInterval(this.pinger));
  }

  send(event: string, data: unknown, topic?: string): boolean {
    const body = event.startsWith('@')
      ? { type: event, ...(data as object) }
      : { ...(data as object), topic: topic ?? event };
    return this.sendSerialized(event, Buffer.from(JSON.stringify(body)));
  }

  /** `message` is the whole frame, `{action, record, topic}`, shared by every client of the same topic. */
  sendSerialized(_event: string, message: Buffer | string): boolean {
    if (this.socket.readyState !== this.socket.OPEN) {
      return false;
    }
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.close();
      return false;
    }
    this.socket.send(message, { binary: false });
    return true;
  }

  /** A control message of the protocol (`subscribed`, `pong`, `error`). */
  reply(body: Record<string, unknown>): void {
    if (this.socket.readyState === this.socket.OPEN) {
      this.socket.send(JSON.stringify(body));
    }
  }

  close(): void {
    clearInterval(this.pinger);
    this.socket.terminate();
  }
}
