import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@lib/core';
import { GatewayModule } from '@lib/gateway';

/** The gateway service: the public entry point in front of the auth, records, files and realtime services. */
@Module({})
export class GatewayAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: GatewayAppModule, imports: [ConfigModule.forRoot(config), GatewayModule] };
  }
}
