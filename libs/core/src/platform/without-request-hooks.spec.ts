// withoutRequestHooks on a real Fastify with @fastify/multipart: the plugin's per-request 'close' listener (its
// async onRequest hook) is not added, while its parser (isMultipart, parts()) still works.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';

import { withoutRequestHooks } from './without-request-hooks';

async function closeListeners(app: FastifyInstance): Promise<{ listeners: number; fields: string[] }> {
  app.post('/', async (request, reply) => {
    const fields: string[] = [];
    for await (const part of request.parts()) {
      fields.push(part.fieldname);
    }
    return reply.send({ listeners: reply.raw.listenerCount('close'), fields });
  });
  const body = '--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nhi\r\n--b--\r\n';
  const res = await app.inject({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'multipart/form-data; boundary=b' },
    payload: body,
  });
  await app.close();
  return res.json();
}

void describe('withoutRequestHooks', () => {
  void it("leaves out @fastify/multipart's request hooks, and multipart bodies still parse", async () => {
    const plain = Fastify();
    await plain.register(multipart);
    const withHooks = await closeListeners(plain);

    const trimmed = Fastify();
    await withoutRequestHooks(trimmed, () => trimmed.register(multipart));
    const without = await closeListeners(trimmed);

    assert.deepEqual(withHooks.fields, ['title']);
    assert.deepEqual(without.fields, ['title']);
    assert.equal(without.listeners, withHooks.listeners - 1, JSON.stringify({ withHooks, without }));
    // addHook is itself again afterwards
    const after = Fastify();
    await withoutRequestHooks(after, () => after.register(multipart));
    let ran = false;
    after.addHook('onRequest', (_request, _reply, done) => {
      ran = true;
      done();
    });
    after.get('/', async () => ({}));
    await after.inject({ method: 'GET', url: '/' });
    await after.close();
    assert.equal(ran, true);
  });
});
