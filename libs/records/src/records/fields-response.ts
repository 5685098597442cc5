import type { FastifyRequest } from 'fastify';
import { applyFields, parseFields } from '@lib/query';

/** Applies the `fields` query param to a 2xx JSON response (reference §0). */
export function withFields<T>(request: FastifyRequest, body: T): unknown {
  const fields = (request.query as Record<string, unknown> | undefined)?.fields;
  if (typeof fields !== 'string' || fields === '') {
    return body;
  }
  return applyFields(body, parseFields(fields));
}
