import type { FastifyInstance } from 'fastify';

/**
 * Registers a plugin without the `onRequest` and `onResponse` hooks it adds. @fastify/multipart's two (async: a
 * promise, a closure and a 'close' listener on every request, multipart or not) serve only its disk mode
 * (`saveRequestFiles`/`cleanRequestFiles`), which isn't used: `parts()` streams uploads to our temporary files,
 * which request-body.ts's own hooks remove. The plugin is a fastify-plugin one, so it adds its hooks to `fastify` itself.
 */
export async function withoutRequestHooks(
  fastify: FastifyInstance,
  register: () => PromiseLike<unknown>,
): Promise<void> {
  const own = Object.getOwnPropertyDescriptor(fastify, 'addHook');
  const addHook = fastify.addHook.bind(fastify) as (...args: unknown[]) => FastifyInstance;
  Object.defineProperty(fastify, 'addHook', {
    configurable: true,
    writable: true,
    value: (name: string, ...rest: unknown[]) =>
      name === 'onRequest' || name === 'onResponse' ? fastify : addHook(name, ...rest),
  });
  try {
    await register();
  } finally {
    if (own) {
      Object.defineProperty(fastify, 'addHook', own);
    } else {
      delete (fastify as { addHook?: unknown }).addHook;
    }
  }
}
