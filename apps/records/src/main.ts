import 'reflect-metadata';
import { runService } from '@lib/core';
import { hooksRunner } from '@lib/hooks';
import { RecordsAppModule } from './records-app.module';

// The records service runs the `pb_hooks` files too: record hooks, routes and crons run where the operation runs.
// It owns the schema: it applies pb_migrations at start (the other services don't).
runService({
  name: 'records',
  module: (config) => RecordsAppModule.forRoot(config),
  runner: hooksRunner({ migrate: true }),
});
