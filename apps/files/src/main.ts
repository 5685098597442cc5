import 'reflect-metadata';
import { runService } from '@lib/core';
import { hooksRunner } from '@lib/hooks';
import { FilesAppModule } from './files-app.module';

// The files service loads the `pb_hooks` files for the hook points it fires: onFileDownloadRequest, onFileTokenRequest.
runService({
  name: 'files',
  module: (config) => FilesAppModule.forRoot(config),
  runner: hooksRunner({ hooks: 'points' }),
});
