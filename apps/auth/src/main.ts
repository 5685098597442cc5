import 'reflect-metadata';
import { runService } from '@lib/core';
import { AuthAppModule } from './auth-app.module';

runService('auth', (config) => AuthAppModule.forRoot(config), '127.0.0.1:8092');
