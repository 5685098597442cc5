import 'reflect-metadata';
import { runService } from '@lib/core';
import { GatewayAppModule } from './gateway-app.module';

runService({
  name: 'gateway',
  module: (config) => GatewayAppModule.forRoot(config),
  options: () => ({ servePublicDir: true, withoutDataDir: true }),
});
