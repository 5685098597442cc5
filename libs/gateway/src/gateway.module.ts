import { Module } from '@nestjs/common';
import { AppConfig, Clock } from '@lib/core';
import { EdgeRateLimit } from './edge-rate-limit';
import { GatewayProxy } from './gateway-proxy';
import { GatewayUpstreams } from './gateway-upstreams';

/** The gateway: routing and proxying to the services, the edge rate limit, the access log. */
@Module({
  providers: [
    GatewayUpstreams,
    GatewayProxy,
    {
      provide: EdgeRateLimit,
      inject: [AppConfig, Clock],
      useFactory: (config: AppConfig, clock: Clock) =>
        EdgeRateLimit.create(config.gateway.rateLimit.max, config.gateway.rateLimit.windowMs, config.redis.url, clock),
    },
  ],
  exports: [GatewayUpstreams],
})
export class GatewayModule {}
