// The floor of any proxy written on Node's sockets, for the gateway bench: every client connection piped to its
// own connection to the upstream, bytes passed as they come (no parsing, no routing, no headers touched).
// Usage: node relay.js <port> <upstream port>
import * as net from 'node:net';

const [port, upstreamPort] = process.argv.slice(2).map(Number);

net
  .createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  })
  .listen(port, '127.0.0.1');
