import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getRequestAuth } from '@lib/core';
import { OpenApiService } from './openapi.service';

/** `GET /api/openapi.json`: superusers only unless `settings.openapi.public`. */
@Controller('api')
export class OpenApiController {
  constructor(private readonly openapi: OpenApiService) {}

  @Get('openapi.json')
  async document(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.openapi.checkAccess(getRequestAuth(request));
    const doc = await this.openapi.document();
    reply.header('etag', doc.etag).header('cache-control', 'no-cache').header('vary', 'Authorization');
    if (request.headers['if-none-match'] === doc.etag) {
      return reply.code(304).send();
    }
    return reply.type('application/json; charset=utf-8').send(doc.json);
  }
}
