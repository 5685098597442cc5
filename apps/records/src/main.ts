import 'reflect-metadata';
import { runHooksService } from '@lib/hooks';
import { RecordsAppModule } from './records-app.module';

// The records service runs the `pb_hooks` files too: record hooks, routes and crons run where the operation runs.
runHooksService('records', (config) => RecordsAppModule.forRoot(config), '127.0.0.1:8091');
