import 'reflect-metadata';
import { runService } from '@lib/core';
import { hooksRunner } from '@lib/hooks';
import { AuthAppModule } from './auth-app.module';

// The auth service runs the `pb_hooks` files too: auth hooks run where the operation runs.
runService({
  name: 'auth',
  module: (config) => AuthAppModule.forRoot(config),
  runner: hooksRunner(),
});
