import 'reflect-metadata';
import { runService } from '@lib/core';
import { RealtimeAppModule } from './realtime-app.module';

runService(
  'realtime',
  (config) => RealtimeAppModule.forRoot(config),
  '127.0.0.1:8094',
  (config) => ({
    withoutDataDir: config.records.url !== '',
  }),
);
