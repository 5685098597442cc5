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

  private readonly fresheners: (() => Promise<void> | undefined)[] = [];

  /** `freshen`: brings what the rule reads up to date (other processes' schema changes), asked before a 413. */
  register(rule: BodyLimitRule, freshen?: () => Promise<void> | undefined): void {
    this.rules.push(rule);
    if (freshen) {
      this.fresheners.push(freshen);
    }
  }

  /** Resolves once every rule reads current data; a request over its limit is measured again after it. */
  async freshen(): Promise<void> {
    await Promise.all(this.fresheners.map((f) => Promise.resolve(f())));
  }

  extraFor(request: FastifyRequest): number {
    return this.rules.reduce((sum, rule) => sum + rule(request), 0);
  }
}
