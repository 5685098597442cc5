import 'reflect-metadata';
import { runService } from '@lib/core';
import { FilesAppModule } from './files-app.module';

runService('files', (config) => FilesAppModule.forRoot(config), '127.0.0.1:8093');
