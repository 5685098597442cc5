import 'reflect-metadata';
import { runHooksService } from '@lib/hooks';
import { AuthAppModule } from './auth-app.module';

// The auth service runs the `pb_hooks` files too: auth hooks run where the operation runs.
runHooksService('auth', (config) => AuthAppModule.forRoot(config), '127.0.0.1:8092');
