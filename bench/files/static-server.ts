// The baseline of the download benchmark: @fastify/static serving a directory, in its own process.
// Usage: node static-server.js <root> <port>
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';

async function main(): Promise<void> {
  const [root, port] = process.argv.slice(2);
  const app = Fastify({ logger: false });
  await app.register(fastifyStatic, { root, prefix: '/' });
  app.get('/api/health', async () => ({ code: 200 }));
  await app.listen({ host: '127.0.0.1', port: Number(port) });
}

void main();
