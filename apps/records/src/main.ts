import 'reflect-metadata';
import { runHooksService } from '@lib/hooks';
import { RecordsAppModule } from './records-app.module';

// The records service runs the `pb_hooks` files too: record hooks, routes and crons run where the operation runs.
// It owns the schema: it applies pb_migrations at start (the other services don't).
runHooksService('records', (config) => RecordsAppModule.forRoot(config), '127.0.0.1:8091', { migrate: true });
