import type { WebSocket } from 'ws';
import type { ClientTransport } from './realtime-client';

/** Close when this many bytes wait unsent (a stalled client). */
export const WS_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** A ping goes out this often; a client that didn't answer the previous one is dropped. */
export const WS_PING_MS = 30_000;

/** The tutorial's WebSocket protocol: one JSON text frame `{action, record, topic}` per record message. */
export class WsTransport implements ClientTransport {
  private alive = true;
  private readonly pinger: NodeJS.Timeout;

  constructor(
    private readonly socket: WebSocket,
    pingMs = WS_PING_MS,
  ) {
    socket.on('pong', () => (this.alive = true));
    this.pinger = setInterval(() => {
      if (!this.alive) {
        this.close();
        return;
      }
      this.alive = false;
      socket.ping();
    }, pingMs);
    this.pinger.unref();
    socket.once('close', () => clearInterval(this.pinger));
  }

  send(event: string, data: unknown, topic?: string): boolean {
    if (this.socket.readyState !== this.socket.OPEN) {
      return false;
    }
    if (this.socket.bufferedAmount > WS_MAX_BUFFERED_BYTES) {
      this.close();
      return false;
    }
    const body = event.startsWith('@')
      ? { type: event, ...(data as object) }
      : { ...(data as object), topic: topic ?? event };
    this.socket.send(JSON.stringify(body));
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
