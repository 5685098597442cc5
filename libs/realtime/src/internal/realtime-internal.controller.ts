import { Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { InternalSecretGuard, readBody } from '@lib/core';
import type { AuthRecordsBody, RenderBody, RuleCheckBody } from './internal-wire';
import { RealtimeInternalService } from './realtime-internal.service';

/** `/api/_internal/*` on the records service: what a realtime process without a database needs. */
@Controller('api/_internal')
@UseGuards(InternalSecretGuard)
export class RealtimeInternalController {
  constructor(private readonly internal: RealtimeInternalService) {}

  @Get('collections')
  collections() {
    return this.internal.listCollections();
  }

  /** `{ known: { <id>: <updated> } }` → every id in order, and the definitions `known` lacks or has older. */
  @Post('collections/since')
  @HttpCode(200)
  collectionsSince(@Req() req: FastifyRequest) {
    return this.internal.collectionsSince(readBody(req).data.known);
  }

  @Post('auth-records')
  @HttpCode(200)
  authRecords(@Req() req: FastifyRequest) {
    return this.internal.authRecords(readBody(req).data as unknown as AuthRecordsBody);
  }

  @Post('rule-check')
  @HttpCode(200)
  ruleCheck(@Req() req: FastifyRequest) {
    return this.internal.ruleCheck(readBody(req).data as unknown as RuleCheckBody);
  }

  @Post('render')
  @HttpCode(200)
  render(@Req() req: FastifyRequest) {
    return this.internal.render(readBody(req).data as unknown as RenderBody);
  }
}
