import { DynamicModule, Global, Module, OnModuleInit } from '@nestjs/common';
import { MailerHooks } from '@lib/auth';
import { RecordHooks, RecordsCoreModule } from '@lib/records';
import { CronScheduler } from './cron/cron-scheduler';
import { HookDataService } from './hook-data.service';
import { HookRegistry } from './hook-registry';
import { HooksApp } from './hooks-app';
import { MailerHookRunner } from './mailer-hook-runner';
import { RecordHookRunner } from './record-hook-runner';
import { HookRoutes } from './routes/hook-routes';

/** Connects the app's data helpers once the module is up (and disconnects them on shutdown). */
class HooksAppBinding implements OnModuleInit {
  constructor(
    private readonly app: HooksApp,
    private readonly data: HookDataService,
  ) {}

  onModuleInit(): void {
    this.app.data = this.data.api(null);
  }

  onApplicationShutdown(): void {
    this.app.data = null;
  }
}

/**
 * The hooks of one app run: the registry, the records lib's `RecordHooks` and the auth lib's
 * `MailerHooks` implementations, custom routes and crons. Global, so the ports resolve everywhere.
 */
@Global()
@Module({})
export class HooksModule {
  static forRoot(app: HooksApp, hooks: HookRegistry = app.hooks): DynamicModule {
    return {
      module: HooksModule,
      imports: [RecordsCoreModule],
      providers: [
        { provide: HooksApp, useValue: app },
        { provide: HookRegistry, useValue: hooks },
        HookDataService,
        RecordHookRunner,
        { provide: RecordHooks, useExisting: RecordHookRunner },
        MailerHookRunner,
        { provide: MailerHooks, useExisting: MailerHookRunner },
        HookRoutes,
        CronScheduler,
        { provide: HooksAppBinding, inject: [HooksApp, HookDataService], useFactory: bind },
      ],
      exports: [RecordHooks, MailerHooks, HookRoutes, CronScheduler, HookDataService, HooksApp],
    };
  }
}

function bind(app: HooksApp, data: HookDataService): HooksAppBinding {
  return new HooksAppBinding(app, data);
}
