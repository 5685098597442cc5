import 'reflect-metadata';
import { runService } from '@lib/core';
import { hooksRunner } from '@lib/hooks';
import { RealtimeAppModule } from './realtime-app.module';

// The realtime service loads the `pb_hooks` files for the hook points it fires: onRealtimeConnectRequest,
// onRealtimeSubscribeRequest, onRealtimeMessageSend (and onRecordEnrich where it renders records itself).
runService({
  name: 'realtime',
  module: (config) => RealtimeAppModule.forRoot(config),
  runner: hooksRunner({ hooks: 'points', withoutDataDir: (config) => config.records.url !== '' }),
});
