import { DynamicModule, Global, Module } from '@nestjs/common';

/**
 * Stops the running app (server, database, bus), runs `between` (a restore swaps the data directory there),
 * then starts it again on the same address: provided by the process entry (`serve`, the hooks server), absent
 * in apps that can't restart themselves (tests that create an app directly).
 */
export abstract class AppRestart {
  abstract restart(between?: () => Promise<void>): Promise<void>;
}

/** Makes the process entry's `AppRestart` injectable everywhere in the app. */
@Global()
@Module({})
export class AppRestartModule {
  static forRoot(restart: AppRestart): DynamicModule {
    return { module: AppRestartModule, providers: [{ provide: AppRestart, useValue: restart }], exports: [AppRestart] };
  }
}
