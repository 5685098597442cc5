import 'reflect-metadata';
import { runService } from '@lib/core';
import { RecordsAppModule } from './records-app.module';

runService('records', (config) => RecordsAppModule.forRoot(config), '127.0.0.1:8091');
