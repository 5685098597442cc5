import { HooksServer, type HooksServerOptions } from '@lib/hooks';
import { StandaloneModule } from './standalone.module';

export type NestBaseOptions = HooksServerOptions;

/**
 * nestbase as a library: every capability in one process, with your hooks, routes and crons.
 *
 * ```ts
 * const app = new NestBase({ dir: './pb_data', http: '127.0.0.1:8090' });
 * app.onRecordBeforeCreate('todos', (e) => { … });
 * await app.start();
 * ```
 */
export class NestBase extends HooksServer {
  constructor(options: NestBaseOptions = {}) {
    super((config) => StandaloneModule.forRoot(config), options);
  }
}
