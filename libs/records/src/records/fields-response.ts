import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { applyFields, parseFields } from '@lib/query';

type Done = (error: Error | null, payload?: unknown) => void;

/** The payload cut down to the `fields` query param; unchanged without one or for a non-2xx/non-object. */
function selectFields(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  const fields = (request.query as Record<string, unknown> | undefined)?.fields;
  if (
    typeof fields !== 'string' ||
    fields === '' ||
    reply.statusCode >= 300 ||
    !payload ||
    typeof payload !== 'object'
  ) {
    return payload;
  }
  return applyFields(payload, parseFields(fields));
}

/**
 * Applies the `fields` query param to every 2xx JSON response of the app (reference §0), as a Fastify
 * `preSerialization` hook: requests without `fields` pay nothing (a Nest interceptor would wrap every
 * handler in an RxJS pipeline; a callback-style hook costs no promise).
 */
@Injectable()
export class FieldsResponseHook implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook(
      'preSerialization',
      (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done) => {
        let selected: unknown;
        try {
          selected = selectFields(request, reply, payload);
        } catch (error) {
          done(error as Error);
          return;
        }
        done(null, selected);
      },
    );
  }
}
