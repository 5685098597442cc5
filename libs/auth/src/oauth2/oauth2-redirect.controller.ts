import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { queryValues, readBody } from '@lib/core';
import { OAuth2RedirectService, type RedirectPage } from './oauth2-redirect.service';

const send = (reply: FastifyReply, page: RedirectPage) =>
  reply.code(page.status).type('text/html; charset=utf-8').send(page.html);

/** The provider's redirect target of the SDK's popup flow (reference §2.4). */
@Controller('api/oauth2-redirect')
export class OAuth2RedirectController {
  constructor(private readonly redirect: OAuth2RedirectService) {}

  @Get()
  async get(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return send(reply, await this.redirect.handle(queryValues(req), req.ip));
  }

  @Post()
  async post(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return send(reply, await this.redirect.handle({ ...queryValues(req), ...readBody(req).data }, req.ip));
  }
}
