import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, ProbesModule } from '@lib/core';
import { GatewayModule, requireUpstreams, UpstreamsReadinessCheck } from '@lib/gateway';

/** The gateway service: the public entry point in front of the auth, records, files and realtime services. */
@Module({})
export class GatewayAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    requireUpstreams(config);
    return {
      module: GatewayAppModule,
      imports: [
        ConfigModule.forRoot(config),
        GatewayModule,
        ProbesModule.forRoot([UpstreamsReadinessCheck], [GatewayModule]),
      ],
    };
  }
}
