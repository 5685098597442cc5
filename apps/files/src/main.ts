import 'reflect-metadata';
import { runHooksService } from '@lib/hooks';
import { FilesAppModule } from './files-app.module';

// The files service loads the `pb_hooks` files for the hook points it fires: onFileDownloadRequest, onFileTokenRequest.
runHooksService('files', (config) => FilesAppModule.forRoot(config), '127.0.0.1:8093', { hooks: 'points' });
