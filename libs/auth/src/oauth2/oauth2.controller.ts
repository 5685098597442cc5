import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { queryValues, readBody, SuperuserGuard } from '@lib/core';
import { recordRequest } from '@lib/records';
import { CountsAuthFailures } from '../rate-limit/counts-auth-failures.decorator';
import { OAuth2AuthService } from './oauth2-auth.service';
import { OAuth2ProvidersService } from './oauth2-providers.service';

@Controller('api/collections')
export class OAuth2Controller {
  constructor(
    private readonly oauth2: OAuth2AuthService,
    private readonly providers: OAuth2ProvidersService,
  ) {}

  @Post(':collection/auth-with-oauth2')
  @HttpCode(200)
  @CountsAuthFailures()
  async authWithOAuth2(@Param('collection') c: string, @Req() req: FastifyRequest) {
    const expand = queryValues(req).expand ?? '';
    return await this.oauth2.authWithOAuth2(c, readBody(req).data, expand, recordRequest(req));
  }

  /** The built-in providers (superusers): what `oauth2.providers[].name` may be. */
  @Get('meta/oauth2-providers')
  @UseGuards(SuperuserGuard)
  builtInProviders() {
    return this.providers.builtIns();
  }
}
