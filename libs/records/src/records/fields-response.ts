import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { applyFields, parseFields } from '@lib/query';

/**
 * Applies the `fields` query param to every 2xx JSON response of the app (reference §0), as a Fastify
 * `preSerialization` hook: requests without `fields` pay nothing (a Nest interceptor would wrap every
 * handler in an RxJS pipeline).
 */
@Injectable()
export class FieldsResponseHook implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('preSerialization', async (request: FastifyRequest, reply, payload: unknown) => {
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
    });
  }
}
