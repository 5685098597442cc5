import type * as http from 'node:http';
import type * as net from 'node:net';
import type { FastContext } from './fast-context';
import { FastConnection, type Handover } from './fast-connection';

/** The sweep runs this often at most: a fraction of the shortest deadline it enforces, within 25 ms..1 s. */
function sweepPeriod(ctx: FastContext): number {
  const t = ctx.timeouts;
  const shortest = Math.min(
    t.headersMs,
    t.keepAliveMs,
    t.idleMs > 0 ? t.idleMs : Infinity,
    t.bodyWindowMs,
    ctx.connectTimeoutMs,
    ctx.responseTimeoutMs,
  );
  return Math.max(25, Math.min(1000, Math.floor(shortest / 4)));
}

/**
 * The gateway's hot path: API requests read and proxied straight off the TCP connection, without Node's
 * `IncomingMessage`/`ServerResponse`, Fastify's request lifecycle or `http.request` per request (they cost the
 * gateway several times the CPU of the proxying itself). Every connection starts here; one whose request the
 * fast path doesn't take (the dashboard, static files, probes, preflights, upgrades, chunked or oversized
 * bodies, anything unusual) is handed, with the bytes already read, to Node's server and Fastify for good.
 */
export class FastPath {
  private readonly connections = new Set<FastConnection>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly ctx: FastContext) {}

  install(server: http.Server): void {
    const originals = server.listeners('connection') as ((socket: net.Socket) => void)[];
    server.removeAllListeners('connection');
    // The bytes already read go back into the socket's stream (`unshift`), paused until Node's server has its
    // listeners on; `resume` then passes them on first, before anything read later.
    const handover: Handover = (socket, buffered) => {
      socket.pause();
      if (buffered) {
        socket.unshift(buffered);
      }
      for (const listener of originals) {
        listener.call(server, socket);
      }
      socket.resume();
    };
    server.on('connection', (socket: net.Socket) => {
      if (this.ctx.draining) {
        handover(socket, null);
        return;
      }
      new FastConnection(this.ctx, socket, this.connections, handover);
    });
    this.timer = setInterval(() => this.sweep(), sweepPeriod(this.ctx));
    this.timer.unref();
  }

  /** Shutdown: idle connections close now, busy ones after their response; idle upstream ones close. */
  close(): void {
    this.ctx.draining = true;
    for (const connection of [...this.connections]) {
      connection.drain();
    }
    this.ctx.links.closeAll();
  }

  private sweep(): void {
    const now = Date.now();
    for (const connection of this.connections) {
      connection.sweep(now);
    }
    this.ctx.links.sweep(now);
  }
}
