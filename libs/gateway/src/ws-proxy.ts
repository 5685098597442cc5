import type * as http from 'node:http';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { forwardedFor } from './http-proxy';
import type { UpstreamAddress, UpstreamPool } from './upstream-pool';

/** Answers an upgrade request the gateway won't forward with a bare HTTP status. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The upgrade request as the service must see it: the client's headers, X-Forwarded-For, and `extra` (the
 * gateway's X-Request-Id and `traceparent`) in place of the client's headers of the same names.
 */
function requestHead(request: http.IncomingMessage, extra: Record<string, string>): string {
  const lines = [`${request.method ?? 'GET'} ${request.url ?? '/'} HTTP/1.1`];
  const replaced = new Set(['x-forwarded-for', ...Object.keys(extra).map((name) => name.toLowerCase())]);
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (!replaced.has(raw[i].toLowerCase())) {
      lines.push(`${raw[i]}: ${raw[i + 1]}`);
    }
  }
  lines.push(`X-Forwarded-For: ${forwardedFor(request)}`);
  for (const [name, value] of Object.entries(extra)) {
    lines.push(`${name}: ${value}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Tunnels a WebSocket upgrade to an address of `pool`: the handshake and every frame pass through as
 * bytes, both ways, until either side closes. A refused connection is retried on the next address.
 * `headers` (X-Request-Id, `traceparent`) go to the service instead of the client's.
 */
export function proxyUpgrade(
  request: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
  pool: UpstreamPool,
  headers: Record<string, string>,
  done: (upstream: string) => void,
): void {
  const tried = new Set<UpstreamAddress>();
  socket.on('error', () => socket.destroy());
  const attempt = (): void => {
    const address = pool.pick(tried);
    if (!address) {
      refuseUpgrade(socket, 503, 'Service Unavailable');
      done('-');
      return;
    }
    tried.add(address);
    let connected = false;
    const upstream = net.connect(address.port, address.host, () => {
      connected = true;
      // A WebSocket tunnel is long-lived by design: the server's idle-socket timeout doesn't apply to it.
      if ('setTimeout' in socket) {
        (socket as net.Socket).setTimeout(0);
      }
      upstream.write(requestHead(request, headers));
      if (head.length > 0) {
        upstream.write(head);
      }
      upstream.pipe(socket);
      socket.pipe(upstream);
      done(`${address.host}:${address.port}`);
    });
    upstream.setNoDelay(true);
    upstream.on('error', () => {
      if (!connected) {
        pool.eject(address);
        attempt();
        return;
      }
      socket.destroy();
    });
    upstream.on('close', () => {
      if (connected) {
        socket.destroy();
      }
    });
    socket.on('close', () => upstream.destroy());
  };
  attempt();
}
