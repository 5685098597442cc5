import 'reflect-metadata';
import { runService } from '@lib/core';
import { GatewayAppModule } from './gateway-app.module';

runService({
  name: 'gateway',
  module: (config) => GatewayAppModule.forRoot(config),
  defaultHttp: '127.0.0.1:8090',
  options: () => ({ servePublicDir: true, withoutDataDir: true }),
});
