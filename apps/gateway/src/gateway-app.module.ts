import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, HealthController } from '@lib/core';

/** The gateway service: the public entry point; routing to the services comes with the distributed issue. Boots with its health endpoint. */
@Module({})
export class GatewayAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: GatewayAppModule, imports: [ConfigModule.forRoot(config)], controllers: [HealthController] };
  }
}
