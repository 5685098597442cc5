import 'reflect-metadata';
import { runHooksService } from '@lib/hooks';
import { RealtimeAppModule } from './realtime-app.module';

// The realtime service loads the `pb_hooks` files for the hook points it fires: onRealtimeConnectRequest,
// onRealtimeSubscribeRequest, onRealtimeMessageSend (and onRecordEnrich where it renders records itself).
runHooksService('realtime', (config) => RealtimeAppModule.forRoot(config), '127.0.0.1:8094', {
  hooks: 'points',
  withoutDataDir: (config) => config.records.url !== '',
});
