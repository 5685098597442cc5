import 'reflect-metadata';
import { runService } from '@lib/core';
import { FilesAppModule } from './files-app.module';

runService({ name: 'files', module: (config) => FilesAppModule.forRoot(config), defaultHttp: '127.0.0.1:8093' });
