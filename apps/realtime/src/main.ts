import 'reflect-metadata';
import { runService } from '@lib/core';
import { RealtimeAppModule } from './realtime-app.module';

runService({
  name: 'realtime',
  module: (config) => RealtimeAppModule.forRoot(config),
  defaultHttp: '127.0.0.1:8094',
  options: (config) => ({ withoutDataDir: config.records.url !== '' }),
});
