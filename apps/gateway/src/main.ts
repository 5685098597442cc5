import 'reflect-metadata';
import { runService } from '@lib/core';
import { GatewayAppModule } from './gateway-app.module';

runService(
  'gateway',
  (config) => GatewayAppModule.forRoot(config),
  '127.0.0.1:8090',
  () => ({
    servePublicDir: true,
    withoutDataDir: true,
  }),
);
