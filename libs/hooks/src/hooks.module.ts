import { DynamicModule, Global, Module, OnModuleInit } from '@nestjs/common';
import { MailerHooks } from '@lib/auth';
import { AppConfig, HookPoints } from '@lib/core';
import { CollectionChanges, CollectionHooks, CollectionsRegistry, RecordHooks, RecordsCoreModule } from '@lib/records';
import { CollectionHookRunner } from './collection-hook-runner';
import { HookPointsRunner } from './hook-points-runner';
import { CronScheduler } from './cron/cron-scheduler';
import { HookDataService } from './hook-data.service';
import { HookRegistry } from './hook-registry';
import { HooksApp } from './hooks-app';
import { MailerHookRunner } from './mailer-hook-runner';
import { RecordHookRunner } from './record-hook-runner';
import { HookRoutes } from './routes/hook-routes';
import { Automigrate } from './migrations/automigrate';
import { MigrationDeps } from './migrations/migration-deps';
import { MigrationsService } from './migrations/migrations.service';

/** Connects the app's data helpers once the module is up (and disconnects them on shutdown). */
class HooksAppBinding implements OnModuleInit {
  constructor(
    private readonly app: HooksApp,
    private readonly data: HookDataService,
  ) {}

  onModuleInit(): void {
    this.app.data = this.data.api(null);
    this.app.services = this.data.services();
  }

  onApplicationShutdown(): void {
    this.app.data = null;
    this.app.services = null;
  }
}

/**
 * The hooks of one app run: the registry, the records lib's `RecordHooks` and the auth lib's
 * `MailerHooks` implementations, custom routes and crons, and `pb_migrations` (with automigrate, the records
 * lib's `CollectionChanges`). Global, so the ports resolve everywhere.
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
        CollectionHookRunner,
        { provide: CollectionHooks, useExisting: CollectionHookRunner },
        {
          provide: HookPointsRunner,
          inject: [HookRegistry, HookDataService, CollectionsRegistry],
          useFactory: (r: HookRegistry, d: HookDataService, c: CollectionsRegistry) => new HookPointsRunner(r, d, c),
        },
        { provide: HookPoints, useExisting: HookPointsRunner },
        HookRoutes,
        CronScheduler,
        { provide: HooksAppBinding, inject: [HooksApp, HookDataService], useFactory: bind },
        MigrationDeps,
        MigrationsService,
        { provide: CollectionChanges, inject: [AppConfig, MigrationsService], useFactory: automigrate },
      ],
      exports: [
        RecordHooks,
        MailerHooks,
        CollectionHooks,
        HookPoints,
        HookRoutes,
        CronScheduler,
        HookDataService,
        HooksApp,
        MigrationsService,
        CollectionChanges,
      ],
    };
  }
}

/** `--automigrate`: collection changes made through the API are written as migrations (none otherwise). */
function automigrate(config: AppConfig, migrations: MigrationsService): CollectionChanges | null {
  return config.migrations.auto ? new Automigrate(migrations) : null;
}

function bind(app: HooksApp, data: HookDataService): HooksAppBinding {
  return new HooksAppBinding(app, data);
}
