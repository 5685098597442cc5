import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export type BodyLimitRule = (request: FastifyRequest) => number;

/**
 * Extra bytes a request may carry beyond `AppConfig.bodyLimit`. Provided by `ConfigModule`; the records
 * lib registers a rule adding each file field's `maxSize × maxSelect` for record create/update, as
 * PocketBase does.
 */
@Injectable()
export class BodyLimits {
  private readonly rules: BodyLimitRule[] = [];

  register(rule: BodyLimitRule): void {
    this.rules.push(rule);
  }

  extraFor(request: FastifyRequest): number {
    return this.rules.reduce((sum, rule) => sum + rule(request), 0);
  }
}
